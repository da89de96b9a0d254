import type { CanonicalRecord } from './canonical-record.js';
import type { RecordCounts, RecordScope, WriteOptions } from './record-scope.js';
import { addRunCounts } from './run-counts.js';

// Every write is one D1 batch (a transaction): it reserves `n` sequence numbers and a timestamp for
// the connection, applies the change with them, and adds to the run's counts. Record rows travel
// as one JSON array parameter read with json_each, which keeps each statement to a handful of
// bound parameters (D1 allows 100) however many records it writes.

/**
 * Reserves seq `last_seq - n + 1 … last_seq` and a timestamp. The timestamp grows with every
 * write, even within a millisecond, so an update always gets a later last_modified_at than the
 * add it follows, and (last_modified_at, seq) sorts changes in commit order.
 */
function reserveSequence(scope: RecordScope, n: number, now: number): D1PreparedStatement {
    return scope.db
        .prepare(
            `INSERT INTO record_sequences (connection_uid, last_seq, last_ts) VALUES (?1, ?2, ?3)
             ON CONFLICT (connection_uid) DO UPDATE SET last_seq = last_seq + excluded.last_seq, last_ts = max(last_ts + 1, excluded.last_ts)`
        )
        .bind(scope.connectionUid, n, now);
}

/** `[{"i":id,"h":hash,"d":payload}, …]`, with the canonical payloads spliced in as they are. */
function rowsParameter(rows: CanonicalRecord[]): string {
    return `[${rows.map((r) => `{"i":${JSON.stringify(r.id)},"h":"${r.hash}","d":${r.json}}`).join(',')}]`;
}

/** Upper bound of a row's share of `rowsParameter`, for chunking (an escaped id can take 6 bytes a character). */
export const rowParameterBytes = (row: CanonicalRecord): number => row.bytes + 6 * row.id.length + 100;

/**
 * Adds or replaces records. Undeleting resets first_seen_at, so the record reads ADDED again.
 * The guard repeats the caller's classification inside the transaction: a row that a concurrent
 * write made equal, or modified after `ignoreIfModifiedAfter`, is left alone.
 */
function upsertRecords(scope: RecordScope, rows: CanonicalRecord[], ignoreIfModifiedAfter: number | null): D1PreparedStatement {
    return scope.db
        .prepare(
            `INSERT INTO records (connection_uid, model, variant, id, data, hash, first_seen_at, last_modified_at, deleted_at, pruned_at, seq)
             SELECT ?1, ?2, ?3, j.value ->> '$.i', j.value -> '$.d', j.value ->> '$.h', s.last_ts, s.last_ts, NULL, NULL, s.last_seq - ?4 + j.key + 1
             FROM json_each(?5) AS j, record_sequences AS s
             WHERE s.connection_uid = ?1
             ON CONFLICT (connection_uid, model, variant, id) DO UPDATE SET
                data = excluded.data, hash = excluded.hash, last_modified_at = excluded.last_modified_at, seq = excluded.seq,
                first_seen_at = CASE WHEN records.deleted_at IS NULL THEN records.first_seen_at ELSE excluded.first_seen_at END,
                deleted_at = NULL, pruned_at = NULL
             WHERE (records.deleted_at IS NOT NULL OR records.hash <> excluded.hash) AND (?6 IS NULL OR records.last_modified_at <= ?6)`
        )
        .bind(scope.connectionUid, scope.model, scope.variant, rows.length, rowsParameter(rows), ignoreIfModifiedAfter);
}

/**
 * Soft-deletes: the payload stays, deleted_at and last_modified_at become the write's timestamp.
 * The rows are found from the ids first (primary key lookups) and then updated by rowid: as a
 * plain UPDATE … FROM, SQLite would scan the model's records for every id instead.
 */
function softDeleteRecords(scope: RecordScope, ids: string[], ignoreIfModifiedAfter: number | null): D1PreparedStatement {
    return scope.db
        .prepare(
            `WITH doomed AS MATERIALIZED (
                SELECT r.rowid AS r, s.last_ts AS ts, s.last_seq - ?4 + j.key + 1 AS seq
                FROM json_each(?5) AS j CROSS JOIN record_sequences AS s CROSS JOIN records AS r
                WHERE s.connection_uid = ?1 AND r.connection_uid = ?1 AND r.model = ?2 AND r.variant = ?3 AND r.id = j.value
                    AND r.deleted_at IS NULL AND (?6 IS NULL OR r.last_modified_at <= ?6)
            )
            UPDATE records SET deleted_at = doomed.ts, last_modified_at = doomed.ts, seq = doomed.seq FROM doomed WHERE records.rowid = doomed.r`
        )
        .bind(scope.connectionUid, scope.model, scope.variant, ids.length, JSON.stringify(ids), ignoreIfModifiedAfter);
}

async function commit(scope: RecordScope, n: number, change: () => D1PreparedStatement, counts: RecordCounts, options: WriteOptions): Promise<void> {
    const statements: D1PreparedStatement[] = [];
    if (n > 0) statements.push(reserveSequence(scope, n, options.now ?? Date.now()), change());
    // Unchanged and invalid records are part of the run's result even when nothing is written.
    if (options.runId !== null && Object.values(counts).some((count) => count > 0)) statements.push(addRunCounts(scope.db, options.runId, scope.model, counts));
    if (statements.length) await scope.db.batch(statements);
}

export function commitUpserts(scope: RecordScope, rows: CanonicalRecord[], counts: RecordCounts, options: WriteOptions): Promise<void> {
    return commit(scope, rows.length, () => upsertRecords(scope, rows, options.ignoreIfModifiedAfter ?? null), counts, options);
}

export function commitSoftDeletes(scope: RecordScope, ids: string[], counts: RecordCounts, options: WriteOptions): Promise<void> {
    return commit(scope, ids.length, () => softDeleteRecords(scope, ids, options.ignoreIfModifiedAfter ?? null), counts, options);
}
