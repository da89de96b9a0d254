import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Interruption } from '../../../functions-runtime/sandbox/interruption.js';
import { SandboxNangoSync } from '../../../functions-runtime/sandbox/nango-sync.js';
import { context, MemoryHost } from './memory-host.js';

const MODELS = {
    Issue: z.object({ id: z.union([z.string(), z.number()]), title: z.string().optional() }),
    User: z.object({ id: z.string(), name: z.string(), email: z.email().optional() }),
    Shouting: z.object({ id: z.string(), title: z.string().transform((title) => title.toUpperCase()), tags: z.array(z.string()).default([]) }),
    Refined: z.object({ id: z.string(), count: z.number() }).refine((value) => value.count >= 0),
    /** What a hand-written bundle may declare: not a schema. */
    Loose: {}
};

function sync(models: Record<string, unknown> = MODELS) {
    const host = new MemoryHost();
    return { host, nango: new SandboxNangoSync(host, context({ syncName: 'issues' }), models, new Interruption()) };
}

afterEach(() => {
    vi.restoreAllMocks();
});

describe('batchSave', () => {
    it('sends valid records as given, not as parsed, without _nango_metadata', async () => {
        const { host, nango } = sync();
        expect(await nango.batchSave([{ id: 'a', title: 'x', _nango_metadata: { cursor: 'c' } }, { id: 2, title: 'y' }], 'Issue')).toBe(true);
        await nango.batchSave([{ id: 's', title: 'quiet' }], 'Shouting');
        expect(host.recordCalls).toEqual([
            { operation: 'batchSave', model: 'Issue', records: [{ id: 'a', title: 'x' }, { id: 2, title: 'y' }] },
            { operation: 'batchSave', model: 'Shouting', records: [{ id: 's', title: 'quiet' }] }
        ]);
        expect(host.logs).toEqual([]);
    });

    it('treats an empty array as a no-op', async () => {
        const { host, nango } = sync();
        expect(await nango.batchSave([], 'Issue')).toBe(true);
        expect(host.recordCalls).toEqual([]);
    });

    it('keeps the last record of a duplicated id, in its place, and logs one warning', async () => {
        const { host, nango } = sync();
        await nango.batchSave([{ id: '1', title: 'first' }, { id: '2', title: 'x' }, { id: 1, title: 'second' }, { id: '1', title: 'third' }], 'Issue');
        expect(host.recordCalls[0]?.records).toEqual([{ id: '2', title: 'x' }, { id: '1', title: 'third' }]);
        expect(host.logs).toEqual([
            expect.objectContaining({ level: 'warn', message: expect.stringContaining('2 record(s) of model "Issue" repeat the id of a later record'), payload: { model: 'Issue', dropped: 2, duplicateIds: ['1'] } })
        ]);
    });

    it('lists at most 100 duplicate ids, and counts them all', async () => {
        const { host, nango } = sync();
        const once = Array.from({ length: 150 }, (_, i) => ({ id: i, title: 'old' }));
        await nango.batchSave([...once, ...once.map((record) => ({ ...record, title: 'new' }))], 'Issue');
        expect(host.recordCalls[0]?.records).toHaveLength(150);
        expect(host.recordCalls[0]?.records.every((record) => record['title'] === 'new')).toBe(true);
        expect(host.logs).toHaveLength(1);
        const payload = host.logs[0]?.payload as { dropped: number; duplicateIds: string[] };
        expect(payload.dropped).toBe(150);
        expect(payload.duplicateIds).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    });

    it('refuses records without a valid id, naming the record', async () => {
        const { host, nango } = sync();
        const long = 'x'.repeat(256);
        for (const bad of [[{ title: 'no id' }], [{ id: '' }], [{ id: long }], [{ id: null }], [{ id: { nested: 1 } }], [{ id: Number.NaN }], ['string'], [null], [[1]]]) {
            await expect(nango.batchSave(bad as object[], 'Issue')).rejects.toMatchObject({ code: 'invalid_sync_record', message: expect.stringContaining('record 0') });
        }
        await expect(nango.batchSave('nope' as never, 'Issue')).rejects.toMatchObject({ code: 'invalid_sync_record' });
        await nango.batchSave([{ id: 'x'.repeat(255) }], 'Issue');
        expect(host.recordCalls).toHaveLength(1);
    });

    it('refuses a model the sync does not declare', async () => {
        const { nango } = sync({ Issue: MODELS.Issue, User: MODELS.User });
        await expect(nango.batchSave([{ id: 1 }], 'Nope')).rejects.toMatchObject({ code: 'unknown_model', message: expect.stringContaining('declared: Issue, User') });
        await expect(nango.batchDelete([{ id: 1 }], 'Nope')).rejects.toMatchObject({ code: 'unknown_model' });
        await expect(nango.getRecordsByIds([1], 'Nope')).rejects.toMatchObject({ code: 'unknown_model' });
        await expect(nango.setMergingStrategy({ strategy: 'override' }, 'Nope')).rejects.toMatchObject({ code: 'unknown_model' });
        await expect(nango.trackDeletesStart('Nope')).rejects.toMatchObject({ code: 'unknown_model' });
        await expect(nango.trackDeletesEnd('Nope')).rejects.toMatchObject({ code: 'unknown_model' });
        await expect(nango.listRecords('Nope').next()).rejects.toMatchObject({ code: 'unknown_model' });
    });

    it('sends at most 1000 records per host call', async () => {
        const { host, nango } = sync();
        await nango.batchSave(Array.from({ length: 2500 }, (_, i) => ({ id: i })), 'Issue');
        expect(host.recordCalls.map((c) => c.records.length)).toEqual([1000, 1000, 500]);
        expect(host.recordCalls[2]?.records[0]).toEqual({ id: 2000 });
    });
});

