import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;
beforeAll(async () => {
    ({ key } = await newEnvironment());
    await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'ai' } });
    for (const id of ['m1', 'm2', 'm3']) {
        await call('/connections', { method: 'POST', key, body: { provider_config_key: 'ai', connection_id: id, credentials: { type: 'API_KEY', apiKey: 'k' } } });
    }
});

const metadataOf = async (id: string) => (await call(`/connections/${id}?provider_config_key=ai`, { key })).json.metadata;

describe('connection metadata', () => {
    it('replaces with POST (201) and shallow-merges with PATCH (200), echoing the body', async () => {
        const body = { connection_id: 'm1', provider_config_key: 'ai', metadata: { region: 'eu', nested: { a: 1, b: 2 } } };
        const set = await call('/connections/metadata', { method: 'POST', key, body });
        expect(set.status).toBe(201);
        expect(set.json).toEqual(body);

        const patch = { connection_id: 'm1', provider_config_key: 'ai', metadata: { nested: { c: 3 }, extra: true } };
        const merged = await call('/connections/metadata', { method: 'PATCH', key, body: patch });
        expect(merged.status).toBe(200);
        expect(merged.json).toEqual(patch);
        expect(await metadataOf('m1')).toEqual({ region: 'eu', nested: { c: 3 }, extra: true });

        await call('/connections/metadata', { method: 'POST', key, body: { connection_id: 'm1', provider_config_key: 'ai', metadata: { fresh: 1 } } });
        expect(await metadataOf('m1')).toEqual({ fresh: 1 });
    });

    it('updates many connections at once', async () => {
        await call('/connections/metadata', { method: 'POST', key, body: { connection_id: ['m2', 'm3'], provider_config_key: 'ai', metadata: { shared: 'x' } } });
        await call('/connections/metadata', { method: 'PATCH', key, body: { connection_id: ['m2', 'm3', 'm2'], provider_config_key: 'ai', metadata: { more: 'y' } } });
        expect(await metadataOf('m2')).toEqual({ shared: 'x', more: 'y' });
        expect(await metadataOf('m3')).toEqual({ shared: 'x', more: 'y' });
    });

    it('applies nothing when one connection is missing', async () => {
        await call('/connections/metadata', { method: 'POST', key, body: { connection_id: ['m2', 'm3'], provider_config_key: 'ai', metadata: { before: true } } });
        const res = await call('/connections/metadata', { method: 'PATCH', key, body: { connection_id: ['m2', 'ghost', 'm3'], provider_config_key: 'ai', metadata: { after: true } } });
        expectError(res, 404, 'unknown_connection');
        expect(res.json.error.payload.missing).toEqual(['ghost']);
        expect(await metadataOf('m2')).toEqual({ before: true });
        expect(await metadataOf('m3')).toEqual({ before: true });
    });

    it('keeps every key of concurrent merges, with any key name and JSON value', async () => {
        await call('/connections/metadata', { method: 'POST', key, body: { connection_id: ['m2', 'm3'], provider_config_key: 'ai', metadata: { kept: { deep: 1 }, precise: 0.30000000000000004 } } });
        const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
        const patches = await Promise.all(
            keys.map((k) => call('/connections/metadata', { method: 'PATCH', key, body: { connection_id: ['m2', 'm3'], provider_config_key: 'ai', metadata: { [k]: true } } }))
        );
        expect(patches.map((p) => p.status)).toEqual(keys.map(() => 200));
        const expected = { kept: { deep: 1 }, precise: 0.30000000000000004, ...Object.fromEntries(keys.map((k) => [k, true])) };
        expect(await metadataOf('m2')).toEqual(expected);
        expect(await metadataOf('m3')).toEqual(expected);

        // Shallow: a nested object replaces the old one; null is a value, not a deletion. Odd key names are keys like any other.
        const odd = { kept: { other: 2 }, k0: null, 'we"ird.key[0]\\x': [1, { a: null }], $: 'dollar', '': 'empty' };
        for (let i = 0; i < 60; i++) (odd as Record<string, unknown>)[`many${i}`] = i;
        expect((await call('/connections/metadata', { method: 'PATCH', key, body: { connection_id: 'm2', provider_config_key: 'ai', metadata: odd } })).status).toBe(200);
        expect(await metadataOf('m2')).toEqual({ ...expected, ...odd });
    });

    it('rejects bad metadata bodies', async () => {
        expectError(await call('/connections/metadata', { method: 'POST', key, body: { connection_id: 'm1', provider_config_key: 'ai', metadata: 'nope' } }), 400, 'invalid_body');
        expectError(await call('/connections/metadata', { method: 'POST', key, body: { connection_id: [], provider_config_key: 'ai', metadata: {} } }), 400, 'invalid_body');
        expectError(await call('/connections/metadata', { method: 'POST', key, body: { connection_id: 'm1', metadata: {} } }), 400, 'invalid_body');
        expectError(await call('/connections/metadata', { method: 'POST', key, body: { connection_id: 'm1', provider_config_key: 'nope', metadata: {} } }), 404, 'unknown_provider_config');
    });

    it('serves the legacy routes, with the key in the query or a header', async () => {
        const viaLegacyBody = await call('/connection/metadata', { method: 'POST', key, body: { connection_id: 'm3', provider_config_key: 'ai', metadata: { v: 1 } } });
        expect(viaLegacyBody.status).toBe(201);
        const viaQuery = await call('/connection/m3/metadata?provider_config_key=ai', { method: 'PATCH', key, body: { w: 2 } });
        expect(viaQuery.status).toBe(200);
        expect(viaQuery.json).toEqual({ connection_id: 'm3', provider_config_key: 'ai', metadata: { w: 2 } });
        const viaHeader = await call('/connection/m3/metadata', { method: 'PATCH', key, body: { x: 3 }, headers: { 'Provider-Config-Key': 'ai' } });
        expect(viaHeader.status).toBe(200);
        expect(await metadataOf('m3')).toEqual({ v: 1, w: 2, x: 3 });
        expectError(await call('/connection/m3/metadata', { method: 'POST', key, body: { y: 1 } }), 400, 'missing_provider_config_key');
    });
});
