import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { call, expectError } from '../helpers.js';
import { allRecords, runSync, syncEnvironment, syncStatus } from './sync-helpers.js';

async function uidOf(environmentId: string, connectionId = 'c1'): Promise<string> {
    return (await env.DB.prepare('SELECT uid FROM connections WHERE environment_id = ? AND connection_id = ?').bind(environmentId, connectionId).first<string>('uid'))!;
}

const stub = (uid: string) => env.CONNECTION.getByName(uid);

const post = (key: string, path: string, body: unknown) => call(path, { method: 'POST', key, body });

describe('sync control', () => {
    it('validates requests with clear errors', async () => {
        const { key } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 10 });
        expectError(await post(key, '/sync/trigger', { syncs: ['items'] }), 400, 'missing_provider_config_key');
        expectError(await post(key, '/sync/trigger', { provider_config_key: 'api', syncs: ['nope'] }), 400, 'no_syncs_found');
        expectError(await post(key, '/sync/trigger', { provider_config_key: 'api', connection_id: 'ghost', syncs: [] }), 400, 'unknown_connection');
        expectError(await post(key, '/sync/trigger', { provider_config_key: 'api', syncs: [], opts: { reset: true }, sync_mode: 'full_refresh' }), 400, 'invalid_body');
        expectError(await post(key, '/sync/trigger', { provider_config_key: 'nope', syncs: [] }), 404, 'unknown_provider_config');
        expectError(await call('/sync/status?provider_config_key=api', { key }), 400, 'invalid_query_params');
        const frequency = (value: unknown) => call('/sync/update-connection-frequency', { method: 'PUT', key, body: { sync_name: 'items', provider_config_key: 'api', connection_id: 'c1', frequency: value } });
        expectError(await frequency('every 5 seconds'), 400, 'invalid_frequency');
        expect((await frequency('every 5 minutes')).json).toEqual({ frequency: 'every 5 minutes' });
        expect((await syncStatus(key)).frequency).toBe('every 5 minutes');
        expect((await frequency(null)).json).toEqual({ frequency: 'every day' });
    });

    it('pauses and starts schedules; a start runs at once', async () => {
        const { key } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 10 });
        expect((await syncStatus(key)).status).toBe('PAUSED');
        expect((await post(key, '/sync/start', { provider_config_key: 'api', syncs: ['items'] })).status).toBe(200);
        await vi.waitFor(async () => expect(await syncStatus(key)).toMatchObject({ latestExecutionStatus: 'SUCCESS', recordCount: { Item: 10 } }), { timeout: 20_000, interval: 200 });
        const started = await syncStatus(key);
        expect(Date.parse(started.nextScheduledSyncAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
        expect((await post(key, '/sync/pause', { provider_config_key: 'api', syncs: ['items'], connection_id: 'c1' })).status).toBe(200);
        expect(await syncStatus(key)).toMatchObject({ status: 'PAUSED', nextScheduledSyncAt: null });
    });

    it('resets and empties the cache on request', async () => {
        const { key } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 20 });
        await runSync(key);
        const again = await runSync(key);
        expect(again.latestResult.Item).toEqual({ added: 0, updated: 0, deleted: 0 });
        const emptied = await runSync(key, { opts: { reset: true, emptyCache: true } });
        expect(emptied).toMatchObject({ latestResult: { Item: { added: 20 } }, recordCount: { Item: 20 } });
        const legacy = await runSync(key, { sync_mode: 'full_refresh_and_clear_cache' });
        expect(legacy.latestResult.Item.added).toBe(20);
    }, 60_000);

    it('runs variants with their own records, and removes them', async () => {
        const { key, id } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 5 });
        const created = await post(key, '/sync/items/variant/eu', { provider_config_key: 'api', connection_id: 'c1' });
        expect(created.status, created.text).toBe(200);
        expect(created.json).toEqual({ id: expect.any(String), name: 'items', variant: 'eu' });
        expectError(await post(key, '/sync/items/variant/eu', { provider_config_key: 'api', connection_id: 'c1' }), 409, 'variant_already_exists');
        expectError(await post(key, '/sync/items/variant/base', { provider_config_key: 'api', connection_id: 'c1' }), 400, 'invalid_variant');
        await post(key, '/sync/trigger', { provider_config_key: 'api', connection_id: 'c1', syncs: ['items::eu'] });
        await vi.waitFor(
            async () => {
                const res = await call('/sync/status?syncs=items::eu&provider_config_key=api&connection_id=c1', { key });
                expect(res.json.syncs[0]).toMatchObject({ variant: 'eu', latestExecutionStatus: 'SUCCESS', recordCount: { Item: 5 } });
            },
            { timeout: 20_000, interval: 200 }
        );
        expect(await allRecords(key, '&variant=eu')).toHaveLength(5);
        expect(await allRecords(key)).toHaveLength(0);
        const removed = await call('/sync/items/variant/eu', { method: 'DELETE', key, body: { provider_config_key: 'api', connection_id: 'c1' } });
        expect(removed.status, removed.text).toBe(200);
        expect(await allRecords(key, '&variant=eu')).toHaveLength(0);
        expect((await env.DB.prepare("SELECT count(*) AS n FROM sync_schedules WHERE connection_uid = ? AND variant = 'eu'").bind(await uidOf(id)).first('n'))).toBe(0);
    }, 60_000);

    it('records a run whose invocation never reported back as failed, and frees its slot', async () => {
        const { key, id } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 5 });
        const stub = env.CONNECTION.getByName(await uidOf(id));
        expect((await runSync(key)).latestExecutionStatus).toBe('SUCCESS');
        // A run the object started whose message got lost: its lease has run out.
        await runInDurableObject(stub, (_instance, state) => {
            state.storage.sql.exec(
                "UPDATE sync_state SET run_id = 'lost-run', run_started_at = ?, run_flags = '{}', invocation = 1, invocation_started = 1, lease_until = ? WHERE sync_name = 'items'",
                Date.now() - 20 * 60_000,
                Date.now() - 1000
            );
        });
        await runInDurableObject(stub, async (_instance, state) => state.storage.setAlarm(Date.now()));
        expect(await runDurableObjectAlarm(stub)).toBe(true);
        await vi.waitFor(async () => expect(await syncStatus(key)).toMatchObject({ latestExecutionStatus: 'ERROR', error: { type: 'sync_run_lost' } }), { timeout: 20_000, interval: 200 });
        expect((await stub.syncSnapshot('items', 'base'))?.running).toBe(false);
        expect((await runSync(key)).latestExecutionStatus).toBe('SUCCESS');
    }, 60_000);

    it('records the end of a run from its sync_run_end job, when it could not be recorded at once', async () => {
        const { key, id } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 5 });
        const uid = await uidOf(id);
        await env.JOBS.send({
            type: 'sync_run_end',
            environmentId: id,
            uid,
            syncName: 'items',
            variant: 'base',
            integrationKey: 'api',
            runId: 'run-end-retried',
            runStartedAt: Date.now() - 1000,
            flags: {},
            initial: true,
            operationId: null,
            checkpointFrom: null,
            checkpointTo: '{"page":2}',
            nextRunAt: null,
            invocations: 2,
            outcome: { ok: false, error: { type: 'script_http_error', message: 'upstream said no' } }
        });
        await vi.waitFor(async () => expect(await syncStatus(key)).toMatchObject({ latestExecutionStatus: 'ERROR', error: { type: 'script_http_error', message: 'upstream said no' } }), { timeout: 20_000, interval: 200 });
    });

    it('leaves neither records nor schedules of a connection deleted during a run', async () => {
        const { key, id } = await syncEnvironment({ checkpointed: false, trackDeletes: false, count: 400, delayMs: 400 });
        const uid = await uidOf(id);
        const stored = async () => (await env.RECORDS.prepare('SELECT count(*) AS n FROM records WHERE connection_uid = ?').bind(uid).first<number>('n'))!;
        await post(key, '/sync/trigger', { provider_config_key: 'api', connection_id: 'c1', syncs: ['items'] });
        // Delete while the next page is on its way: the run saves it after the purge removed the rest.
        await vi.waitFor(async () => expect(await stored()).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
        expect((await call('/connections/c1?provider_config_key=api', { method: 'DELETE', key })).status).toBe(200);
        await vi.waitFor(async () => expect((await stub(uid).syncSnapshot('items', 'base'))?.running ?? false).toBe(false), { timeout: 20_000, interval: 100 });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(await stored()).toBe(0);
        expect(await env.DB.prepare('SELECT count(*) AS n FROM sync_schedules WHERE connection_uid = ?').bind(uid).first('n')).toBe(0);
        const run = (await call('/logs?type=sync', { key })).json.data.find((o: { action: string }) => o.action === 'items');
        expect(run).toMatchObject({ status: 'failed', error: { code: 'connection_deleted' } });
    }, 60_000);
});
