import type { RecordMetadata, StoredRecord, SyncRecord } from '../../../functions-runtime/host-contract.js';
import { DeleteTracker } from '../../../functions-runtime/host/delete-tracker.js';

export type RecordsByModel = Record<string, SyncRecord[]>;

/** The file's stored records predate the run; a fixed date keeps their metadata the same on every run. */
const STORED_AT = '2024-01-01T00:00:00.000Z';
const DEFAULT_PAGE = 1000;

interface Entry {
    record: SyncRecord;
    firstSeenAt: string;
    lastModifiedAt: string;
    lastAction: 'ADDED' | 'UPDATED';
    /** Modification order; a listing's cursor is the sequence of its last record. */
    sequence: number;
}

/**
 * The records a `spoke test` run reads, as the platform keeps them: the test file's stored
 * records, then what the run saves, without what it deletes. Updates are collected for the
 * expectations but not applied here. Delete tracking works as on the platform.
 */
export class ReplayRecords {
    /** Per model, by id as a string, in modification order. */
    readonly #models = new Map<string, Map<string, Entry>>();
    readonly #tracking = new DeleteTracker();
    #sequence = 0;

    constructor(stored: RecordsByModel) {
        for (const [model, records] of Object.entries(stored)) {
            for (const { _nango_metadata: _ignored, ...record } of records) this.#put(model, record as SyncRecord, STORED_AT);
        }
    }

    save(model: string, records: SyncRecord[]): void {
        const now = new Date().toISOString();
        for (const record of records) this.#put(model, record, now);
        this.#tracking.saved(model, records);
    }

    delete(model: string, records: SyncRecord[]): void {
        for (const record of records) this.#models.get(model)?.delete(String(record.id));
    }

    byIds(model: string, ids: (string | number)[]): SyncRecord[] {
        const entries = this.#models.get(model);
        return ids.flatMap((id) => {
            const entry = entries?.get(String(id));
            return entry ? [structuredClone(entry.record)] : [];
        });
    }

    list(model: string, options: { cursor?: string; limit?: number }): { records: StoredRecord[]; nextCursor: string | null } {
        const after = Number(options.cursor ?? 0);
        const remaining = [...(this.#models.get(model)?.values() ?? [])].filter((entry) => entry.sequence > after);
        const page = remaining.slice(0, options.limit ?? DEFAULT_PAGE);
        return {
            records: page.map((entry) => ({ ...structuredClone(entry.record), _nango_metadata: metadataOf(entry) })),
            nextCursor: page.length < remaining.length ? String(page.at(-1)!.sequence) : null
        };
    }

    trackStart(model: string): void {
        this.#tracking.start(model);
    }

    /** Deletes the model's records not saved since trackStart; answers their ids as stored. */
    trackEnd(model: string): SyncRecord['id'][] {
        const saved = this.#tracking.end(model);
        const entries = this.#models.get(model) ?? new Map<string, Entry>();
        const deleted: SyncRecord['id'][] = [];
        for (const [key, entry] of entries) {
            if (saved.has(key)) continue;
            entries.delete(key);
            deleted.push(entry.record.id);
        }
        return deleted;
    }

    #put(model: string, record: SyncRecord, at: string): void {
        const entries = this.#models.get(model) ?? new Map<string, Entry>();
        this.#models.set(model, entries);
        const key = String(record.id);
        const previous = entries.get(key);
        // Re-inserted, so that the map's order stays the modification order.
        entries.delete(key);
        this.#sequence += 1;
        entries.set(key, {
            record: structuredClone(record),
            firstSeenAt: previous?.firstSeenAt ?? at,
            lastModifiedAt: at,
            lastAction: previous ? 'UPDATED' : 'ADDED',
            sequence: this.#sequence
        });
    }
}

function metadataOf(entry: Entry): RecordMetadata {
    return {
        first_seen_at: entry.firstSeenAt,
        last_modified_at: entry.lastModifiedAt,
        last_action: entry.lastAction,
        deleted_at: null,
        pruned_at: null,
        cursor: String(entry.sequence)
    };
}
