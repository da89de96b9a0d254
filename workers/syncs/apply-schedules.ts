import { and, eq, inArray } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import type { ScheduleConfig } from '../../durable-objects/sync-types.js';
import type { Database } from '../db.js';
import { eachWithLimit } from '../work-pool.js';

export type ScheduleRow = typeof syncSchedules.$inferSelect;

const IN_CHUNK = 90;
const CONCURRENCY = 20;

export const effectiveFrequency = (row: Pick<ScheduleRow, 'frequencyMs' | 'frequencyOverrideMs'>) => row.frequencyOverrideMs ?? row.frequencyMs;

/**
 * Hands each connection's Durable Object its schedules, as D1 has them: D1 says what should run
 * and how often, the object decides when and fires the runs. Each object reports its next run
 * time back, which D1 keeps for `GET /sync/status` and for the overdue sweep.
 */
export async function applySchedules(db: Database, env: Env, environmentId: string, uids: string[]): Promise<void> {
    const unique = [...new Set(uids)];
    const rows: ScheduleRow[] = [];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
        rows.push(...(await db.select().from(syncSchedules).where(and(eq(syncSchedules.environmentId, environmentId), inArray(syncSchedules.connectionUid, unique.slice(i, i + IN_CHUNK))))));
    }
    const byConnection = new Map<string, ScheduleRow[]>(unique.map((uid) => [uid, []]));
    for (const row of rows) byConnection.get(row.connectionUid)!.push(row);
    await eachWithLimit([...byConnection], CONCURRENCY, async ([uid, schedules]) => {
        const configs: ScheduleConfig[] = schedules.map((s) => ({
            syncName: s.syncName,
            variant: s.variant,
            integrationKey: s.integrationKey,
            frequencyMs: effectiveFrequency(s),
            status: s.status === 'PAUSED' ? 'PAUSED' : 'RUNNING'
        }));
        const [first, ...rest] = (await env.CONNECTION.getByName(uid).applySchedules(environmentId, uid, configs)).map((s) =>
            db
                .update(syncSchedules)
                .set({ nextRunAt: s.nextRunAt })
                .where(and(eq(syncSchedules.connectionUid, uid), eq(syncSchedules.syncName, s.syncName), eq(syncSchedules.variant, s.variant)))
        );
        if (first) await db.batch([first, ...rest]);
    });
}
