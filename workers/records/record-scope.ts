/** The records of one model (and variant) of one connection, in the connection's shard. */
export interface RecordScope {
    db: D1Database;
    connectionUid: string;
    model: string;
    /** `base` when the sync has no variant. */
    variant: string;
}

/** What writes did, per model: the result of a sync run. */
export interface RecordCounts {
    added: number;
    updated: number;
    deleted: number;
    /** Saved again with the same payload: not written at all. */
    unchanged: number;
    /** Refused by the sandbox (`rejected`), or too large to store. */
    invalid: number;
}

export const noCounts = (): RecordCounts => ({ added: 0, updated: 0, deleted: 0, unchanged: 0, invalid: 0 });

export function addCounts(total: RecordCounts, more: RecordCounts): RecordCounts {
    return {
        added: total.added + more.added,
        updated: total.updated + more.updated,
        deleted: total.deleted + more.deleted,
        unchanged: total.unchanged + more.unchanged,
        invalid: total.invalid + more.invalid
    };
}

export interface WriteOptions {
    /** The sync run whose counts the write adds to (`run_counts`); null for writes outside a run. */
    runId: string | null;
    /** Records of the call the sandbox refused; counted as invalid. */
    rejected?: number;
    /** Stored records changed after this time (Unix ms) are left alone (`ignore_if_modified_after`). */
    ignoreIfModifiedAfter?: number;
    /** The time of the change; tests set it. */
    now?: number;
}
