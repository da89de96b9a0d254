import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import { connectSessions, environments, integrations } from '../../schema/tables.js';
import { toHex } from '../crypto/encoding.js';
import { sha256Hex } from '../crypto/hashing.js';
import type { Database } from '../db.js';
import { environmentColumns, type EnvironmentRecord } from '../environments/environments.js';
import { badRequest } from '../http/api-error.js';
import { tagsWithEndUser } from '../connections/tags.js';
import type { IntegrationDefaults, SessionInput } from './connect-session-input.js';

export type ConnectSessionRow = typeof connectSessions.$inferSelect;

export const SESSION_TOKEN_PREFIX = 'spoke_connect_session_';
export const SESSION_TOKEN_FORMAT = /^spoke_connect_session_[0-9a-f]{64}$/;
const TTL_MS = 30 * 60_000;

export const isSessionToken = (token: string) => token.startsWith(SESSION_TOKEN_PREFIX);

/** Creates a session and returns its token; only the token's hash is stored. */
export async function createConnectSession(
    db: Database,
    environmentId: string,
    input: Omit<SessionInput, 'allowed_integrations'> & { allowed_integrations?: string[] | undefined },
    reconnectConnectionId: number | null = null
) {
    if (input.allowed_integrations?.length) await assertIntegrationsExist(db, environmentId, input.allowed_integrations);
    const token = SESSION_TOKEN_PREFIX + toHex(crypto.getRandomValues(new Uint8Array(32)));
    const now = Date.now();
    // The organization may come inside end_user or, as in Nango's older API, beside it.
    const organization = input.end_user?.organization ?? input.organization;
    const endUser = input.end_user && { ...input.end_user, organization };
    const [row] = await db
        .insert(connectSessions)
        .values({
            id: crypto.randomUUID(),
            environmentId,
            tokenHash: await sha256Hex(token),
            endUserId: endUser?.id ?? null,
            endUserEmail: endUser?.email ?? null,
            endUserDisplayName: endUser?.display_name ?? null,
            endUserTags: endUser?.tags ?? null,
            organizationId: organization?.id ?? null,
            organizationDisplayName: organization?.display_name ?? null,
            tags: tagsWithEndUser(endUser, input.tags),
            allowedIntegrations: input.allowed_integrations ?? null,
            integrationsConfigDefaults: input.integrations_config_defaults ?? null,
            overrides: input.overrides ?? null,
            webhookUrlOverride: input.webhook_url_override || null,
            reconnectConnectionId,
            expiresAt: now + TTL_MS,
            createdAt: now
        })
        .returning();
    return { row: row!, token };
}

async function assertIntegrationsExist(db: Database, environmentId: string, keys: string[]) {
    const found = await db
        .select({ key: integrations.uniqueKey })
        .from(integrations)
        .where(and(eq(integrations.environmentId, environmentId), inArray(integrations.uniqueKey, keys)));
    const known = new Set(found.map((f) => f.key));
    const unknown = keys.map((key, i) => [key, i] as const).filter(([key]) => !known.has(key));
    if (unknown.length) {
        throw badRequest(
            'invalid_body',
            `Unknown integration${unknown.length > 1 ? 's' : ''}: ${unknown.map(([k]) => k).join(', ')}`,
            unknown.map(([key, i]) => ({ code: 'unknown_integration', message: `Unknown integration "${key}"`, path: ['allowed_integrations', i] }))
        );
    }
}

/** The unexpired session a token names, with its environment. */
export async function findLiveSession(db: Database, token: string): Promise<{ session: ConnectSessionRow; environment: EnvironmentRecord } | null> {
    const [row] = await db
        .select({ session: connectSessions, environment: environmentColumns })
        .from(connectSessions)
        .innerJoin(environments, eq(environments.id, connectSessions.environmentId))
        .where(and(eq(connectSessions.tokenHash, await sha256Hex(token)), gt(connectSessions.expiresAt, Date.now())))
        .limit(1);
    return row ?? null;
}

export async function deleteSession(db: Database, id: string): Promise<void> {
    await db.delete(connectSessions).where(eq(connectSessions.id, id));
}

export function isIntegrationAllowed(session: ConnectSessionRow, integrationKey: string): boolean {
    return !session.allowedIntegrations || session.allowedIntegrations.includes(integrationKey);
}

export function sessionDefaults(session: ConnectSessionRow, integrationKey: string): IntegrationDefaults {
    return ((session.integrationsConfigDefaults ?? {}) as Record<string, IntegrationDefaults>)[integrationKey] ?? {};
}

/** Sweep: sessions are useless once expired. */
export async function deleteExpiredSessions(db: Database): Promise<number> {
    const result = await db.delete(connectSessions).where(lt(connectSessions.expiresAt, Date.now()));
    return result.meta.changes ?? 0;
}
