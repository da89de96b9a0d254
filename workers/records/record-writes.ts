import type { SyncRecord } from '../../functions-runtime/host-contract.js';
import { type CanonicalRecord, canonicalRecord } from './canonical-record.js';
import { deepMerge } from './deep-merge.js';
import { chunkByCount, chunkBySize, MAX_RECORD_BYTES } from './record-chunks.js';
import { commitSoftDeletes, commitUpserts, rowParameterBytes } from './record-commit.js';
import { deleteRecordsInChunks } from './record-purge.js';
import { addCounts, noCounts, type RecordCounts, type RecordScope, type WriteOptions } from './record-scope.js';
import { type StoredState, storedPayloads, storedStates } from './stored-records.js';

// What syncs (and webhook handlers) do to their records. Only changes are written: a record saved
// again with the same payload costs one indexed read, no write. Each chunk is one transaction
// with the run's counts, so counts stay exact if a run dies between chunks.

/** Payloads read per query when merging updates: they can be large. */
const UPDATE_READ_CHUNK = 100;
/** Ids per page of the delete-tracking sweep. */
const SWEEP_PAGE = 1000;

type Classified = { row: CanonicalRecord; action: 'added' | 'updated' | 'unchanged' };

const leftAlone = (state: StoredState, options: WriteOptions) => options.ignoreIfModifiedAfter !== undefined && state.lastModifiedAt > options.ignoreIfModifiedAfter;

function classify(row: CanonicalRecord, state: StoredState | undefined, options: WriteOptions): Classified['action'] {
    if (!state || state.deletedAt !== null) return state && leftAlone(state, options) ? 'unchanged' : 'added';
    if (leftAlone(state, options) || state.hash === row.hash) return 'unchanged';
    return 'updated';
}

/** Writes the changed rows in chunks that fit a D1 parameter; unchanged ones and `invalid` are only counted. */
async function writeClassified(scope: RecordScope, items: Classified[], invalid: number, options: WriteOptions): Promise<RecordCounts> {
    const changed = items.filter((item) => item.action !== 'unchanged');
    const unchanged = items.length - changed.length;
    const chunks = changed.length ? chunkBySize(changed, (item) => rowParameterBytes(item.row)) : [[]];
    let total = noCounts();
    for (const [index, chunk] of chunks.entries()) {
        const counts = {
            ...noCounts(),
            added: chunk.filter((item) => item.action === 'added').length,
            updated: chunk.filter((item) => item.action === 'updated').length,
            ...(index === 0 && { unchanged, invalid })
        };
        await commitUpserts(scope, chunk.map((item) => item.row), counts, options);
        total = addCounts(total, counts);
    }
    return total;
}

/** Canonical forms of the records that can be stored, and how many cannot (too large). */
async function canonicalRecords(records: SyncRecord[]): Promise<{ rows: CanonicalRecord[]; tooLarge: number }> {
    const all = await Promise.all(records.map(canonicalRecord));
    const rows = all.filter((row) => row.bytes <= MAX_RECORD_BYTES);
    return { rows, tooLarge: all.length - rows.length };
}

/** One record per id, the last one given; the sandbox already ensures it, this keeps a slip harmless. */
function lastPerId(records: SyncRecord[]): SyncRecord[] {
    return [...new Map(records.map((record) => [String(record.id), record])).values()];
}

/** Upserts by id: new and undeleted records are added, changed ones updated, equal ones counted as unchanged. */
export async function saveRecords(scope: RecordScope, records: SyncRecord[], options: WriteOptions): Promise<RecordCounts> {
    const { rows, tooLarge } = await canonicalRecords(lastPerId(records));
    let invalid = (options.rejected ?? 0) + tooLarge;
    let total = noCounts();
    for (const chunk of rows.length ? chunkByCount(rows) : [[]]) {
        const states = chunk.length ? await storedStates(scope, chunk.map((row) => row.id)) : new Map<string, StoredState>();
        const items = chunk.map((row) => ({ row, action: classify(row, states.get(row.id), options) }));
        total = addCounts(total, await writeClassified(scope, items, invalid, options));
        invalid = 0;
    }
    return total;
}

