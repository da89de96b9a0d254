import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { createSession, fake } from '../auth-helpers.js';
import { call, expectError } from '../helpers.js';
import { saveRecords } from '../../../workers/records/record-writes.js';
import { recordsDb } from '../../../workers/records/records-shards.js';
import { ECHO_ACTION, eventCaller, ITEMS_SYNC, VALIDATE_REGION } from './bundles.js';
import { deploy } from './function-helpers.js';

function dryrun(key: string, body: Record<string, unknown>) {
    return call('/functions/dryrun', { method: 'POST', key, body: { integration: 'api', connection_id: 'c1', config: { models: { Item: {} } }, ...body } });
}

describe('POST /functions/dryrun', () => {
    it('runs a sync against the real connection and reports what it would have stored', async () => {
        const { key, scenario, id } = await apiEnvironment();
        const res = await dryrun(key, { name: 'items', type: 'sync', bundle: ITEMS_SYNC, checkpoint: { cursor: 'from-cli' } });
        expect(res.status, res.text).toBe(200);
        const report = res.json.data;
        expect(report.result).toEqual({ ok: true });
        expect(report.records).toEqual({ Item: [{ id: '1', path: '/items', since: 'from-cli' }] });
        expect(report.deletes).toEqual({ Item: [{ id: 'old' }] });
        expect(report.checkpoint).toEqual({ cursor: 'next' });
        expect(report.metadata).toEqual({ synced: true });
        expect(report.logs).toEqual([expect.objectContaining({ level: 'info', message: 'starting', payload: { from: 'from-cli' } })]);
        expect(report.http).toEqual([{ method: 'GET', url: '/items', status: 200, duration_ms: expect.any(Number) }]);
        // The upstream call was real and authenticated; nothing was persisted.
        const [request] = await fake.apiRequests(scenario);
        expect(request).toMatchObject({ path: '/items', query: { since: 'from-cli' }, headers: { 'x-api-key': 'secret-api-key' } });
        const connection = (await call('/connections/c1?provider_config_key=api', { key })).json;
        expect(connection.metadata).toEqual({});
        expect(await env.CONNECTION.getByName(await uidOf(id, 'c1')).getCheckpoint('sync:items:base')).toBeNull();
    });

    it('starts from the stored checkpoint and metadata, or the given ones', async () => {
        const { key } = await apiEnvironment();
        await call('/connections/metadata', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c1', metadata: { team: 'a' } } });
        const first = (await dryrun(key, { name: 'items', type: 'sync', bundle: ITEMS_SYNC })).json.data;
        expect(first.records.Item[0].since).toBe('0');
        expect(first.metadata).toEqual({ team: 'a', synced: true });
        const given = (await dryrun(key, { name: 'items', type: 'sync', bundle: ITEMS_SYNC, metadata: { team: 'b' } })).json.data;
        expect(given.metadata).toEqual({ team: 'b', synced: true });
    });

    it('reports a failed run in the report, and refuses an unknown connection', async () => {
        const { key } = await apiEnvironment();
        const res = await dryrun(key, { name: 'echo', type: 'sync', bundle: ECHO_ACTION });
        expect(res.status).toBe(200);
        expect(res.json.data.result).toMatchObject({ ok: false, error: { type: 'runtime_error', code: 'function_kind_mismatch' } });
        const action = (await dryrun(key, { name: 'echo', type: 'action', bundle: ECHO_ACTION, input: { q: 'dry' } })).json.data;
        expect(action.result).toEqual({ ok: true, output: expect.objectContaining({ input: { q: 'dry' }, sawKey: true }) });
        expectError(await dryrun(key, { name: 'echo', type: 'action', bundle: ECHO_ACTION, connection_id: 'nope' }), 404, 'unknown_connection');
    });

    it('runs an action it triggers as a dry run too, reporting its logs and HTTP calls', async () => {
        const { key, id } = await apiEnvironment();
        const writer = `export default { type: 'action', exec: async (nango) => {
            await nango.updateMetadata({ touched: true });
            await nango.saveCheckpoint({ n: 1 });
            await nango.log('nested', { from: (await nango.getMetadata()).team });
            return (await nango.get({ endpoint: '/nested' })).status;
        } };`;
        expect((await deploy(key, [{ integration: 'api', name: 'writer', type: 'action', code: writer }])).status).toBe(201);
        const caller = `export default { type: 'action', exec: async (nango) => ({ nested: await nango.triggerAction('api', 'c1', 'writer'), metadata: await nango.getMetadata() }) };`;
        const report = (await dryrun(key, { name: 'caller', type: 'action', bundle: caller, metadata: { team: 'a' } })).json.data;
        expect(report.result).toEqual({ ok: true, output: { nested: 200, metadata: { team: 'a', touched: true } } });
        expect(report.logs).toEqual([expect.objectContaining({ message: 'nested', payload: { from: 'a' } })]);
        expect(report.http).toEqual([expect.objectContaining({ method: 'GET', url: '/nested', status: 200 })]);
        expect(report.metadata).toEqual({ team: 'a', touched: true });
        // Nothing was persisted, by the caller or the action it triggered.
        expect((await call('/connections/c1?provider_config_key=api', { key })).json.metadata).toEqual({});
        expect(await env.CONNECTION.getByName(await uidOf(id, 'c1')).getCheckpoint('action:writer')).toBeNull();
    });

    it('tracks deletes as the platform does: only saves since the start count, records it deleted are not deleted again', async () => {
        const { key, id } = await apiEnvironment();
        const connection = (await env.DB.prepare('SELECT uid, records_shard FROM connections WHERE environment_id = ? AND connection_id = ?').bind(id, 'c1').first<{ uid: string; records_shard: number }>())!;
        const scope = { db: recordsDb(env, connection.records_shard), connectionUid: connection.uid, model: 'Item', variant: 'base' };
        await saveRecords(scope, [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], { runId: null });
        const bundle = `export default { type: 'sync', models: { Item: {} }, exec: async (nango) => {
            await nango.batchSave([{ id: 'a' }], 'Item');
            await nango.trackDeletesStart('Item');
            await nango.batchSave([{ id: 'b' }, { id: 'new' }], 'Item');
            await nango.batchUpdate([{ id: 'c' }], 'Item');
            await nango.batchDelete([{ id: 'd' }], 'Item');
            await nango.log('tracked', await nango.trackDeletesEnd('Item'));
        } };`;
        const report = (await dryrun(key, { name: 'tracker', type: 'sync', bundle })).json.data;
        expect(report.result).toEqual({ ok: true });
        expect(report.logs.map((l: any) => l.payload)).toEqual([{ deletedKeys: ['a', 'c'] }]);
        expect(report.deletes).toEqual({ Item: [{ id: 'd' }, { id: 'a' }, { id: 'c' }] });
        const failed = (await dryrun(key, { name: 'tracker', type: 'sync', bundle: `export default { type: 'sync', models: { Item: {} }, exec: (nango) => nango.trackDeletesEnd('Item') };` })).json.data;
        expect(failed.result.error.message).toContain('track_deletes_not_started');
    });
});

async function uidOf(environmentId: string, connectionId: string): Promise<string> {
    return (await env.DB.prepare('SELECT uid FROM connections WHERE environment_id = ? AND connection_id = ?').bind(environmentId, connectionId).first<string>('uid'))!;
}

describe('event functions', () => {
    async function connect(key: string, region?: string) {
        const token = await createSession(key);
        return call(`/api-auth/api-key/api?connect_session_token=${token}${region ? `&params[region]=${region}` : ''}`, { method: 'POST', body: { apiKey: 'end-user-key' } });
    }

    it('validate-connection: a throw rejects the new connection and nothing is kept', async () => {
        const { key, scenario } = await apiEnvironment();
        await deploy(key, [{ integration: 'api', name: 'check-region', type: 'on-event', code: VALIDATE_REGION, config: { description: 'v', event: 'validate-connection' } }]);
        const refused = await connect(key, 'mars');
        expectError(refused, 400, 'connection_validation_failed');
        expect(refused.json.error.message).toContain('region mars is not served');
        expect((await call('/connections', { key })).json.connections.map((c: any) => c.connection_id)).toEqual(['c1']);

        const accepted = await connect(key, 'eu');
        expect(accepted.status, accepted.text).toBe(200);
        expect((await call('/connections', { key })).json.connections).toHaveLength(2);
        // The validation ran with the new connection's own credentials.
        const validations = (await fake.apiRequests(scenario)).filter((r) => r.path === '/validate');
        expect(validations.map((r) => r.headers['x-api-key'])).toEqual(['end-user-key']);
    });

    it('post-connection-creation runs from the queue, for new connections only; syncs get schedules', async () => {
        const environment = await apiEnvironment();
        const { key, scenario } = environment;
        await deploy(key, [
            { integration: 'api', name: 'welcome', type: 'on-event', code: eventCaller('post-connection-creation', '/welcome'), config: { description: 'w', event: 'post-connection-creation' } },
            { integration: 'api', name: 'items', type: 'sync', code: ITEMS_SYNC, config: { description: 'i', frequency: 'every day', auto_start: false, models: { Item: {} } } }
        ]);
        const created = await call('/connections', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c2', credentials: { type: 'API_KEY', apiKey: 'k2' } } });
        expect(created.status).toBe(201);
        await vi.waitFor(async () => expect((await fake.apiRequests(scenario)).filter((r) => r.path === '/welcome')).toHaveLength(1), { timeout: 10_000, interval: 100 });
        const [welcome] = (await fake.apiRequests(scenario)).filter((r) => r.path === '/welcome');
        expect(JSON.parse(welcome!.body)).toEqual({ connection: 'c2' });
        // Re-importing is not a creation.
        await call('/connections', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c2', credentials: { type: 'API_KEY', apiKey: 'k3' } } });
        const schedules = await env.DB.prepare('SELECT connection_uid, status FROM sync_schedules WHERE environment_id = ?').bind(environment.id).all();
        expect(schedules.results).toHaveLength(2);
        expect(schedules.results.every((s) => s.status === 'PAUSED')).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect((await fake.apiRequests(scenario)).filter((r) => r.path === '/welcome')).toHaveLength(1);
    });

    it('pre-connection-deletion runs with the credentials before they are wiped; a failure does not block the deletion', async () => {
        const { key, scenario } = await apiEnvironment();
        await deploy(key, [{ integration: 'api', name: 'goodbye', type: 'on-event', code: eventCaller('pre-connection-deletion', '/goodbye'), config: { description: 'g', event: 'pre-connection-deletion' } }]);
        const deleted = await call('/connections/c1?provider_config_key=api', { method: 'DELETE', key });
        expect(deleted.status, deleted.text).toBe(200);
        const [goodbye] = (await fake.apiRequests(scenario)).filter((r) => r.path === '/goodbye');
        expect(goodbye).toMatchObject({ method: 'POST', headers: { 'x-api-key': 'secret-api-key' } });

        await call('/connections', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c3', credentials: { type: 'API_KEY', apiKey: 'k' } } });
        await fake.api(scenario, { fallback: { status: 500 } });
        expect((await call('/connections/c3?provider_config_key=api', { method: 'DELETE', key })).status).toBe(200);
        const runs = (await call('/logs?type=event', { key })).json.data;
        expect(runs[0]).toMatchObject({ action: 'goodbye', status: 'failed', error: { code: 'script_http_error' } });
    });
});
