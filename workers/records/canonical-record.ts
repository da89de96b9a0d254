import type { SyncRecord } from '../../functions-runtime/host-contract.js';
import { toHex } from '../crypto/encoding.js';
import { stableStringify } from '../webhooks/stable-json.js';

/** A record as stored: its id as a string, its canonical JSON and that JSON's hash. */
export interface CanonicalRecord {
    id: string;
    /** Keys sorted at every level, no whitespace: the same data always gives the same text. */
    json: string;
    /** UTF-8 length of `json`. */
    bytes: number;
    /** SHA-256 of `json`, hex. */
    hash: string;
}

const encoder = new TextEncoder();

/**
 * Only the data counts as a change, not the order of its keys. `_nango_metadata`, which records
 * read back from Spoke carry, is not data: it is dropped, so it can't be saved back or appear twice in
 * a response.
 */
export async function canonicalRecord(record: SyncRecord): Promise<CanonicalRecord> {
    const { _nango_metadata: _dropped, ...data } = record;
    const json = stableStringify(data);
    const bytes = encoder.encode(json);
    return { id: String(record.id), json, bytes: bytes.byteLength, hash: toHex(await crypto.subtle.digest('SHA-256', bytes)) };
}
