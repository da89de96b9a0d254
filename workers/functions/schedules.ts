import { and, eq, sql } from 'drizzle-orm';
import { connections, integrations, syncSchedules } from '../../schema/tables.js';
import type { Database } from '../db.js';
import type { SyncConfig } from './function-config.js';
import { parseFrequency } from './frequency.js';

export interface DeployedSync {
    integrationKey: string;
    name: string;
    config: SyncConfig;
}

/**
 * Statements that give every connection of each sync's integration a schedule for that sync, and
 * remove the schedules of syncs no longer deployed. Existing schedules keep their state (a paused
 * sync stays paused); only the frequency follows the new deployment.
 */
export async function scheduleStatements(db: Database, environmentId: string, syncs: DeployedSync[], now: number) {
    const deployed = new Set(syncs.map((s) => `${s.integrationKey}\u0000${s.name}`));
    const existing = await db
        .selectDistinct({ integrationKey: syncSchedules.integrationKey, syncName: syncSchedules.syncName })
        .from(syncSchedules)
        .where(eq(syncSchedules.environmentId, environmentId));
    const removals = existing
        .filter((e) => !deployed.has(`${e.integrationKey}\u0000${e.syncName}`))
        .map((e) =>
            db
                .delete(syncSchedules)
                .where(and(eq(syncSchedules.environmentId, environmentId), eq(syncSchedules.integrationKey, e.integrationKey), eq(syncSchedules.syncName, e.syncName)))
        );
    const upserts = syncs.map((s) => upsertForIntegration(db, environmentId, s, now));
    // Variants follow their sync's frequency too.
    const frequencies = syncs.map((s) =>
        db
            .update(syncSchedules)
            .set({ frequencyMs: parseFrequency(s.config.frequency)!, updatedAt: now })
            .where(and(eq(syncSchedules.environmentId, environmentId), eq(syncSchedules.integrationKey, s.integrationKey), eq(syncSchedules.syncName, s.name)))
    );
    return [...removals, ...upserts, ...frequencies];
}

function upsertForIntegration(db: Database, environmentId: string, sync: DeployedSync, now: number, onlyConnectionUid?: string) {
    const frequencyMs = parseFrequency(sync.config.frequency)!;
    const status = sync.config.auto_start ? 'RUNNING' : 'PAUSED';
    const rows = db
        .select({
            id: sql<string>`lower(hex(randomblob(16)))`.as('id'),
            environmentId: connections.environmentId,
            connectionUid: connections.uid,
            integrationKey: integrations.uniqueKey,
            syncName: sql<string>`${sync.name}`.as('sync_name'),
            variant: sql<string>`'base'`.as('variant'),
            frequencyMs: sql<number>`${frequencyMs}`.as('frequency_ms'),
            frequencyOverrideMs: sql<number | null>`NULL`.as('frequency_override_ms'),
            status: sql<string>`${status}`.as('status'),
            nextRunAt: sql<number | null>`${status === 'RUNNING' ? now : null}`.as('next_run_at'),
            runningSince: sql<number | null>`NULL`.as('running_since'),
            lastSyncDate: sql<number | null>`NULL`.as('last_sync_date'),
            lastRunStatus: sql<string | null>`NULL`.as('last_run_status'),
            lastRunAt: sql<number | null>`NULL`.as('last_run_at'),
            lastError: sql<null>`NULL`.as('last_error'),
            latestResult: sql<null>`NULL`.as('latest_result'),
            recordCounts: sql<string>`'{}'`.as('record_counts'),
            createdAt: sql<number>`${now}`.as('created_at'),
            updatedAt: sql<number>`${now}`.as('updated_at')
        })
        .from(connections)
        .innerJoin(integrations, eq(integrations.id, connections.integrationId))
        .where(
            and(
                eq(integrations.environmentId, environmentId),
                eq(integrations.uniqueKey, sync.integrationKey),
                onlyConnectionUid === undefined ? undefined : eq(connections.uid, onlyConnectionUid)
            )
        );
    return db
        .insert(syncSchedules)
        .select(rows)
        .onConflictDoUpdate({ target: [syncSchedules.connectionUid, syncSchedules.syncName, syncSchedules.variant], set: { frequencyMs, updatedAt: now } });
}

/** A new connection gets schedules for its integration's deployed syncs. */
export async function scheduleNewConnection(db: Database, environmentId: string, connectionUid: string, syncs: DeployedSync[]): Promise<void> {
    const now = Date.now();
    for (const sync of syncs) await upsertForIntegration(db, environmentId, sync, now, connectionUid);
}
