import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, call, expectError, newEnvironment } from './helpers.js';

describe('environments (admin API)', () => {
    it('creates an environment with a secret key and a webhook signing key', async () => {
        const res = await admin('/environments', { method: 'POST', body: { name: 'prod' } });
        expect(res.status).toBe(201);
        const data = res.json.data;
        expect(data).toMatchObject({ name: 'prod', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        expect(data.secret_key).toMatch(/^[0-9a-f-]{36}$/);
        expect(data.webhook_signing_key).toMatch(/^[0-9a-f-]{36}$/);
        expect(data.webhook_signing_key).not.toBe(data.secret_key);
        expect((await call('/integrations', { key: data.secret_key })).status).toBe(200);

        const got = await admin('/environments/prod');
        expect(got.json.data.webhook_signing_key).toBe(data.webhook_signing_key);
        expect(got.json.data).not.toHaveProperty('secret_key');
        const list = await admin('/environments');
        expect(list.json.data.map((e: { name: string }) => e.name)).toContain('prod');
    });

    it('refuses duplicate and malformed names', async () => {
        const { name } = await newEnvironment();
        expectError(await admin('/environments', { method: 'POST', body: { name } }), 409, 'environment_already_exists');
        expectError(await admin('/environments', { method: 'POST', body: { name: 'Has Space' } }), 400, 'invalid_body');
        expectError(await admin('/environments/nope'), 404, 'unknown_environment');
    });

    it('imports a chosen key idempotently and refuses one owned by another environment', async () => {
        const chosen = crypto.randomUUID();
        const created = await admin('/environments', { method: 'POST', body: { name: 'staging', secret_key: chosen } });
        expect(created.json.data.secret_key).toBe(chosen);
        const again = await admin('/environments/staging/keys', { method: 'POST', body: { secret_key: chosen.toUpperCase() } });
        expect(again.status).toBe(200);
        const keys = await admin('/environments/staging/keys');
        expect(keys.json.data).toHaveLength(1);
        expect(keys.json.data[0]).not.toHaveProperty('secret_key');
        expect(keys.json.data[0].prefix).toBe(chosen.slice(0, 8));

        const other = await newEnvironment();
        expectError(await admin(`/environments/${other.name}/keys`, { method: 'POST', body: { secret_key: chosen } }), 409, 'secret_key_in_use');
        expectError(await admin(`/environments/${other.name}/keys`, { method: 'POST', body: { secret_key: 'nope' } }), 400, 'invalid_secret_key_format');
    });

    it('stores only hashes of secret keys', async () => {
        const { key } = await newEnvironment();
        const rows = await env.DB.prepare('SELECT * FROM api_keys').all();
        expect(JSON.stringify(rows.results)).not.toContain(key);
    });

    it('rotates the webhook signing key', async () => {
        const { name, signingKey } = await newEnvironment();
        const rotated = await admin(`/environments/${name}/webhook-signing-key/rotate`, { method: 'POST' });
        expect(rotated.status).toBe(200);
        expect(rotated.json.data.webhook_signing_key).not.toBe(signingKey);
        expect((await admin(`/environments/${name}`)).json.data.webhook_signing_key).toBe(rotated.json.data.webhook_signing_key);
    });

    it('deletes an environment with everything in it', async () => {
        const { name, key } = await newEnvironment();
        await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'ai' } });
        expect((await admin(`/environments/${name}`, { method: 'DELETE' })).status).toBe(200);
        expectError(await call('/integrations', { key }), 401, 'unknown_account');
        expectError(await admin(`/environments/${name}`), 404, 'unknown_environment');
    });
});
