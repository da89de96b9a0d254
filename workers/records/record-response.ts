import type { RecordMetadata, StoredRecord } from '../../functions-runtime/host-contract.js';
import { apiTimestamp, apiTimestampOrNull } from '../http/timestamps.js';
import { encodeCursor } from './record-cursor.js';

/** A stored record as listings read it. */
export interface RecordRow {
    id: string;
    /** Canonical JSON of an object that has an `id`: the payload, or just the id once pruned. */
    data: string;
    firstSeenAt: number;
    lastModifiedAt: number;
    deletedAt: number | null;
    prunedAt: number | null;
    seq: number;
}

export function lastAction(row: Pick<RecordRow, 'firstSeenAt' | 'lastModifiedAt' | 'deletedAt'>): RecordMetadata['last_action'] {
    if (row.deletedAt !== null) return 'DELETED';
    return row.firstSeenAt === row.lastModifiedAt ? 'ADDED' : 'UPDATED';
}

function recordMetadata(row: RecordRow): RecordMetadata {
    return {
        first_seen_at: apiTimestamp(row.firstSeenAt),
        last_modified_at: apiTimestamp(row.lastModifiedAt),
        last_action: lastAction(row),
        deleted_at: apiTimestampOrNull(row.deletedAt),
        pruned_at: apiTimestampOrNull(row.prunedAt),
        cursor: encodeCursor(row)
    };
}

/** For function code, which gets objects. */
export function storedRecord(row: RecordRow): StoredRecord {
    return { ...(JSON.parse(row.data) as { id: string | number }), _nango_metadata: recordMetadata(row) };
}

/**
 * The same record as JSON text for the API, without parsing the payload: the stored text is an
 * object that always has an `id` and never a `_nango_metadata` (canonicalRecord drops it), so the
 * metadata goes in before its closing brace.
 */
export function recordJson(row: RecordRow): string {
    return `${row.data.slice(0, -1)},"_nango_metadata":${JSON.stringify(recordMetadata(row))}}`;
}

/** `GET /records`'s answer, assembled from the records' JSON text. */
export function recordsPageJson(page: { records: RecordRow[]; nextCursor: string | null }): string {
    return `{"records":[${page.records.map(recordJson).join(',')}],"next_cursor":${JSON.stringify(page.nextCursor)}}`;
}