/**
 * Deep-merges partial records into stored ones that have a payload (not deleted, not pruned: a
 * pruned record has no payload left to merge into). Only records whose payload changes are written.
 */
export async function updateRecords(scope: RecordScope, partials: SyncRecord[], options: WriteOptions): Promise<RecordCounts & { missing: string[] }> {
    // Several partials of one id apply in order.
    const patches = new Map<string, Record<string, unknown>>();
    for (const partial of partials) patches.set(String(partial.id), deepMerge(patches.get(String(partial.id)) ?? {}, partial));
    let invalid = options.rejected ?? 0;
    let total = noCounts();
    const missing: string[] = [];
    for (const ids of patches.size ? chunkByCount([...patches.keys()], UPDATE_READ_CHUNK) : [[]]) {
        const stored = ids.length ? await storedPayloads(scope, ids) : [];
        const found = new Set(stored.map((record) => record.id));
        missing.push(...ids.filter((id) => !found.has(id)));
        const merged = stored.map((record) => deepMerge(JSON.parse(record.data) as Record<string, unknown>, patches.get(record.id)!) as SyncRecord);
        const { rows, tooLarge } = await canonicalRecords(merged);
        const states = new Map(stored.map((record) => [record.id, { hash: record.hash, deletedAt: null, lastModifiedAt: record.lastModifiedAt }]));
        const items = rows.map((row) => ({ row, action: classify(row, states.get(row.id), options) }));
        total = addCounts(total, await writeClassified(scope, items, invalid + tooLarge, options));
        invalid = 0;
    }
    return { ...total, missing };
}

/** Soft-deletes the stored, not yet deleted records among `ids`; the others are ignored. */
export async function deleteRecords(scope: RecordScope, ids: (string | number)[], options: WriteOptions): Promise<RecordCounts> {
    const unique = [...new Set(ids.map(String))];
    let invalid = options.rejected ?? 0;
    let total = noCounts();
    for (const chunk of unique.length ? chunkByCount(unique) : [[]]) {
        const states = chunk.length ? await storedStates(scope, chunk) : new Map<string, StoredState>();
        const live = chunk.filter((id) => {
            const state = states.get(id);
            return state !== undefined && state.deletedAt === null && !leftAlone(state, options);
        });
        const counts = { ...noCounts(), deleted: live.length, invalid };
        await commitSoftDeletes(scope, live, counts, options);
        total = addCounts(total, counts);
        invalid = 0;
    }
    return total;
}

/**
 * The end of delete tracking: soft-deletes every stored record that `isSeen` says the run did not
 * save, and returns their ids. It walks the model's live records in id order, a page at a time,
 * so memory stays flat whatever their number (the returned ids aside).
 */
export async function softDeleteUnseen(
    scope: RecordScope,
    isSeen: (ids: string[]) => Promise<Set<string>>,
    options: Pick<WriteOptions, 'runId' | 'now'>
): Promise<string[]> {
    const page = scope.db.prepare(
        `SELECT id FROM records WHERE connection_uid = ?1 AND model = ?2 AND variant = ?3 AND deleted_at IS NULL AND id > ?4 ORDER BY id LIMIT ${SWEEP_PAGE}`
    );
    const deleted: string[] = [];
    let after = '';
    for (;;) {
        const { results } = await page.bind(scope.connectionUid, scope.model, scope.variant, after).all<{ id: string }>();
        const ids = results.map((r) => r.id);
        if (!ids.length) break;
        const seen = await isSeen(ids);
        const unseen = ids.filter((id) => !seen.has(id));
        if (unseen.length) await commitSoftDeletes(scope, unseen, { ...noCounts(), deleted: unseen.length }, options);
        deleted.push(...unseen);
        if (ids.length < SWEEP_PAGE) break;
        after = ids.at(-1)!;
    }
    return deleted;
}

/** `emptyCache`: hard-deletes the model's records. The connection's sequence stays, so cursors held by clients stay valid and monotonic. */
export async function emptyRecords(scope: RecordScope): Promise<void> {
    await deleteRecordsInChunks(scope.db, 'connection_uid = ?1 AND model = ?2 AND variant = ?3', scope.connectionUid, scope.model, scope.variant);
}
