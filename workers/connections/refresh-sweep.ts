import { asc, lte } from 'drizzle-orm';
import { connections } from '../../schema/tables.js';
import type { Database } from '../db.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { findConnectionByUid } from './connection-by-uid.js';

const BATCH = 500;

/**
 * Tokens of connections nobody reads would lapse; this queues a refresh for each connection whose
 * token is due (`refresh_due_at`, kept by its ConnectionDO), most urgent first. Connections that
 * cannot refresh, are backing off or gave up have no due time, or a later one, so they never take
 * a batch's place. Reads refresh on their own, so busy connections have moved on already.
 */
export async function queueDueRefreshes(db: Database, env: Env, now = Date.now()): Promise<number> {
    const due = await db
        .select({ uid: connections.uid, environmentId: connections.environmentId })
        .from(connections)
        .where(lte(connections.refreshDueAt, now))
        .orderBy(asc(connections.refreshDueAt))
        .limit(BATCH);
    for (let i = 0; i < due.length; i += 100) {
        await env.JOBS.sendBatch(due.slice(i, i + 100).map((d) => ({ body: { type: 'refresh_connection', environmentId: d.environmentId, uid: d.uid } satisfies JobMessage })));
    }
    return due.length;
}

/** The `refresh_connection` job. A refused refresh is already logged and reported by the DO; only our own failures retry. */
export async function refreshIfDue(db: Database, env: Env, uid: string): Promise<void> {
    const ref = await findConnectionByUid(db, uid);
    if (!ref) return; // deleted since the sweep
    await env.CONNECTION.getByName(uid).refreshForSweep({ uid, rowId: ref.row.id, environmentId: ref.row.environmentId, integrationId: ref.row.integrationId });
}
