import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { call, expectError } from '../helpers.js';
import { ECHO_ACTION, ITEMS_SYNC, PROBE_ACTION } from './bundles.js';
import { deploy, sha256Hex, trigger } from './function-helpers.js';

const SYNC_CONFIG = {
    description: 'Items',
    frequency: 'every hour',
    auto_start: true,
    models: { Item: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } }, required: ['id'] } }
};
const ACTION_CONFIG = {
    description: 'Create an item',
    input: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
    output: { type: 'object', properties: { id: { type: 'string' } } }
};

async function schedules(environmentId: string) {
    const rows = await env.DB.prepare('SELECT sync_name, status, frequency_ms FROM sync_schedules WHERE environment_id = ? ORDER BY sync_name').bind(environmentId).all();
    return rows.results;
}

describe('bundles', () => {
    it('are stored by the hash of their code, once', async () => {
        const { key } = await apiEnvironment();
        const code = `export default { type: 'action', exec: async () => ${Math.random()} };`;
        const hash = await sha256Hex(code);
        expect((await call('/functions/bundles/missing', { method: 'POST', key, body: { hashes: [hash, hash] } })).json).toEqual({ data: { missing: [hash] } });
        const put = (status: number) => call(`/functions/bundles/${hash}`, { method: 'PUT', key, body: code, headers: { 'content-type': 'application/javascript' } }).then((r) => expect(r.status, r.text).toBe(status));
        await put(201);
        await put(200);
        expect((await call('/functions/bundles/missing', { method: 'POST', key, body: { hashes: [hash] } })).json).toEqual({ data: { missing: [] } });
        const wrong = await call(`/functions/bundles/${'0'.repeat(64)}`, { method: 'PUT', key, body: code, headers: { 'content-type': 'application/javascript' } });
        expectError(wrong, 400, 'bundle_hash_mismatch');
        expectError(await call('/functions/bundles/not-a-hash', { method: 'PUT', key, body: code }), 400, 'invalid_uri_params');
    });
});

describe('deployments', () => {
    it('deploy a set as a version, schedule its syncs on existing connections, and roll back', async () => {
        const environment = await apiEnvironment();
        const { key } = environment;
        const first = await deploy(key, [{ integration: 'api', name: 'items', type: 'sync', code: ITEMS_SYNC, config: SYNC_CONFIG }], 'first');
        expect(first.status, first.text).toBe(201);
        expect(first.json.data).toMatchObject({ version: 1, message: 'first', active: true, functions: [{ integration: 'api', name: 'items', type: 'sync', config: { frequency: 'every hour', auto_start: true } }] });
        expect(await schedules(environment.id)).toEqual([{ sync_name: 'items', status: 'RUNNING', frequency_ms: 3_600_000 }]);

        const second = await deploy(key, [{ integration: 'api', name: 'create-item', type: 'action', code: ECHO_ACTION, config: ACTION_CONFIG }]);
        expect(second.json.data).toMatchObject({ version: 2, active: true, functions: [{ name: 'create-item', type: 'action' }] });
        expect(await schedules(environment.id)).toEqual([]);

        const list = (await call('/functions/deployments', { key })).json.data;
        expect(list.map((d: any) => [d.version, d.active])).toEqual([
            [2, true],
            [1, false]
        ]);

        const back = await call('/functions/deployments/rollback', { method: 'POST', key, body: {} });
        expect(back.status, back.text).toBe(200);
        expect(back.json.data).toMatchObject({ version: 1, active: true });
        const active = (await call('/functions/deployments?active=true&limit=1', { key })).json.data;
        expect(active.map((d: any) => [d.version, d.active])).toEqual([[1, true]]);
        expect(await schedules(environment.id)).toEqual([{ sync_name: 'items', status: 'RUNNING', frequency_ms: 3_600_000 }]);
        expectError(await trigger(key, 'create-item', { title: 'x' }), 404, 'not_found');
        expectError(await call('/functions/deployments/rollback', { method: 'POST', key, body: { version: 9 } }), 404, 'not_found');

        const logs = (await call('/logs?type=deployment&status=success', { key })).json.data.filter((l: any) => l.action !== 'bundle.upload');
        expect(logs.map((l: any) => [l.action, l.meta])).toEqual([
            ['rollback', { version: 1 }],
            ['deploy', { version: 2 }],
            ['deploy', { version: 1 }]
        ]);
    });

    it('refuse an invalid set as a whole, naming each problem', async () => {
        const { key } = await apiEnvironment();
        const res = await call('/functions/deployments', {
            method: 'POST',
            key,
            body: {
                functions: [
                    { integration: 'nope', name: 'a', type: 'action', bundle_hash: 'a'.repeat(64), config: {} },
                    { integration: 'api', name: 'a', type: 'action', bundle_hash: 'a'.repeat(64), config: {} },
                    { integration: 'api', name: 'a', type: 'action', bundle_hash: 'a'.repeat(64), config: {} }
                ]
            }
        });
        expectError(res, 400, 'invalid_body');
        expect(res.json.error.errors.map((e: any) => [e.code, e.path.join('.')])).toEqual([
            ['unknown_integration', 'functions.0.integration'],
            ['missing_bundle', 'functions.0.bundle_hash'],
            ['missing_bundle', 'functions.1.bundle_hash'],
            ['missing_bundle', 'functions.2.bundle_hash'],
            ['duplicate_function', 'functions.2.name']
        ]);
        const bad = await call('/functions/deployments', {
            method: 'POST',
            key,
            body: { functions: [{ integration: 'api', name: 's', type: 'sync', bundle_hash: 'a'.repeat(64), config: { frequency: 'every 5 seconds', models: {} } }] }
        });
        expectError(bad, 400, 'invalid_body');
        expect(bad.json.error.errors.map((e: any) => e.path.join('.'))).toEqual(['functions.0.config.frequency', 'functions.0.config.models']);
        expect((await call('/functions/deployments', { key })).json.data).toEqual([]);
    });

    it('refuse two syncs of one integration declaring the same model', async () => {
        const { key } = await apiEnvironment();
        const res = await deploy(key, [
            { integration: 'api', name: 'items', type: 'sync', code: ITEMS_SYNC, config: SYNC_CONFIG },
            { integration: 'api', name: 'more-items', type: 'sync', code: ITEMS_SYNC, config: SYNC_CONFIG }
        ]);
        expectError(res, 400, 'invalid_body');
        expect(res.json.error.errors).toEqual([
            {
                code: 'duplicate_model',
                message: "api: model Item is declared by both items and more-items; model names are unique across an integration's syncs",
                path: ['functions', 1, 'config', 'models', 'Item']
            }
        ]);
        expect((await call('/functions/deployments', { key })).json.data).toEqual([]);
    });
});

