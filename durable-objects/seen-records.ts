/** Appended to the ConnectionDO's migrations. */
export const SEEN_RECORDS_MIGRATIONS = [
    `CREATE TABLE track_deletes (
        model TEXT NOT NULL,
        variant TEXT NOT NULL,
        sync_name TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        PRIMARY KEY (model, variant)
    )`,
    `CREATE TABLE seen_records (
        model TEXT NOT NULL,
        variant TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (model, variant, id)
    ) WITHOUT ROWID`
] as const;

/**
 * Delete tracking (`trackDeletesStart`/`End`): which records of a model a sync saved since tracking
 * started. Kept here rather than in the records database so that unchanged records cost no write
 * there; kept across invocations, so tracking spans interrupted runs.
 */
export class SeenRecords {
    constructor(private readonly sql: SqlStorage) {}

    /** Starts tracking, unless it already started (an interrupted run continuing). */
    start(syncName: string, model: string, variant: string, now: number): void {
        this.sql.exec('INSERT INTO track_deletes (model, variant, sync_name, started_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', model, variant, syncName, now);
    }

    isTracking(model: string, variant: string): boolean {
        return this.sql.exec('SELECT 1 FROM track_deletes WHERE model = ? AND variant = ?', model, variant).toArray().length > 0;
    }

    /** Remembers saved ids, when the model is tracked. */
    mark(model: string, variant: string, ids: string[]): void {
        if (!this.isTracking(model, variant)) return;
        // One statement for the whole batch; the ids travel as one JSON parameter.
        this.sql.exec('INSERT INTO seen_records (model, variant, id) SELECT ?, ?, value FROM json_each(?) WHERE true ON CONFLICT DO NOTHING', model, variant, JSON.stringify(ids));
    }

    /** Which of these ids were saved since tracking started. */
    seenAmong(model: string, variant: string, ids: string[]): string[] {
        const seen = new Set(
            this.sql
                .exec<{ id: string }>('SELECT id FROM seen_records WHERE model = ? AND variant = ? AND id IN (SELECT value FROM json_each(?))', model, variant, JSON.stringify(ids))
                .toArray()
                .map((r) => r.id)
        );
        return ids.filter((id) => seen.has(id));
    }

    stop(model: string, variant: string): void {
        this.sql.exec('DELETE FROM track_deletes WHERE model = ? AND variant = ?', model, variant);
        this.sql.exec('DELETE FROM seen_records WHERE model = ? AND variant = ?', model, variant);
    }

    /** A reset run of the sync starts its tracking over. */
    forgetSync(syncName: string, variant: string): void {
        for (const { model } of this.sql.exec<{ model: string }>('SELECT model FROM track_deletes WHERE sync_name = ? AND variant = ?', syncName, variant).toArray()) this.stop(model, variant);
    }
}
