import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../workers/http/api-error.js';
import { listRecords, PAGE_BYTES } from '../../../workers/records/list-records.js';
import { pruneRecords } from '../../../workers/records/prune-records.js';
import { decodeCursor, encodeCursor } from '../../../workers/records/record-cursor.js';
import { recordJson, type RecordRow, storedRecord } from '../../../workers/records/record-response.js';
import { deleteRecords, saveRecords, updateRecords } from '../../../workers/records/record-writes.js';
import { newScope, range, row } from './records-helpers.js';

const T0 = 1_800_000_000_000;
const ids = (records: RecordRow[]) => records.map((r) => r.id);

describe('listRecords', () => {
    it('pages through every change exactly once, also when records change between pages', async () => {
        const scope = newScope();
        await saveRecords(scope, range(250).map((i) => ({ id: i, v: 0 })), { runId: null });
        const seen: RecordRow[] = [];
        let cursor: string | undefined;
        let page = 0;
        do {
            const result = await listRecords(scope, { limit: 100, cursor });
            seen.push(...result.records);
            cursor = result.nextCursor ?? undefined;
            if (page++ === 0) {
                // Between pages: records already read and not yet read change, some go, some come.
                await saveRecords(scope, [...range(10), ...range(10, 200)].map((i) => ({ id: i, v: 1 })), { runId: null });
                await deleteRecords(scope, [5, 205, 249], { runId: null });
                await saveRecords(scope, range(5, 1000).map((i) => ({ id: i, v: 0 })), { runId: null });
            }
        } while (cursor);

        // Strictly increasing positions: nothing twice, nothing skipped in between.
        for (let i = 1; i < seen.length; i++) {
            const [a, b] = [seen[i - 1]!, seen[i]!];
            expect(a.lastModifiedAt < b.lastModifiedAt || (a.lastModifiedAt === b.lastModifiedAt && a.seq < b.seq)).toBe(true);
        }
        // The last version read of every record is its current state.
        const latest = new Map(seen.map((r) => [r.id, r]));
        expect(latest.size).toBe(255);
        for (const id of ['0', '5', '15', '150', '205', '249', '1003']) {
            const stored = (await row(scope, id))!;
            expect(latest.get(id)).toMatchObject({ data: stored.data, seq: stored.seq, deletedAt: stored.deleted_at });
        }
        // Only records 10–99 kept the place where the first page read them.
        expect(seen.length).toBe(100 + 255 - 90);
    });

    it('resumes after any record given its cursor', async () => {
        const scope = newScope();
        await saveRecords(scope, range(5).map((i) => ({ id: i })), { runId: null });
        const { records } = await listRecords(scope, { limit: 10 });
        const { records: rest } = await listRecords(scope, { limit: 10, cursor: storedRecord(records[1]!)._nango_metadata.cursor });
        expect(ids(rest)).toEqual(['2', '3', '4']);
    });

    it('filters by last action as a true union', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'added' }, { id: 'updated', v: 1 }, { id: 'deleted' }], { runId: null });
        await saveRecords(scope, [{ id: 'updated', v: 2 }], { runId: null });
        await deleteRecords(scope, ['deleted'], { runId: null });
        const list = async (filter: ('added' | 'updated' | 'deleted')[]) => ids((await listRecords(scope, { limit: 10, filter })).records).sort();
        expect(await list(['added'])).toEqual(['added']);
        expect(await list(['updated'])).toEqual(['updated']);
        expect(await list(['deleted'])).toEqual(['deleted']);
        expect(await list(['added', 'deleted'])).toEqual(['added', 'deleted']);
        expect(await list(['updated', 'deleted'])).toEqual(['deleted', 'updated']);
        expect(await list(['added', 'updated', 'deleted'])).toEqual(['added', 'deleted', 'updated']);
        expect(ids((await listRecords(scope, { limit: 10, includeDeleted: false })).records).sort()).toEqual(['added', 'updated']);
    });

    it('lists records modified at or after a time, and only given ids', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'a' }, { id: 'b' }], { runId: null, now: T0 });
        await saveRecords(scope, [{ id: 'c' }], { runId: null, now: T0 + 1000 });
        await saveRecords(scope, [{ id: 'a', v: 1 }], { runId: null, now: T0 + 2000 });
        expect(ids((await listRecords(scope, { limit: 10, modifiedAfter: T0 + 1000 })).records)).toEqual(['c', 'a']);
        expect(ids((await listRecords(scope, { limit: 10, modifiedAfter: T0 + 1001 })).records)).toEqual(['a']);
        expect(ids((await listRecords(scope, { limit: 10, ids: ['a', 'b', 'nobody'] })).records)).toEqual(['b', 'a']);
        const first = await listRecords(scope, { limit: 1, ids: ['a', 'b'] });
        expect(ids(first.records)).toEqual(['b']);
        expect(ids((await listRecords(scope, { limit: 1, ids: ['a', 'b'], cursor: first.nextCursor! })).records)).toEqual(['a']);
    });

    it('ends a page early past its byte budget, with at least one record', async () => {
        const scope = newScope();
        const big = 1_500_000;
        await saveRecords(scope, range(8).map((i) => ({ id: i, text: 'x'.repeat(big) })), { runId: null });
        const first = await listRecords(scope, { limit: 100 });
        expect(first.records).toHaveLength(Math.ceil(PAGE_BYTES / big));
        const second = await listRecords(scope, { limit: 100, cursor: first.nextCursor! });
        expect(ids(second.records)).toEqual(['7']);
        expect(second.nextCursor).toBeNull();
    });

    it('says there is no next page when the last page is exactly full', async () => {
        const scope = newScope();
        await saveRecords(scope, range(4).map((i) => ({ id: i })), { runId: null });
        const first = await listRecords(scope, { limit: 2 });
        const second = await listRecords(scope, { limit: 2, cursor: first.nextCursor! });
        expect([ids(first.records), ids(second.records), second.nextCursor]).toEqual([['0', '1'], ['2', '3'], null]);
        expect(await listRecords(newScope(), { limit: 2 })).toEqual({ records: [], nextCursor: null });
    });

    it('refuses a cursor it did not make', async () => {
        const scope = newScope();
        const valid = encodeCursor({ lastModifiedAt: T0, seq: 7 });
        expect(decodeCursor(valid)).toEqual({ lastModifiedAt: T0, seq: 7 });
        const b64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        for (const bad of ['', 'A', 'not base64!', `${valid}=`, valid.slice(0, -2), b64url('r1:1||x'), b64url('1800000000000||7'), b64url('r1:01800000000000||7')]) {
            await expect(listRecords(scope, { limit: 1, cursor: bad }), bad).rejects.toThrow(ApiError);
            await expect(listRecords(scope, { limit: 1, cursor: bad }), bad).rejects.toMatchObject({ status: 400, code: 'invalid_cursor' });
        }
    });
});

