import { and, eq } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { findConnection, requireIntegrationForConnection } from '../connections/connections.js';
import type { Database } from '../db.js';
import { activeFunctions } from '../functions/deployments.js';
import type { ScheduleRow } from './apply-schedules.js';

/** A sync as the API names it: `name` (its base variant) or `name::variant`, or an object. */
export interface SyncSpec {
    name: string;
    variant?: string | undefined;
}

export function parseSyncSpec(value: string | SyncSpec): SyncSpec {
    if (typeof value !== 'string') return value;
    const [name, variant] = value.split('::', 2) as [string, string?];
    return variant ? { name, variant } : { name };
}

/**
 * The schedules a sync-control request is about: one integration's, of one connection or all of
 * them, of the named syncs or all. A named sync without a variant means its base variant.
 */
export async function targetSchedules(
    db: Database,
    environmentId: string,
    target: { integrationKey: string | undefined; connectionId?: string | undefined; syncs: SyncSpec[] }
): Promise<ScheduleRow[]> {
    if (!target.integrationKey) throw badRequest('missing_provider_config_key', 'provider_config_key is required');
    let uid: string | undefined;
    if (target.connectionId) {
        // A connection found implies its integration; the integration is looked up only to tell which error it is.
        const ref = await findConnection(db, environmentId, target.integrationKey, target.connectionId);
        if (!ref) {
            await requireIntegrationForConnection(db, environmentId, target.integrationKey);
            throw new ApiError(400, 'unknown_connection', `No connection "${target.connectionId}" for integration ${target.integrationKey}`);
        }
        uid = ref.row.uid;
    } else {
        await requireIntegrationForConnection(db, environmentId, target.integrationKey);
    }
    const rows = await db
        .select()
        .from(syncSchedules)
        .where(
            and(
                eq(syncSchedules.environmentId, environmentId),
                eq(syncSchedules.integrationKey, target.integrationKey),
                uid === undefined ? undefined : eq(syncSchedules.connectionUid, uid)
            )
        );
    if (target.syncs.length === 0) return rows;
    const deployed = new Set((await activeFunctions(db, environmentId, target.integrationKey)).filter((f) => f.type === 'sync').map((f) => f.name));
    const wanted = target.syncs.map((s) => ({ name: s.name, variant: s.variant ?? 'base' }));
    // A deployed sync with no connections yet is fine; an unknown sync or variant is not.
    const missing = wanted.filter((w) => !deployed.has(w.name) || (w.variant !== 'base' && !rows.some((r) => r.syncName === w.name && r.variant === w.variant)));
    if (missing.length) {
        throw badRequest('no_syncs_found', `No schedule for ${missing.map((m) => (m.variant === 'base' ? m.name : `${m.name}::${m.variant}`)).join(', ')} on ${uid ? `connection ${target.connectionId}` : `integration ${target.integrationKey}`}`);
    }
    return rows.filter((r) => wanted.some((w) => w.name === r.syncName && w.variant === r.variant));
}
