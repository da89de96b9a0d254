import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { WebhookRoute } from '../../providers/webhook-schema.js';
import { connections } from '../../schema/tables.js';
import type { Database } from '../db.js';
import type { ConnectionRow } from '../connections/connections.js';
import { valueAt } from './webhook-events.js';

export interface Routing {
    /** The rule that decided (`installation.id → connection_config.installation_id`); null when none had a value. */
    rule: string | null;
    /** The identifier the event carried under that rule. */
    value: string | null;
    /** The connections the event belongs to. */
    connections: ConnectionRow[];
}

const targets = (route: WebhookRoute) => (Array.isArray(route.match) ? route.match : [route.match]);

const describe = (route: WebhookRoute) => `${'header' in route.from ? `header ${route.from.header}` : route.from.body_path} → ${targets(route).join(' or ')}`;

/** A JSON path to a flat key, which may itself contain dots (`team.id`). */
const flatKeyPath = (key: string) => `$."${key.replace(/["\\]/g, '\\$&')}"`;

function targetCondition(target: string, value: string): SQL {
    if (target === 'connection_id') return eq(connections.connectionId, value);
    const [column, key] = target.startsWith('metadata.') ? [connections.metadata, target.slice('metadata.'.length)] : [connections.connectionConfig, target.slice('connection_config.'.length)];
    // Providers send ids as numbers or strings (HubSpot's portalId); compare both as text.
    return sql`CAST(json_extract(${column}, ${flatKeyPath(key)}) AS TEXT) = ${value}`;
}

const matchCondition = (route: WebhookRoute, value: string) => or(...targets(route).map((target) => targetCondition(target, value)))!;

/**
 * The connections of the integration an event belongs to: the first rule whose identifier the
 * event carries decides, and may match several connections or none. With no identifier at all,
 * the event belongs to every connection of the integration.
 */
export async function routeEvent(db: Database, integrationId: string, routes: WebhookRoute[] | undefined, headers: Record<string, string>, event: unknown): Promise<Routing> {
    for (const route of routes ?? []) {
        let value = valueAt(route.from, headers, event);
        if (value === null) continue;
        if (route.strip_suffix && value.endsWith(route.strip_suffix)) value = value.slice(0, -route.strip_suffix.length);
        return { rule: describe(route), value, connections: await matching(db, and(eq(connections.integrationId, integrationId), matchCondition(route, value))!) };
    }
    return { rule: null, value: null, connections: await matching(db, eq(connections.integrationId, integrationId)) };
}

const matching = (db: Database, where: SQL): Promise<ConnectionRow[]> => db.select().from(connections).where(where).orderBy(connections.id);