describe('deployed functions', () => {
    it('are listed per integration, with their config and code, and removed one by one', async () => {
        const { key } = await apiEnvironment();
        await deploy(key, [
            { integration: 'api', name: 'items', type: 'sync', code: ITEMS_SYNC, config: SYNC_CONFIG },
            { integration: 'api', name: 'create-item', type: 'action', code: PROBE_ACTION, config: ACTION_CONFIG }
        ]);
        const list = (await call('/integrations/api/functions', { key })).json.data;
        expect(list.map((f: any) => `${f.type}:${f.name}`).sort()).toEqual(['action:create-item', 'sync:items']);
        const one = await call('/integrations/api/functions/create-item', { key });
        expect(one.json.data).toMatchObject({ name: 'create-item', type: 'action', config: ACTION_CONFIG, bundle_hash: await sha256Hex(PROBE_ACTION) });
        const code = await call('/integrations/api/functions/create-item/code', { key });
        expect(code.status).toBe(200);
        expect(code.headers.get('content-type')).toContain('javascript');
        expect(code.text).toBe(PROBE_ACTION);
        expectError(await call('/integrations/api/functions/nope', { key }), 404, 'not_found');
        expectError(await call('/integrations/nope/functions', { key }), 404, 'not_found');

        const removed = await call('/integrations/api/functions/items?type=sync', { method: 'DELETE', key });
        expect(removed.status, removed.text).toBe(200);
        expect(removed.json.data).toMatchObject({ version: 2, message: 'Removed sync api/items', functions: [{ name: 'create-item' }] });
    });

    it('are described by /scripts/config, for Nango clients and as LLM tools', async () => {
        const { key } = await apiEnvironment();
        await deploy(key, [
            { integration: 'api', name: 'items', type: 'sync', code: ITEMS_SYNC, config: SYNC_CONFIG },
            { integration: 'api', name: 'create-item', type: 'action', code: PROBE_ACTION, config: ACTION_CONFIG }
        ]);
        const nango = (await call('/scripts/config', { key })).json;
        expect(nango).toEqual([
            expect.objectContaining({
                providerConfigKey: 'api',
                provider: 'fake-api',
                syncs: [expect.objectContaining({ name: 'items', type: 'sync', runs: 'every hour', auto_start: true, returns: ['Item'], models: [{ name: 'Item', fields: [{ name: 'id', type: 'string' }, { name: 'title', type: 'string' }] }] })],
                actions: [expect.objectContaining({ name: 'create-item', type: 'action', input: 'ActionInput_api_create-item', returns: ['ActionOutput_api_create-item'] })],
                'on-events': []
            })
        ]);
        const tools = (await call('/scripts/config?format=openai', { key })).json;
        expect(tools).toEqual({ data: [{ name: 'create-item', description: 'Create an item', parameters: ACTION_CONFIG.input }] });
        expectError(await call('/scripts/config?format=yaml', { key }), 400, 'invalid_query_params');
    });
});
