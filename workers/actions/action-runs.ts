import { and, eq, inArray, lt, or } from 'drizzle-orm';
import { actionRuns } from '../../schema/tables.js';
import type { Database } from '../db.js';

export type ActionRunRow = typeof actionRuns.$inferSelect;

/** How a finished async action failed, as `GET /action/:id` reports it. */
export interface StoredActionError {
    status: number;
    code: string;
    message: string;
    payload?: unknown;
    upstream?: { status: number; headers: Record<string, string>; data: unknown };
}

export async function createActionRun(
    db: Database,
    run: { environmentId: string; connectionUid: string; integrationKey: string; connectionId: string; actionName: string; input: unknown; maxRetries: number }
): Promise<string> {
    const id = crypto.randomUUID();
    const now = Date.now();
    await db.insert(actionRuns).values({ id, ...run, status: 'pending', async: true, createdAt: now, updatedAt: now });
    return id;
}

export async function deleteActionRun(db: Database, id: string): Promise<void> {
    await db.delete(actionRuns).where(eq(actionRuns.id, id));
}

/**
 * Takes a run for execution. A run another consumer holds is taken only once that consumer has
 * clearly died (`staleBefore`), so a redelivered queue message never runs an action twice at once.
 */
export async function claimActionRun(db: Database, id: string, staleBefore: number): Promise<ActionRunRow | null> {
    const [row] = await db
        .update(actionRuns)
        .set({ status: 'running', updatedAt: Date.now() })
        .where(and(eq(actionRuns.id, id), or(eq(actionRuns.status, 'pending'), and(eq(actionRuns.status, 'running'), lt(actionRuns.updatedAt, staleBefore)))))
        .returning();
    return row ?? null;
}

export async function findActionRun(db: Database, id: string): Promise<ActionRunRow | null> {
    const [row] = await db.select().from(actionRuns).where(eq(actionRuns.id, id)).limit(1);
    return row ?? null;
}

/** Back to pending for another attempt; the attempt just made is counted. */
export async function releaseActionRun(db: Database, id: string, attempts: number, operationId: number): Promise<void> {
    await db.update(actionRuns).set({ status: 'pending', attempts, operationId, updatedAt: Date.now() }).where(eq(actionRuns.id, id));
}

/** Records the outcome; the input is dropped, as nothing reads it any more and it may be large. */
export async function finishActionRun(
    db: Database,
    id: string,
    outcome: { attempts: number; operationId?: number } & ({ output: unknown } | { error: StoredActionError })
): Promise<void> {
    const succeeded = 'output' in outcome;
    await db
        .update(actionRuns)
        .set({
            status: succeeded ? 'succeeded' : 'failed',
            input: null,
            output: succeeded ? (outcome.output ?? null) : null,
            error: succeeded ? null : (outcome.error as unknown as Record<string, unknown>),
            attempts: outcome.attempts,
            ...(outcome.operationId !== undefined && { operationId: outcome.operationId }),
            updatedAt: Date.now()
        })
        .where(eq(actionRuns.id, id));
}

/** Finished runs older than the retention period. */
export async function pruneActionRuns(db: Database, finishedBefore: number): Promise<number> {
    const result = await db.delete(actionRuns).where(and(inArray(actionRuns.status, ['succeeded', 'failed']), lt(actionRuns.updatedAt, finishedBefore)));
    return result.meta.changes ?? 0;
}