describe('validation against the model', () => {
    it('leaves invalid records out, sends their count, and logs them once', async () => {
        const { host, nango } = sync();
        expect(await nango.batchSave([{ id: 'a', name: 'Ann' }, { id: 'b', name: 5 }, { id: 'c' }, { id: 'd', name: 'Dee', email: 'nope' }], 'User')).toBe(true);
        expect(host.recordCalls).toEqual([{ operation: 'batchSave', model: 'User', records: [{ id: 'a', name: 'Ann' }], options: { rejected: 3 } }]);
        expect(host.logs).toHaveLength(1);
        const [log] = host.logs;
        expect(log?.level).toBe('error');
        expect(log?.message).toMatch(/^batchSave: 3 invalid record\(s\) of model "User" were left out: "b" \(name: .*expected string, received number\), "c" \(name: .*\), "d" \(email: .*\)$/);
        expect(log?.payload).toEqual({
            model: 'User',
            rejected: 3,
            records: [
                { id: 'b', issues: [{ path: 'name', message: expect.stringContaining('expected string') }] },
                { id: 'c', issues: [{ path: 'name', message: expect.any(String) }] },
                { id: 'd', issues: [{ path: 'email', message: expect.any(String) }] }
            ]
        });
    });

    it('details the first 10 invalid records and counts the rest', async () => {
        const { host, nango } = sync();
        await nango.batchSave(Array.from({ length: 12 }, (_, i) => ({ id: `u${i}` })), 'User');
        expect(host.recordCalls).toEqual([{ operation: 'batchSave', model: 'User', records: [], options: { rejected: 12 } }]);
        expect(host.logs[0]?.message).toMatch(/"u9" \(name: [^)]*\), and 2 more$/);
        expect((host.logs[0]?.payload as { records: { id: string }[] }).records.map((record) => record.id)).toEqual(Array.from({ length: 10 }, (_, i) => `u${i}`));
    });

    it('sends the rejected count once, with the first chunk', async () => {
        const { host, nango } = sync();
        await nango.batchSave([...Array.from({ length: 1500 }, (_, i) => ({ id: `u${i}`, name: 'n' })), { id: 'bad' }], 'User');
        expect(host.recordCalls.map((call) => [call.records.length, call.options])).toEqual([
            [1000, { rejected: 1 }],
            [500, undefined]
        ]);
    });

    it('rejects a record over 1,900,000 bytes of JSON, counting bytes rather than characters', async () => {
        const { host, nango } = sync();
        // {"id":"a","title":""} is 21 bytes.
        const fits = { id: 'a', title: 'x'.repeat(1_900_000 - 21) };
        const tooBig = { id: 'b', title: 'é'.repeat(950_000) };
        await nango.batchSave([fits, tooBig], 'Issue');
        expect(host.recordCalls[0]?.records.map((record) => record.id)).toEqual(['a']);
        expect(host.recordCalls[0]?.options).toEqual({ rejected: 1 });
        expect(host.logs[0]?.message).toContain('"b" (The record is 1900021 bytes of JSON; a stored record holds at most 1900000)');
    });

    it('rejects a record that is not JSON-serialisable', async () => {
        const { host, nango } = sync();
        await nango.batchSave([{ id: 'n', count: 10n }], 'Issue');
        expect(host.recordCalls[0]).toMatchObject({ records: [], options: { rejected: 1 } });
        expect(host.logs[0]?.message).toContain('"n" (The record is not JSON-serialisable');
    });

    it('does not check models that are not schemas, but still their size', async () => {
        const { host, nango } = sync();
        await nango.batchSave([{ id: 'x', anything: 1 }, { id: 'y', big: 'x'.repeat(2_000_000) }], 'Loose');
        expect(host.recordCalls[0]).toEqual({ operation: 'batchSave', model: 'Loose', records: [{ id: 'x', anything: 1 }], options: { rejected: 1 } });
    });

    it('checks updates against the partial model, when the model has one', async () => {
        const { host, nango } = sync();
        await nango.batchUpdate([{ id: 'a', name: 'New' }, { id: 'b', name: 5 }, { id: 'c' }], 'User');
        expect(host.recordCalls[0]).toEqual({ operation: 'batchUpdate', model: 'User', records: [{ id: 'a', name: 'New' }, { id: 'c' }], options: { rejected: 1 } });
        expect(host.logs[0]?.message).toMatch(/^batchUpdate: 1 invalid record\(s\) of model "User" were left out: "b" \(name: /);

        // zod refuses partial() on an object with refinements: such updates go unchecked.
        await nango.batchUpdate([{ id: 'r', count: 'many' }], 'Refined');
        expect(host.recordCalls[1]).toEqual({ operation: 'batchUpdate', model: 'Refined', records: [{ id: 'r', count: 'many' }] });
        await nango.batchSave([{ id: 'r', count: -1 }], 'Refined');
        expect(host.recordCalls[2]).toMatchObject({ records: [], options: { rejected: 1 } });
    });

    it('checks only the ids of deletes', async () => {
        const { host, nango } = sync();
        await nango.batchDelete([{ id: 'a', name: 5 }], 'User');
        await expect(nango.batchUpdate([{ name: 'n' }], 'User')).rejects.toMatchObject({ code: 'invalid_sync_record' });
        expect(host.recordCalls).toEqual([{ operation: 'batchDelete', model: 'User', records: [{ id: 'a', name: 5 }] }]);
        expect(host.logs).toEqual([]);
    });
});

