import { describe, expect, it } from 'vitest';
import { canonicalRecord } from '../../../workers/records/canonical-record.js';
import { listRecords } from '../../../workers/records/list-records.js';
import { encodeCursor } from '../../../workers/records/record-cursor.js';
import { chunkBySize, MAX_CHUNK_BYTES, MAX_CHUNK_RECORDS, MAX_RECORD_BYTES } from '../../../workers/records/record-chunks.js';
import { lastAction } from '../../../workers/records/record-response.js';
import { deleteRecords, emptyRecords, saveRecords, softDeleteUnseen, updateRecords } from '../../../workers/records/record-writes.js';
import { clearRunCounts, runCounts } from '../../../workers/records/run-counts.js';
import { getRecordsByIds } from '../../../workers/records/stored-records.js';
import { newScope, range, row, rows } from './records-helpers.js';

const T0 = 1_800_000_000_000;
const counts = (c: Partial<Record<'added' | 'updated' | 'deleted' | 'unchanged' | 'invalid', number>> = {}) => ({ added: 0, updated: 0, deleted: 0, unchanged: 0, invalid: 0, ...c });

describe('saveRecords', () => {
    it('adds, updates, leaves unchanged records unwritten, and undeletes', async () => {
        const scope = newScope();
        const run = { runId: 'run-classify' };
        expect(await saveRecords(scope, [{ id: 'a', v: 1 }, { id: 'b', v: 1 }], { ...run, now: T0 })).toEqual(counts({ added: 2 }));
        const before = (await row(scope, 'a'))!;
        expect(before).toMatchObject({ seq: 1, first_seen_at: T0, last_modified_at: T0, deleted_at: null });

        const result = await saveRecords(scope, [{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'c', v: 1 }], { ...run, now: T0 + 1000 });
        expect(result).toEqual(counts({ added: 1, updated: 1, unchanged: 1 }));
        const after = await rows(scope);
        // Not rewritten: same sequence number and time.
        expect(after.get('a')).toEqual(before);
        expect(after.get('b')).toMatchObject({ first_seen_at: T0, last_modified_at: T0 + 1000, data: '{"id":"b","v":2}' });
        expect(after.get('b')!.seq).toBeGreaterThan(2);
        expect(lastAction(toMeta(after.get('b')!))).toBe('UPDATED');
        expect(lastAction(toMeta(after.get('c')!))).toBe('ADDED');

        expect(await deleteRecords(scope, ['c'], { ...run, now: T0 + 2000 })).toEqual(counts({ deleted: 1 }));
        expect(await saveRecords(scope, [{ id: 'c', v: 1 }], { ...run, now: T0 + 3000 })).toEqual(counts({ added: 1 }));
        const undeleted = (await row(scope, 'c'))!;
        expect(undeleted).toMatchObject({ deleted_at: null, first_seen_at: T0 + 3000, last_modified_at: T0 + 3000 });
        expect(lastAction(toMeta(undeleted))).toBe('ADDED');

        expect(await runCounts(scope.db, 'run-classify')).toEqual({ Issue: counts({ added: 4, updated: 1, unchanged: 1, deleted: 1 }) });
        await clearRunCounts(scope.db, 'run-classify');
        expect(await runCounts(scope.db, 'run-classify')).toEqual({});
    });

    it('gives an update made in the same millisecond a later time than the add, so it reads UPDATED', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'x', v: 1 }], { runId: null, now: T0 });
        await saveRecords(scope, [{ id: 'x', v: 2 }], { runId: null, now: T0 });
        const x = (await row(scope, 'x'))!;
        expect(x.last_modified_at).toBeGreaterThan(x.first_seen_at);
        expect(lastAction(toMeta(x))).toBe('UPDATED');
    });

    it('does not count key order as a change, and stores canonical JSON', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'k', b: { y: 2, x: [{ q: 1, p: 2 }] }, a: 'é\u2028"' }], { runId: null, now: T0 });
        expect(await saveRecords(scope, [{ a: 'é\u2028"', b: { x: [{ p: 2, q: 1 }], y: 2 }, id: 'k' }], { runId: null, now: T0 + 1 })).toEqual(counts({ unchanged: 1 }));
        const stored = (await row(scope, 'k'))!;
        expect(stored.data).toBe('{"a":"é\u2028\\"","b":{"x":[{"p":2,"q":1}],"y":2},"id":"k"}');
        expect(stored.hash).toBe((await canonicalRecord({ id: 'k', a: 'é\u2028"', b: { y: 2, x: [{ q: 1, p: 2 }] } })).hash);
        expect(stored.last_modified_at).toBe(T0);
    });

    it('drops _nango_metadata, which read-back records carry', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 1, t: 'x', _nango_metadata: { cursor: 'c' } }], { runId: null });
        expect((await row(scope, '1'))!.data).toBe('{"id":1,"t":"x"}');
    });

    it('keeps the last record of an id that comes twice', async () => {
        const scope = newScope();
        expect(await saveRecords(scope, [{ id: 1, v: 'first' }, { id: '1', v: 'second' }], { runId: 'run-dup' })).toEqual(counts({ added: 1 }));
        expect((await row(scope, '1'))!.data).toBe('{"id":"1","v":"second"}');
        expect(await runCounts(scope.db, 'run-dup')).toEqual({ Issue: counts({ added: 1 }) });
    });

    it('counts rejected and oversized records as invalid, also when nothing is written', async () => {
        const scope = newScope();
        expect(await saveRecords(scope, [], { runId: 'run-invalid', rejected: 3 })).toEqual(counts({ invalid: 3 }));
        const huge = { id: 'huge', text: 'x'.repeat(MAX_RECORD_BYTES) };
        expect(await saveRecords(scope, [huge, { id: 'ok' }], { runId: 'run-invalid', rejected: 1 })).toEqual(counts({ added: 1, invalid: 2 }));
        expect([...(await rows(scope)).keys()]).toEqual(['ok']);
        expect(await runCounts(scope.db, 'run-invalid')).toEqual({ Issue: counts({ added: 1, invalid: 5 }) });
    });

    it('writes nothing for a run-less call that changes nothing', async () => {
        const scope = newScope();
        const state = () =>
            scope.db.prepare('SELECT (SELECT count(*) FROM run_counts) AS counts, (SELECT last_seq || \':\' || last_ts FROM record_sequences WHERE connection_uid = ?) AS sequence').bind(scope.connectionUid).first();
        await saveRecords(scope, [{ id: 'a' }], { runId: null });
        const before = await state();
        expect(await saveRecords(scope, [{ id: 'a' }], { runId: null })).toEqual(counts({ unchanged: 1 }));
        expect(await state()).toEqual(before);
    });

    it('splits a batch bigger than one D1 parameter into several transactions, storing all of it', async () => {
        const scope = newScope();
        const records = range(30).map((i) => ({ id: `r${i}`, text: String(i % 10).repeat(100_000) }));
        expect(await saveRecords(scope, records, { runId: 'run-big', now: T0 })).toEqual(counts({ added: 30 }));
        const stored = [...(await rows(scope)).values()];
        expect(stored).toHaveLength(30);
        expect(new Set(stored.map((r) => r.seq))).toEqual(new Set(range(30, 1)));
        // Each transaction takes its own timestamp: the groups are the chunks.
        const chunkBytes = new Map<number, number>();
        for (const r of stored) chunkBytes.set(r.last_modified_at, (chunkBytes.get(r.last_modified_at) ?? 0) + r.data.length);
        expect(chunkBytes.size).toBeGreaterThanOrEqual(3);
        for (const bytes of chunkBytes.values()) expect(bytes).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
        expect(await runCounts(scope.db, 'run-big')).toEqual({ Issue: counts({ added: 30 }) });
    });

    it('leaves records modified after ignoreIfModifiedAfter alone', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'early', v: 0 }, { id: 'early2', v: 0 }], { runId: null, now: T0 });
        const strategySetAt = T0 + 100;
        await saveRecords(scope, [{ id: 'late', v: 'from a webhook' }], { runId: null, now: T0 + 500 });

        const stale = [{ id: 'late', v: 'stale' }, { id: 'early', v: 1 }, { id: 'new', v: 1 }];
        expect(await saveRecords(scope, stale, { runId: null, ignoreIfModifiedAfter: strategySetAt, now: T0 + 900 })).toEqual(counts({ added: 1, updated: 1, unchanged: 1 }));
        expect(await updateRecords(scope, [{ id: 'late', v: 'stale' }], { runId: null, ignoreIfModifiedAfter: strategySetAt })).toEqual({ ...counts({ unchanged: 1 }), missing: [] });
        expect(await deleteRecords(scope, ['late', 'early2'], { runId: null, ignoreIfModifiedAfter: strategySetAt })).toEqual(counts({ deleted: 1 }));
        const after = await rows(scope);
        expect(after.get('late')).toMatchObject({ data: '{"id":"late","v":"from a webhook"}', deleted_at: null });
        expect(after.get('early')!.data).toBe('{"id":"early","v":1}');
        expect(after.get('early2')!.deleted_at).not.toBeNull();
    });
});

