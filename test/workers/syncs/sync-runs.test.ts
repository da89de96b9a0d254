import { describe, expect, it } from 'vitest';
import { fake, receivedWebhooks } from '../auth-helpers.js';
import { call } from '../helpers.js';
import { allRecords, items, runSync, syncEnvironment } from './sync-helpers.js';

describe('sync runs', () => {
    it('store 5,000 records, then track exactly 10 updated and 5 deleted, with matching webhooks and cursors', async () => {
        const environment = await syncEnvironment({ checkpointed: false, trackDeletes: true });
        const { key, scenario } = environment;
        await fake.receiver(scenario, { signingKey: environment.signingKey });
        await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: `https://app.fake.test/${scenario}/hooks` } });

        const first = await runSync(key);
        expect(first).toMatchObject({ latestExecutionStatus: 'SUCCESS', type: 'INCREMENTAL', latestResult: { Item: { added: 5000, updated: 0, deleted: 0 } }, recordCount: { Item: 5000 } });
        const stored = await allRecords(key);
        expect(stored).toHaveLength(5000);
        const savedCursor = stored.at(-1)._nango_metadata.cursor as string;
        const [created] = await receivedWebhooks(scenario, 1);
        expect(created!.verified).toBe(true);
        expect(created!.payload).toMatchObject({ type: 'sync', syncName: 'items', model: 'Item', syncType: 'INITIAL', success: true, responseResults: { added: 5000, updated: 0, deleted: 0 } });

        // Upstream: 10 changed, 5 gone.
        const changed = items(5000).map((item, i) => (i < 10 ? { ...item, version: 2 } : item)).filter((_, i) => i < 4995);
        await fake.api(scenario, { collection: { path: '/items', items: changed, pageSize: 100 } });
        const second = await runSync(key);
        expect(second).toMatchObject({ latestExecutionStatus: 'SUCCESS', latestResult: { Item: { added: 0, updated: 10, deleted: 5 } }, recordCount: { Item: 4995 } });

        const hooks = await receivedWebhooks(scenario, 2);
        const update = hooks[1]!.payload;
        expect(update).toMatchObject({ syncType: 'INCREMENTAL', responseResults: { added: 0, updated: 10, deleted: 5 } });
        const delta = await allRecords(key, `&modified_after=${encodeURIComponent(update['modifiedAfter'])}`);
        expect(delta.filter((r) => r._nango_metadata.last_action === 'UPDATED').map((r) => r.id).sort()).toEqual(items(10).map((i) => i.id).sort());
        expect(delta.filter((r) => r._nango_metadata.last_action === 'DELETED').map((r) => r.id).sort()).toEqual(['item-4995', 'item-4996', 'item-4997', 'item-4998', 'item-4999']);
        expect(delta).toHaveLength(15);

        // A cursor saved after the first run gives the same 15 changes, and filters combine as a union.
        expect((await allRecords(key, '', savedCursor)).map((r) => r.id).sort()).toEqual(delta.map((r) => r.id).sort());
        expect(await allRecords(key, '&filter=updated,deleted')).toHaveLength(15);
        expect(await allRecords(key, '&filter=added')).toHaveLength(4985);
    }, 120_000);

    it('resume from the last checkpoint after a failed run, without duplicates or losses', async () => {
        const { key, scenario } = await syncEnvironment({ checkpointed: true, trackDeletes: false });
        await fake.api(scenario, { collection: { path: '/items', items: items(5000), pageSize: 100, failOnceAt: 2500 } });
        const failed = await runSync(key);
        expect(failed).toMatchObject({ latestExecutionStatus: 'ERROR', latestResult: { Item: { added: 2500 } } });
        expect(failed.checkpoint).toEqual({ cursor: '2500' });

        const resumed = await runSync(key);
        expect(resumed).toMatchObject({ latestExecutionStatus: 'SUCCESS', latestResult: { Item: { added: 2500, updated: 0 } }, recordCount: { Item: 5000 } });
        const requests = await fake.apiRequests(scenario);
        const cursors = requests.filter((r) => r.path === '/items').map((r) => Number(r.query['cursor']));
        // The second run started where the first one failed, and fetched no page twice besides that one.
        expect(cursors.filter((c) => c === 2500)).toHaveLength(2);
        expect(new Set(cursors).size).toBe(50);
        const records = await allRecords(key);
        expect(new Set(records.map((r) => r.id)).size).toBe(5000);
    }, 120_000);

    it('continue in new invocations when the time budget is spent, and still complete exactly', async () => {
        const { key } = await syncEnvironment({ checkpointed: true, trackDeletes: true, count: 1500, delayMs: 40 });
        const status = await runSync(key);
        expect(status).toMatchObject({ latestExecutionStatus: 'SUCCESS', latestResult: { Item: { added: 1500, updated: 0, deleted: 0 } }, checkpoint: null });
        const run = (await call('/logs?type=sync', { key })).json.data.find((o: any) => o.action === 'items');
        expect(run.meta.invocations).toBeGreaterThan(1);
        expect(await allRecords(key)).toHaveLength(1500);
    }, 120_000);

    it('send a webhook for a run that changed nothing only while on_sync_completion_always is on', async () => {
        const { key } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 10 });
        const syncHooks = async () => (await call('/webhooks/deliveries?type=sync', { key })).json.data.map((d: { payload: Record<string, any> }) => d.payload.responseResults);
        await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: 'https://app.example.com/hooks', on_sync_completion_always: false } });
        await runSync(key);
        await runSync(key);
        expect(await syncHooks()).toEqual([{ added: 10, updated: 0, deleted: 0 }]);
        await call('/environment/webhook-settings', { method: 'PATCH', key, body: { on_sync_completion_always: true } });
        await runSync(key);
        expect(await syncHooks()).toEqual([
            { added: 0, updated: 0, deleted: 0 },
            { added: 10, updated: 0, deleted: 0 }
        ]);
    }, 60_000);
});