describe('record JSON', () => {
    it('is the payload with _nango_metadata, the same as storedRecord', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 7, title: 'Seven', nested: { b: 1, a: [true, null] } }], { runId: null, now: T0 });
        const [record] = (await listRecords(scope, { limit: 1 })).records;
        expect(JSON.parse(recordJson(record!))).toEqual(storedRecord(record!));
        expect(storedRecord(record!)).toEqual({
            id: 7,
            title: 'Seven',
            nested: { a: [true, null], b: 1 },
            _nango_metadata: {
                first_seen_at: '2027-01-15T08:00:00.000+00:00',
                last_modified_at: '2027-01-15T08:00:00.000+00:00',
                last_action: 'ADDED',
                deleted_at: null,
                pruned_at: null,
                cursor: encodeCursor({ lastModifiedAt: T0, seq: 1 })
            }
        });
    });
});

describe('pruneRecords', () => {
    it('empties payloads up to a cursor, in batches, keeping ids and hashes', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 1, t: 'a' }, { id: 'two', t: 'b' }, { id: 3, t: 'c' }, { id: 4, t: 'd' }], { runId: null, now: T0 });
        await deleteRecords(scope, [3], { runId: null });
        const all = (await listRecords(scope, { limit: 10 })).records;
        // Up to and including record 3 (deleted, now last but one in change order).
        const until = all.find((r) => r.id === '3')!;
        expect(ids(all)).toEqual(['1', 'two', '4', '3']);
        const before = (await row(scope, '1'))!;

        expect(await pruneRecords(scope, until, 2, T0 + 50)).toEqual({ count: 2, hasMore: true });
        expect(await pruneRecords(scope, until, 2, T0 + 60)).toEqual({ count: 2, hasMore: false });
        expect(await pruneRecords(scope, until, 2, T0 + 70)).toEqual({ count: 0, hasMore: false });

        const after = (await listRecords(scope, { limit: 10 })).records.map(storedRecord);
        expect(after.map((r) => [r.id, Object.keys(r).length, r._nango_metadata.pruned_at !== null])).toEqual([
            [1, 2, true],
            ['two', 2, true],
            [4, 2, true],
            [3, 2, true]
        ]);
        expect(after[0]!._nango_metadata.pruned_at).toBe('2027-01-15T08:00:00.050+00:00');
        const pruned = (await row(scope, '1'))!;
        expect(pruned).toMatchObject({ hash: before.hash, seq: before.seq, last_modified_at: before.last_modified_at });
        expect(await updateRecords(scope, [{ id: 1, t: 'z' }], { runId: null })).toMatchObject({ updated: 0, missing: ['1'] });

        // The same payload again leaves it pruned; a changed one brings a payload back.
        expect(await saveRecords(scope, [{ id: 1, t: 'a' }], { runId: null })).toMatchObject({ unchanged: 1 });
        expect((await row(scope, '1'))!.data).toBe('{"id":1}');
        expect(await saveRecords(scope, [{ id: 1, t: 'new' }], { runId: null })).toMatchObject({ updated: 1 });
        expect((await row(scope, '1'))!).toMatchObject({ data: '{"id":1,"t":"new"}', pruned_at: null });
    });
});