describe('chunkBySize', () => {
    it('keeps order and stays within the count and byte limits, a record bigger than the limit going alone', () => {
        const sizes = [400_000, 400_000, 400_000, 1_500_000, 10, 10];
        expect(chunkBySize(sizes, (n) => n)).toEqual([[400_000, 400_000], [400_000], [1_500_000], [10, 10]]);
        expect(chunkBySize(range(2500), () => 1).map((c) => c.length)).toEqual([MAX_CHUNK_RECORDS, MAX_CHUNK_RECORDS, 500]);
    });
});

describe('updateRecords', () => {
    it('deep-merges into stored records, writes only real changes and reports missing ids', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'u', nested: { a: 1, b: { c: 2 } }, list: [1, 2], keep: 'k' }, { id: 'gone' }], { runId: null, now: T0 });
        await deleteRecords(scope, ['gone'], { runId: null, now: T0 + 1 });

        const result = await updateRecords(scope, [{ id: 'u', nested: { b: { d: 3 } }, list: [9] }, { id: 'nobody', x: 1 }, { id: 'gone', x: 1 }], { runId: 'run-update', now: T0 + 10 });
        expect(result).toEqual({ ...counts({ updated: 1 }), missing: ['nobody', 'gone'] });
        const u = (await row(scope, 'u'))!;
        expect(JSON.parse(u.data)).toEqual({ id: 'u', nested: { a: 1, b: { c: 2, d: 3 } }, list: [9], keep: 'k' });

        expect(await updateRecords(scope, [{ id: 'u', list: [9] }], { runId: 'run-update', now: T0 + 20 })).toEqual({ ...counts({ unchanged: 1 }), missing: [] });
        expect(await row(scope, 'u')).toEqual(u);
        expect(await runCounts(scope.db, 'run-update')).toEqual({ Issue: counts({ updated: 1, unchanged: 1 }) });
    });

    it('applies several partials of one id in order', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 1, a: 0, b: 0 }], { runId: null });
        await updateRecords(scope, [{ id: 1, a: 1 }, { id: 1, b: 2 }, { id: 1, a: 3 }], { runId: null });
        expect(JSON.parse((await row(scope, '1'))!.data)).toEqual({ id: 1, a: 3, b: 2 });
    });
});

