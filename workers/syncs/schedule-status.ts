import { and, eq } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import type { Database } from '../db.js';

/** The schedule's run is under way (`GET /sync/status` reports RUNNING). */
export async function markRunning(db: Database, uid: string, syncName: string, variant: string, since: number): Promise<void> {
    await db
        .update(syncSchedules)
        .set({ runningSince: since, nextRunAt: null })
        .where(and(eq(syncSchedules.connectionUid, uid), eq(syncSchedules.syncName, syncName), eq(syncSchedules.variant, variant)));
}

/** The id of the connection's schedule of a sync variant (`id` in `GET /sync/status`); null when it has none. */
export async function scheduleId(db: Database, uid: string, syncName: string, variant: string): Promise<string | null> {
    const [row] = await db
        .select({ id: syncSchedules.id })
        .from(syncSchedules)
        .where(and(eq(syncSchedules.connectionUid, uid), eq(syncSchedules.syncName, syncName), eq(syncSchedules.variant, variant)))
        .limit(1);
    return row?.id ?? null;
}
