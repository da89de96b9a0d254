import { and, asc, eq, gt } from 'drizzle-orm';
import { connections } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { applySchedules } from './apply-schedules.js';

const PAGE = 200;

/** The `apply_schedules` job: the given connections, or the environment's next page of connections (then it queues the page after). */
export async function applyScheduleJob(db: Database, env: Env, job: { environmentId: string; uids?: string[] | undefined; afterUid?: string | undefined }): Promise<void> {
    if (job.uids) {
        await applySchedules(db, env, job.environmentId, job.uids);
        return;
    }
    const page = await db
        .select({ uid: connections.uid })
        .from(connections)
        .where(and(eq(connections.environmentId, job.environmentId), job.afterUid === undefined ? undefined : gt(connections.uid, job.afterUid)))
        .orderBy(asc(connections.uid))
        .limit(PAGE);
    await applySchedules(db, env, job.environmentId, page.map((c) => c.uid));
    if (page.length === PAGE) await env.JOBS.send({ type: 'apply_schedules', environmentId: job.environmentId, afterUid: page[PAGE - 1]!.uid });
}