describe('deletes', () => {
    it('soft-deletes, keeping the payload, with a new position in the change order', async () => {
        const scope = newScope();
        await saveRecords(scope, [{ id: 'd', v: 1 }, { id: 'e', v: 1 }], { runId: null, now: T0 });
        expect(await deleteRecords(scope, ['d', 'nobody', 'd'], { runId: 'run-delete', now: T0 + 5 })).toEqual(counts({ deleted: 1 }));
        const d = (await row(scope, 'd'))!;
        expect(d).toMatchObject({ data: '{"id":"d","v":1}', deleted_at: T0 + 5, last_modified_at: T0 + 5, first_seen_at: T0, seq: 3 });
        expect(lastAction(toMeta(d))).toBe('DELETED');
        expect(await deleteRecords(scope, ['d'], { runId: 'run-delete' })).toEqual(counts());
        expect(await getRecordsByIds(scope, ['d', 'e', 'nobody'])).toEqual([{ id: 'e', v: 1 }]);
        expect(await runCounts(scope.db, 'run-delete')).toEqual({ Issue: counts({ deleted: 1 }) });
    });

    it('softDeleteUnseen deletes what the run did not see, page by page', async () => {
        const scope = newScope();
        await saveRecords(scope, range(2500).map((i) => ({ id: `r${String(i).padStart(4, '0')}` })), { runId: null });
        await deleteRecords(scope, ['r0001'], { runId: null });
        const asked: string[][] = [];
        const isSeen = async (ids: string[]) => {
            asked.push(ids);
            return new Set(ids.filter((id) => Number(id.slice(1)) % 2 === 0));
        };
        const deleted = await softDeleteUnseen(scope, isSeen, { runId: 'run-sweep' });
        expect(deleted).toHaveLength(1249);
        expect(deleted.every((id) => Number(id.slice(1)) % 2 === 1)).toBe(true);
        expect(asked.map((ids) => ids.length)).toEqual([1000, 1000, 499]);
        expect(asked.flat()).not.toContain('r0001');
        const live = [...(await rows(scope)).values()].filter((r) => r.deleted_at === null);
        expect(live).toHaveLength(1250);
        expect(await runCounts(scope.db, 'run-sweep')).toEqual({ Issue: counts({ deleted: 1249 }) });
    });
});

describe('emptyRecords', () => {
    it('removes every record of the model, in chunks, and keeps the connection cursors moving forward', async () => {
        const scope = newScope();
        const other = { ...scope, model: 'Other' };
        await saveRecords(scope, range(6000).map((i) => ({ id: i })), { runId: null });
        await saveRecords(other, [{ id: 'stays' }], { runId: null });
        const { records } = await listRecords(scope, { limit: 10_000 });
        const lastCursor = records.at(-1)!;

        await emptyRecords(scope);
        expect((await rows(scope)).size).toBe(0);
        expect((await rows(other)).size).toBe(1);

        await saveRecords(scope, [{ id: 0 }], { runId: null });
        const again = (await row(scope, '0'))!;
        expect(again.seq).toBeGreaterThan(lastCursor.seq);
        expect(again.last_modified_at).toBeGreaterThan(lastCursor.lastModifiedAt);
        const { records: resumed } = await listRecords(scope, { limit: 10, cursor: encodeCursor(lastCursor) });
        expect(resumed.map((r) => r.id)).toEqual(['0']);
    });
});

function toMeta(r: { first_seen_at: number; last_modified_at: number; deleted_at: number | null }) {
    return { firstSeenAt: r.first_seen_at, lastModifiedAt: r.last_modified_at, deletedAt: r.deleted_at };
}
