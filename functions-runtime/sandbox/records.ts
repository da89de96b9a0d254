// Validation of the records a sync saves, updates or deletes, and their delivery to the host in
// chunks.
import type { FunctionHost, SyncRecord } from '../host-contract.js';
import { SdkError } from './sdk-error.js';

export const RECORDS_PER_CALL = 1000;
const MAX_ID_LENGTH = 255;

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

/**
 * Records ready for the host, and the ids dropped as duplicates: within one call the first
 * record with an id wins (as in Nango's production runtime). `_nango_metadata`, which records read
 * back from the platform carry, is stripped.
 */
export function prepareRecords(operation: BatchOperation, records: unknown): { records: SyncRecord[]; duplicates: (string | number)[] } {
    if (!Array.isArray(records)) throw new SdkError('invalid_sync_record', `${operation}: records must be an array`);
    const seen = new Set<string>();
    const prepared: SyncRecord[] = [];
    const duplicates: (string | number)[] = [];
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
        if (seen.has(key)) {
            duplicates.push(id);
            return;
        }
        seen.add(key);
        prepared.push({ ...fields, id });
    });
    return { records: prepared, duplicates };
}

export async function sendInChunks(host: FunctionHost, operation: BatchOperation, model: string, records: SyncRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += RECORDS_PER_CALL) {
        await host[operation](model, records.slice(start, start + RECORDS_PER_CALL));
    }
}