describe('setMergingStrategy', () => {
    it('passes when ignore_if_modified_after was set with the saves and updates of that model', async () => {
        const { host, nango } = sync();
        vi.spyOn(Date, 'now').mockReturnValue(1_750_000_000_000);
        await nango.setMergingStrategy({ strategy: 'ignore_if_modified_after' }, 'User');
        vi.spyOn(Date, 'now').mockReturnValue(1_750_000_999_000);
        await nango.batchSave([{ id: 'a', name: 'n' }], 'User');
        await nango.batchUpdate([{ id: 'a', name: 'm' }, { id: 'b', name: 1 }], 'User');
        await nango.batchDelete([{ id: 'a' }], 'User');
        await nango.batchSave([{ id: 'i' }], 'Issue');
        await nango.setMergingStrategy({ strategy: 'override' }, 'User');
        await nango.batchSave([{ id: 'a', name: 'n' }], 'User');
        expect(host.recordCalls.map((call) => [call.operation, call.model, call.options])).toEqual([
            ['batchSave', 'User', { ignoreIfModifiedAfter: 1_750_000_000_000 }],
            ['batchUpdate', 'User', { ignoreIfModifiedAfter: 1_750_000_000_000, rejected: 1 }],
            ['batchDelete', 'User', undefined],
            ['batchSave', 'Issue', undefined],
            ['batchSave', 'User', undefined]
        ]);
    });

    it('refuses an unknown strategy', async () => {
        const { nango } = sync();
        for (const bad of [{ strategy: 'merge' }, {}, null]) {
            await expect(nango.setMergingStrategy(bad as never, 'User')).rejects.toMatchObject({ code: 'invalid_merging_strategy', message: expect.stringContaining('"override" or "ignore_if_modified_after"') });
        }
    });
});

