import { describe, expect, it } from 'vitest';
import { SandboxNangoSync } from '../../../functions-runtime/sandbox/nango-sync.js';
import { context, MemoryHost } from './memory-host.js';

function sync(models = ['Issue', 'User']) {
    const host = new MemoryHost();
    return { host, nango: new SandboxNangoSync(host, context({ syncName: 'issues' }), models) };
}

describe('batchSave', () => {
    it('saves valid records and strips _nango_metadata', async () => {
        const { host, nango } = sync();
        expect(await nango.batchSave([{ id: 'a', title: 'x', _nango_metadata: { cursor: 'c' } }, { id: 2, title: 'y' }], 'Issue')).toBe(true);
        expect(host.recordCalls).toEqual([{ operation: 'batchSave', model: 'Issue', records: [{ id: 'a', title: 'x' }, { id: 2, title: 'y' }] }]);
    });

    it('treats an empty array as a no-op', async () => {
        const { host, nango } = sync();
        expect(await nango.batchSave([], 'Issue')).toBe(true);
        expect(host.recordCalls).toEqual([]);
    });

    it('keeps the first record of a duplicated id and logs the others as errors', async () => {
        const { host, nango } = sync();
        await nango.batchSave([{ id: '1', v: 'first' }, { id: '2', v: 'x' }, { id: 1, v: 'second' }, { id: '1', v: 'third' }], 'Issue');
        expect(host.recordCalls[0]?.records).toEqual([{ id: '1', v: 'first' }, { id: '2', v: 'x' }]);
        expect(host.logs).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('2 record(s) of model "Issue" repeat an id'), payload: { model: 'Issue', duplicateIds: [1, '1'] } })]);
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
        const { nango } = sync();
        await expect(nango.batchSave([{ id: 1 }], 'Nope')).rejects.toMatchObject({ code: 'unknown_model', message: expect.stringContaining('declared: Issue, User') });
        await expect(nango.batchDelete([{ id: 1 }], 'Nope')).rejects.toMatchObject({ code: 'unknown_model' });
        await expect(nango.getRecordsByIds([1], 'Nope')).rejects.toMatchObject({ code: 'unknown_model' });
    });

    it('sends at most 1000 records per host call', async () => {
        const { host, nango } = sync();
        await nango.batchSave(Array.from({ length: 2500 }, (_, i) => ({ id: i })), 'Issue');
        expect(host.recordCalls.map((c) => c.records.length)).toEqual([1000, 1000, 500]);
        expect(host.recordCalls[2]?.records[0]).toEqual({ id: 2000 });
    });
});

describe('batchDelete, batchUpdate and getRecordsByIds', () => {
    it('validate like batchSave and reach the host', async () => {
        const { host, nango } = sync();
        await nango.batchDelete([{ id: 'a' }], 'User');
        await nango.batchUpdate([{ id: 'a', name: 'n' }], 'User');
        await expect(nango.batchUpdate([{ name: 'n' }], 'User')).rejects.toMatchObject({ code: 'invalid_sync_record' });
        expect(host.recordCalls.map((c) => [c.operation, c.model, c.records])).toEqual([
            ['batchDelete', 'User', [{ id: 'a' }]],
            ['batchUpdate', 'User', [{ id: 'a', name: 'n' }]]
        ]);
    });

    it('getRecordsByIds returns a Map keyed by the ids as given, without the missing ones', async () => {
        const { nango } = sync();
        await nango.batchSave([{ id: '1', t: 'a' }, { id: 'b', t: 'b' }], 'Issue');
        const found = await nango.getRecordsByIds([1, 'b', 'missing'], 'Issue');
        expect(found).toBeInstanceOf(Map);
        expect([...found.entries()]).toEqual([
            [1, { id: '1', t: 'a' }],
            ['b', { id: 'b', t: 'b' }]
        ]);
    });
});
