// The shape of the records a sync saves, updates or deletes (an object with an id), duplicate ids
// within one call, and the records' delivery to the host in chunks.
import type { BatchOptions, FunctionHost, LogEntry, SyncRecord } from '../host-contract.js';
import { SdkError } from './sdk-error.js';

export const RECORDS_PER_CALL = 1000;
const MAX_ID_LENGTH = 255;
/** Enough ids to find the cause; the count says how many there were. */
const DUPLICATE_IDS_LOGGED = 100;

export type BatchOperation = 'batchSave' | 'batchUpdate' | 'batchDelete';

export function assertDeclaredModel(models: ReadonlySet<string>, model: unknown, operation: string): asserts model is string {
    if (typeof model !== 'string' || !models.has(model)) {
        const declared = [...models].join(', ') || 'none';
        throw new SdkError('unknown_model', `${operation}: model "${String(model)}" is not declared by this sync (declared: ${declared})`);
    }
}

function validId(id: unknown): id is string | number {
    return (typeof id === 'string' && id.length >= 1 && id.length <= MAX_ID_LENGTH) || (typeof id === 'number' && Number.isFinite(id));
}

export interface PreparedRecords {
    records: SyncRecord[];
    /** How many records were dropped because a later record of the call has the same id. */
    dropped: number;
    /** Each id that occurred more than once, once, as a string. */
    duplicateIds: string[];
}

/**
 * Records ready for validation, one per id: within one call the last record of an id wins, in
 * the place of that last one, as if the records had been saved one after the other. Ids compare
 * as strings, as the platform stores them. `_nango_metadata`, which records read back from the
 * platform carry, is stripped.
 */
export function prepareRecords(operation: BatchOperation, records: unknown): PreparedRecords {
    if (!Array.isArray(records)) throw new SdkError('invalid_sync_record', `${operation}: records must be an array`);
    const byId = new Map<string, SyncRecord>();
    const duplicates = new Set<string>();
    let dropped = 0;
    records.forEach((record: unknown, index) => {
        if (typeof record !== 'object' || record === null || Array.isArray(record)) {
            throw new SdkError('invalid_sync_record', `${operation}: record ${index} is not an object`);
        }
        const { _nango_metadata: _stripped, ...fields } = record as Record<string, unknown>;
        const id = fields['id'];
        if (!validId(id)) {
            throw new SdkError('invalid_sync_record', `${operation}: record ${index} needs an \`id\` that is a string of 1 to ${MAX_ID_LENGTH} characters or a number`);
        }
        const key = String(id);
        if (byId.delete(key)) {
            dropped += 1;
            duplicates.add(key);
        }
        byId.set(key, { ...fields, id });
    });
    return { records: [...byId.values()], dropped, duplicateIds: [...duplicates.values()] };
}

/** The one warning a call with duplicate ids logs. */
export function duplicatesLog(operation: BatchOperation, model: string, prepared: PreparedRecords): LogEntry {
    return {
        level: 'warn',
        message: `${operation}: ${prepared.dropped} record(s) of model "${model}" repeat the id of a later record of this call and were dropped; the last record of each id is kept`,
        payload: { model, dropped: prepared.dropped, duplicateIds: prepared.duplicateIds.slice(0, DUPLICATE_IDS_LOGGED) },
        at: Date.now()
    };
}

/**
 * Sends the records in chunks the host accepts. The rejected count belongs to the whole call, so it
 * goes once, with the first chunk: an empty one when every record was rejected.
 */
export async function sendInChunks(host: FunctionHost, operation: BatchOperation, model: string, records: SyncRecord[], options: BatchOptions): Promise<void> {
    const { rejected, ...everyChunk } = options;
    for (let start = 0; start === 0 || start < records.length; start += RECORDS_PER_CALL) {
        const chunkOptions = start === 0 && rejected ? { ...everyChunk, rejected } : everyChunk;
        const chunk = records.slice(start, start + RECORDS_PER_CALL);
        await (Object.keys(chunkOptions).length ? host[operation](model, chunk, chunkOptions) : host[operation](model, chunk));
    }
}