describe('reading records', () => {
    it('getRecordsByIds returns a Map keyed by the ids as given, without the missing ones', async () => {
        const { nango } = sync();
        await nango.batchSave([{ id: '1', title: 'a' }, { id: 'b', title: 'b' }], 'Issue');
        const found = await nango.getRecordsByIds([1, 'b', 'missing'], 'Issue');
        expect(found).toBeInstanceOf(Map);
        expect([...found.entries()]).toEqual([
            [1, { id: '1', title: 'a' }],
            ['b', { id: 'b', title: 'b' }]
        ]);
    });

    it('listRecords yields every record one by one, paging 1000 at a time with the cursor', async () => {
        const { host, nango } = sync();
        await nango.batchSave(Array.from({ length: 2500 }, (_, i) => ({ id: i })), 'Issue');
        await nango.batchSave([{ id: 'u', name: 'n' }], 'User');
        const ids: unknown[] = [];
        for await (const record of nango.listRecords<{ id: number }>('Issue')) {
            expect(record._nango_metadata.cursor).toBe(String(ids.length + 1));
            ids.push(record.id);
        }
        expect(ids).toEqual(Array.from({ length: 2500 }, (_, i) => i));
        expect(host.listCalls).toEqual([
            { model: 'Issue', limit: 1000 },
            { model: 'Issue', cursor: '1000', limit: 1000 },
            { model: 'Issue', cursor: '2000', limit: 1000 }
        ]);
    });

    it('listRecords starts from the given cursor, and ends at once on an empty model', async () => {
        const { host, nango } = sync();
        await nango.batchSave(Array.from({ length: 5 }, (_, i) => ({ id: i })), 'Issue');
        const rest: unknown[] = [];
        for await (const record of nango.listRecords('Issue', { cursor: '3' })) rest.push(record.id);
        expect(rest).toEqual([3, 4]);
        for await (const record of nango.listRecords('User')) throw new Error(`unexpected ${JSON.stringify(record)}`);
        expect(host.listCalls.at(-1)).toEqual({ model: 'User', limit: 1000 });
    });

    it('trackDeletesEnd returns the ids the host deleted as deletedKeys', async () => {
        const { host, nango } = sync();
        await nango.batchSave([{ id: 'a' }, { id: 'b' }, { id: 'c' }], 'Issue');
        await nango.trackDeletesStart('Issue');
        await nango.batchSave([{ id: 'a' }, { id: 'c' }], 'Issue');
        expect(await nango.trackDeletesEnd('Issue')).toEqual({ deletedKeys: ['b'] });
        expect(host.stored.has('Issue:b')).toBe(false);
        await expect(nango.trackDeletesEnd('Issue')).rejects.toThrow(/^track_deletes_not_started:/);
    });
});
