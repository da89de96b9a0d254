import { and, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { rescheduleConnections } from './sync-control.js';

const GRACE_MS = 5 * 60_000;
const LIMIT = 500;

/**
 * The safety net of scheduling: a schedule whose run is overdue by minutes was never handed to
 * its connection's Durable Object (a deployment's fan-out lost, say). Handing it over again
 * starts the run; objects that already have it change nothing.
 */
export async function rescheduleOverdue(db: Database, env: Env, now: number): Promise<number> {
    const overdue = await db
        .selectDistinct({ environmentId: syncSchedules.environmentId, uid: syncSchedules.connectionUid })
        .from(syncSchedules)
        .where(and(eq(syncSchedules.status, 'RUNNING'), isNull(syncSchedules.runningSince), isNotNull(syncSchedules.nextRunAt), lt(syncSchedules.nextRunAt, now - GRACE_MS)))
        .limit(LIMIT);
    const byEnvironment = new Map<string, string[]>();
    for (const o of overdue) byEnvironment.set(o.environmentId, [...(byEnvironment.get(o.environmentId) ?? []), o.uid]);
    for (const [environmentId, uids] of byEnvironment) await rescheduleConnections(db, env, environmentId, uids);
    return overdue.length;
}
