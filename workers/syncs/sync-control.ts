import { and, eq, inArray } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import type { RunFlags } from '../../durable-objects/sync-types.js';
import type { Database } from '../db.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { chunkByCount } from '../records/record-chunks.js';
import { applySchedules, type ScheduleRow } from './apply-schedules.js';

/** Up to this many Durable Objects are told inline; beyond, the work goes to the queue in pages. */
const INLINE_LIMIT = 50;
const PAGE = 100;

export interface SyncTarget {
    uid: string;
    syncName: string;
    variant: string;
}

export const targetOf = (row: ScheduleRow): SyncTarget => ({ uid: row.connectionUid, syncName: row.syncName, variant: row.variant });

/** Runs the targets now (or right after their run under way), with the flags. */
export async function triggerTargets(db: Database, env: Env, environmentId: string, targets: SyncTarget[], flags: RunFlags): Promise<void> {
    if (targets.length > INLINE_LIMIT) {
        await sendPages(env, targets, (page) => ({ type: 'trigger_syncs', environmentId, targets: page, flags }));
        return;
    }
    for (const t of targets) {
        const stub = env.CONNECTION.getByName(t.uid);
        // An object that has not heard of the schedule yet (a deployment's fan-out still under way) learns it first.
        if (!(await stub.triggerSync(t.syncName, t.variant, flags))) {
            await applySchedules(db, env, environmentId, [t.uid]);
            await stub.triggerSync(t.syncName, t.variant, flags);
        }
    }
}

/** Tells the connections' Durable Objects their schedules changed. */
export async function rescheduleConnections(db: Database, env: Env, environmentId: string, uids: string[]): Promise<void> {
    const unique = [...new Set(uids)];
    if (unique.length > INLINE_LIMIT) await sendPages(env, unique, (page) => ({ type: 'apply_schedules', environmentId, uids: page }));
    else await applySchedules(db, env, environmentId, unique);
}

/** After a deployment or rollback: every connection of the environment, page by page from the queue. */
export async function rescheduleEnvironment(env: Env, environmentId: string): Promise<void> {
    await env.JOBS.send({ type: 'apply_schedules', environmentId } satisfies JobMessage);
}

/**
 * `POST /sync/pause` and `/sync/start`. Starting a paused schedule also runs it at once. Every
 * targeted connection is told, changed or not: a retry after a failure halfway then repairs it.
 */
export async function setScheduleStatus(db: Database, env: Env, environmentId: string, rows: ScheduleRow[], status: 'RUNNING' | 'PAUSED'): Promise<void> {
    const [first, ...rest] = chunkByCount(rows, 90).map((chunk) =>
        db
            .update(syncSchedules)
            .set({ status, updatedAt: Date.now() })
            .where(inArray(syncSchedules.id, chunk.map((r) => r.id)))
    );
    if (!first) return;
    await db.batch([first, ...rest]);
    await rescheduleConnections(db, env, environmentId, rows.map((r) => r.connectionUid));
    if (status === 'RUNNING') await triggerTargets(db, env, environmentId, rows.filter((r) => r.status !== status).map(targetOf), {});
}

/** `PUT /sync/update-connection-frequency`: this connection's own frequency, or back to the sync's (null). */
export async function setFrequencyOverride(db: Database, env: Env, row: ScheduleRow, frequencyMs: number | null): Promise<void> {
    await db
        .update(syncSchedules)
        .set({ frequencyOverrideMs: frequencyMs, updatedAt: Date.now() })
        .where(and(eq(syncSchedules.connectionUid, row.connectionUid), eq(syncSchedules.syncName, row.syncName), eq(syncSchedules.variant, row.variant)));
    await applySchedules(db, env, row.environmentId, [row.connectionUid]);
}

async function sendPages<T>(env: Env, items: T[], message: (page: T[]) => JobMessage): Promise<void> {
    for (let i = 0; i < items.length; i += PAGE * 100) {
        const batch = [];
        for (let j = i; j < Math.min(items.length, i + PAGE * 100); j += PAGE) batch.push({ body: message(items.slice(j, j + PAGE)) });
        await env.JOBS.sendBatch(batch);
    }
}
