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
