import { describe, expect, it } from 'vitest';
import { admin, call, environmentWithIntegration, expectError, newEnvironment } from './helpers.js';
import { callWithBindings } from './rebound-worker.js';

describe('secret-key authentication', () => {
    it('uses the 401 codes of the reference', async () => {
        expectError(await call('/integrations'), 401, 'missing_auth_header');
        expectError(await call('/integrations', { headers: { authorization: 'Basic abc' } }), 401, 'malformed_auth_header');
        expectError(await call('/integrations', { key: 'not-a-uuid' }), 401, 'invalid_secret_key_format');
        expectError(await call('/integrations', { key: crypto.randomUUID() }), 401, 'unknown_account');
    });

    it('lets the key alone select the environment', async () => {
        const a = await environmentWithIntegration('shared-name');
        const b = await newEnvironment();
        expect((await call('/integrations', { key: a.key })).json.data).toHaveLength(1);
        expect((await call('/integrations', { key: b.key })).json.data).toHaveLength(0);
    });

    it('accepts a key in any letter case', async () => {
        const { key } = await newEnvironment();
        expect((await call('/integrations', { key: key.toUpperCase() })).status).toBe(200);
    });

    it("answers another environment's integration and connection with 404, never 403", async () => {
        const owner = await environmentWithIntegration('private-int');
        await call('/connections', {
            method: 'POST',
            key: owner.key,
            body: { provider_config_key: 'private-int', connection_id: 'c1', credentials: { type: 'API_KEY', apiKey: 'sk-owner' } }
        });
        const stranger = await newEnvironment();
        expectError(await call('/integrations/private-int', { key: stranger.key }), 404, 'not_found');
        expectError(await call('/connections/c1?provider_config_key=private-int', { key: stranger.key }), 404, 'unknown_provider_config');
        expectError(await call('/connections/c1?provider_config_key=private-int', { method: 'DELETE', key: stranger.key }), 404, 'unknown_provider_config');
        const list = await call('/connections', { key: stranger.key });
        expect(list.json.connections).toEqual([]);
        // Even with an integration of the same name, the other environment's connection stays invisible.
        await call('/integrations', { method: 'POST', key: stranger.key, body: { provider: 'openai', unique_key: 'private-int' } });
        expectError(await call('/connections/c1?provider_config_key=private-int', { key: stranger.key }), 404, 'unknown_connection');
        expect((await call('/connections/c1?provider_config_key=private-int', { key: owner.key })).status).toBe(200);
    });

    it('stops accepting a revoked key', async () => {
        const { name, key } = await newEnvironment();
        const added = await admin(`/environments/${name}/keys`, { method: 'POST', body: { label: 'ci' } });
        expect(added.status).toBe(201);
        expect((await call('/integrations', { key: added.json.data.secret_key })).status).toBe(200);
        expect((await admin(`/environments/${name}/keys/${added.json.data.id}`, { method: 'DELETE' })).status).toBe(200);
        expectError(await call('/integrations', { key: added.json.data.secret_key }), 401, 'unknown_account');
        expect((await call('/integrations', { key })).status).toBe(200);
    });
});

describe('public keys', () => {
    it('are refused on the end-user auth routes with 401 deprecated_authentication', async () => {
        const { integration } = await environmentWithIntegration();
        const publicKey = crypto.randomUUID();
        for (const [path, body] of [
            [`/api-auth/api-key/${integration}`, { apiKey: 'sk-x' }],
            [`/api-auth/basic/${integration}`, { username: 'u', password: 'p' }],
            [`/oauth2/auth/${integration}`, { client_id: 'id', client_secret: 'secret' }]
        ] as const) {
            expectError(await call(`${path}?public_key=${publicKey}`, { method: 'POST', body }), 401, 'deprecated_authentication');
            // Whatever its shape: Spoke has no public keys to check it against.
            expectError(await call(`${path}?public_key=not-a-uuid`, { method: 'POST', body }), 401, 'deprecated_authentication');
        }
    });
});

describe('admin authentication', () => {
    it('requires the bootstrap secret', async () => {
        expectError(await call('/admin/environments'), 401, 'missing_auth_header');
        expectError(await call('/admin/environments', { key: 'wrong-secret' }), 401, 'invalid_admin_secret');
        const { key } = await newEnvironment();
        expectError(await call('/admin/environments', { key }), 401, 'invalid_admin_secret');
        expect((await admin('/environments')).status).toBe(200);
    });

    it('answers 403 admin_disabled when the deployment has no admin secret', async () => {
        for (const secret of ['', undefined]) {
            const noSecret = { SPOKE_ADMIN_SECRET: secret } as Partial<Env>;
            expectError(await callWithBindings(noSecret, '/admin/environments', { key: 'anything' }), 403, 'admin_disabled');
            expectError(await callWithBindings(noSecret, '/admin/environments', { method: 'POST', body: { name: 'sneaky' } }), 403, 'admin_disabled');
        }
        expectError(await admin('/environments/sneaky'), 404, 'unknown_environment');
    });
});
