import type { RecordCounts } from './record-scope.js';

/**
 * Adds to a run's counts for a model. Callers put it in the batch that writes the records, so the
 * counts match the stored changes exactly, also when a run crashes halfway.
 */
export function addRunCounts(db: D1Database, runId: string, model: string, counts: RecordCounts): D1PreparedStatement {
    return db
        .prepare(
            `INSERT INTO run_counts (run_id, model, added, updated, deleted, unchanged, invalid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (run_id, model) DO UPDATE SET
                added = added + excluded.added, updated = updated + excluded.updated, deleted = deleted + excluded.deleted,
                unchanged = unchanged + excluded.unchanged, invalid = invalid + excluded.invalid`
        )
        .bind(runId, model, counts.added, counts.updated, counts.deleted, counts.unchanged, counts.invalid);
}

/** The counts of a run, per model; models it did not touch are absent. */
export async function runCounts(db: D1Database, runId: string): Promise<Record<string, RecordCounts>> {
    const { results } = await db
        .prepare('SELECT model, added, updated, deleted, unchanged, invalid FROM run_counts WHERE run_id = ?1')
        .bind(runId)
        .all<RecordCounts & { model: string }>();
    return Object.fromEntries(results.map(({ model, ...counts }) => [model, counts]));
}

/** Once the run's result is recorded elsewhere. */
export async function clearRunCounts(db: D1Database, runId: string): Promise<void> {
    await db.prepare('DELETE FROM run_counts WHERE run_id = ?1').bind(runId).run();
}
