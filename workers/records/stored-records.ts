import type { RecordScope } from './record-scope.js';

// Lookups by id take the ids as one JSON array parameter, so a statement binds four parameters
// whatever the number of ids.

/** What deciding a write needs to know about a stored record; no payload. */
export interface StoredState {
    hash: string;
    deletedAt: number | null;
    lastModifiedAt: number;
}

export async function storedStates(scope: RecordScope, ids: string[]): Promise<Map<string, StoredState>> {
    const { results } = await scope.db
        .prepare(
            `SELECT id, hash, deleted_at AS deletedAt, last_modified_at AS lastModifiedAt FROM records
             WHERE connection_uid = ?1 AND model = ?2 AND variant = ?3 AND id IN (SELECT value FROM json_each(?4))`
        )
        .bind(scope.connectionUid, scope.model, scope.variant, JSON.stringify(ids))
        .all<StoredState & { id: string }>();
    return new Map(results.map(({ id, ...state }) => [id, state]));
}

/** A record that has a payload to read: not deleted, not pruned. */
export interface StoredPayload {
    id: string;
    /** Canonical JSON. */
    data: string;
    hash: string;
    lastModifiedAt: number;
}

/** Payloads can be large: callers ask for a hundred or so at a time. */
export async function storedPayloads(scope: RecordScope, ids: string[]): Promise<StoredPayload[]> {
    const { results } = await scope.db
        .prepare(
            `SELECT id, data, hash, last_modified_at AS lastModifiedAt FROM records
             WHERE connection_uid = ?1 AND model = ?2 AND variant = ?3 AND id IN (SELECT value FROM json_each(?4))
                AND deleted_at IS NULL AND pruned_at IS NULL`
        )
        .bind(scope.connectionUid, scope.model, scope.variant, JSON.stringify(ids))
        .all<StoredPayload>();
    return results;
}

const PAYLOAD_READ_CHUNK = 100;

/** `nango.getRecordsByIds`: the payloads of the live records among `ids`; unknown, deleted and pruned ones are left out. */
export async function getRecordsByIds(scope: RecordScope, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
    const unique = [...new Set(ids.map(String))];
    const payloads: Record<string, unknown>[] = [];
    for (let i = 0; i < unique.length; i += PAYLOAD_READ_CHUNK) {
        for (const record of await storedPayloads(scope, unique.slice(i, i + PAYLOAD_READ_CHUNK))) payloads.push(JSON.parse(record.data) as Record<string, unknown>);
    }
    return payloads;
}
