import type { RecordPosition } from './record-cursor.js';
import type { RecordScope } from './record-scope.js';

/**
 * `PATCH /records/prune`: empties the payloads of up to `limit` records at or before `until`,
 * keeping their id (with its original type), hash and metadata. An unchanged record saved again
 * stays pruned (same hash); one that changes gets its payload back. Pruning is not a change:
 * last_modified_at and seq stay, so cursors and listings are unaffected.
 *
 * The candidates come from the changes index alone (it carries pruned_at). Their rowids are then
 * updated under the same conditions, so a record changed in between is left alone; the unary `+`
 * keeps SQLite from scanning the index range again instead of looking the rowids up.
 */
export async function pruneRecords(scope: RecordScope, until: RecordPosition, limit: number, now = Date.now()): Promise<{ count: number; hasMore: boolean }> {
    const { results } = await scope.db
        .prepare(
            `SELECT rowid AS r FROM records
             WHERE connection_uid = ?1 AND model = ?2 AND variant = ?3 AND pruned_at IS NULL AND (last_modified_at, seq) <= (?4, ?5)
             ORDER BY last_modified_at, seq LIMIT ?6`
        )
        .bind(scope.connectionUid, scope.model, scope.variant, until.lastModifiedAt, until.seq, limit + 1)
        .all<{ r: number }>();
    const rowids = results.slice(0, limit).map((row) => row.r);
    if (!rowids.length) return { count: 0, hasMore: false };
    const { meta } = await scope.db
        .prepare(
            `UPDATE records SET data = json_object('id', data -> '$.id'), pruned_at = ?6
             WHERE rowid IN (SELECT value FROM json_each(?7)) AND +connection_uid = ?1 AND +model = ?2 AND +variant = ?3
                AND pruned_at IS NULL AND (+last_modified_at, +seq) <= (?4, ?5)`
        )
        .bind(scope.connectionUid, scope.model, scope.variant, until.lastModifiedAt, until.seq, now, JSON.stringify(rowids))
        .run();
    return { count: meta.changes, hasMore: results.length > limit };
}
