import { asc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { connectionPurges, connections, syncSchedules } from '../../schema/tables.js';
import type { Database } from '../db.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { deleteConnectionRecords } from '../records/record-purge.js';
import { recordsShards } from '../records/records-shards.js';

/**
 * Statements that delete connections from the index and, in the same transaction, queue their
 * Durable Object storage for wiping. Their schedule rows go too, so the overdue sweep never wakes
 * a deleted connection's Durable Object. Run them inside a `db.batch` with the rest of the change.
 */
export function purgeConnectionsWhere(db: Database, condition: SQL | undefined) {
    const queued = db
        .select({
            uid: connections.uid,
            environmentId: connections.environmentId,
            requestedAt: sql<number>`${Date.now()}`.as('requested_at'),
            attempts: sql<number>`0`.as('attempts')
        })
        .from(connections)
        .where(condition);
    const doomed = db.select({ uid: connections.uid }).from(connections).where(condition);
    return [
        db.insert(connectionPurges).select(queued).onConflictDoNothing(),
        db.delete(syncSchedules).where(inArray(syncSchedules.connectionUid, doomed)),
        db.delete(connections).where(condition)
    ] as const;
}

export const drainMessage = (environmentId: string): JobMessage => ({ type: 'purge_connections', environmentId });

const BATCH = 50;

/**
 * Wipes the storage of queued connections of one environment, a batch at a time. Returns true
 * when more remain. A DO that fails stays queued with its attempt count raised.
 */
export async function drainPurges(db: Database, env: Env, environmentId: string): Promise<boolean> {
    const pending = await db
        .select()
        .from(connectionPurges)
        .where(eq(connectionPurges.environmentId, environmentId))
        .orderBy(asc(connectionPurges.requestedAt))
        .limit(BATCH);
    const results = await Promise.allSettled(pending.map((p) => wipeConnectionStorage(db, env, p.uid)));
    const failed = pending.filter((_, i) => results[i]!.status === 'rejected');
    if (failed.length) {
        await db
            .update(connectionPurges)
            .set({ attempts: sql`${connectionPurges.attempts} + 1` })
            .where(inArray(connectionPurges.uid, failed.map((p) => p.uid)));
        throw new AggregateError(
            results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
            `${failed.length} connection purges failed`
        );
    }
    return pending.length === BATCH;
}

/**
 * Wipes the connection's Durable Object, then its records, then its outbox row, so a failure at
 * any step leaves the row for a retry. The Durable Object goes first: it starts sync runs, so no
 * new run can add records behind the deletion. Records are deleted from every shard: the outbox
 * does not keep the connection's shard, and a shard the connection never used answers at once.
 */
export async function wipeConnectionStorage(db: Database, env: Env, uid: string): Promise<void> {
    await env.CONNECTION.getByName(uid).purge();
    await Promise.all(recordsShards(env).map((shard) => deleteConnectionRecords(shard, uid)));
    await db.delete(connectionPurges).where(eq(connectionPurges.uid, uid));
}

/** Environments with purges that have waited longer than `olderThanMs`, for the cron sweep. */
export async function stalePurgeEnvironments(db: Database, olderThanMs: number): Promise<string[]> {
    const rows = await db
        .selectDistinct({ environmentId: connectionPurges.environmentId })
        .from(connectionPurges)
        .where(lt(connectionPurges.requestedAt, Date.now() - olderThanMs));
    return rows.map((r) => r.environmentId);
}
