import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEnvironment } from './api-environment.js';
import { ECHO_ACTION, ITEMS_SYNC } from './functions/bundles.js';
import { deploy } from './functions/function-helpers.js';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;
let environmentId: string;
beforeAll(async () => {
    ({ key, id: environmentId } = await newEnvironment());
});

const oauthCredentials = { type: 'OAUTH2', client_id: 'client-123', client_secret: 'very-secret-client-secret', scopes: 'repo,user' };

describe('integrations API', () => {
    it('creates, lists, reads, updates and deletes an integration', async () => {
        const created = await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'github-prod', credentials: oauthCredentials } });
        expect(created.status, created.text).toBe(200);
        expect(created.json.data).toMatchObject({
            unique_key: 'github-prod',
            provider: 'github',
            display_name: 'GitHub',
            forward_webhooks: true,
            logo: 'http://spoke.test/logos/github.svg'
        });
        expect(created.json.data.created_at).toMatch(/\+00:00$/);
        expect(created.json.data).not.toHaveProperty('credentials');

        const list = await call('/integrations', { key });
        expect(list.json.data.map((i: { unique_key: string }) => i.unique_key)).toContain('github-prod');

        const plain = await call('/integrations/github-prod', { key });
        expect(plain.json.data).not.toHaveProperty('credentials');
        expect(plain.json.data).not.toHaveProperty('webhook_url');

        const full = await call('/integrations/github-prod?include=webhook&include=credentials', { key });
        expect(full.json.data.credentials).toEqual({ ...oauthCredentials, webhook_secret: null });
        expect(full.json.data.webhook_url).toBe(`http://spoke.test/webhook/${environmentId}/github-prod`);
        expect((await call('/integrations/github-prod?include=credentials,webhook', { key })).json.data.credentials.client_secret).toBe(
            oauthCredentials.client_secret
        );

        const renamed = await call('/integrations/github-prod', {
            method: 'PATCH',
            key,
            body: { unique_key: 'github-main', display_name: 'GitHub (main)', forward_webhooks: false }
        });
        expect(renamed.status, renamed.text).toBe(200);
        expect(renamed.json.data).toMatchObject({ unique_key: 'github-main', display_name: 'GitHub (main)', forward_webhooks: false });
        expectError(await call('/integrations/github-prod', { key }), 404, 'not_found');
        expect((await call('/integrations/github-main?include=credentials', { key })).json.data.credentials.client_id).toBe('client-123');

        expect((await call('/integrations/github-main', { method: 'DELETE', key })).json).toEqual({ success: true });
        expectError(await call('/integrations/github-main', { key }), 404, 'not_found');
        expectError(await call('/integrations/github-main', { method: 'DELETE', key }), 404, 'not_found');
    });

    it('refuses to rename an integration its deployed functions or sync schedules refer to', async () => {
        const { key } = await apiEnvironment();
        const rename = (from: string, to: string) => call(`/integrations/${from}`, { method: 'PATCH', key, body: { unique_key: to } });
        for (const functions of [
            [{ integration: 'api', name: 'items', type: 'sync' as const, code: ITEMS_SYNC }],
            [{ integration: 'api', name: 'echo', type: 'action' as const, code: ECHO_ACTION }]
        ]) {
            expect((await deploy(key, functions)).status).toBe(201);
            expectError(await rename('api', 'api-2'), 409, 'integration_in_use');
        }
        // Other changes still apply.
        expect((await call('/integrations/api', { method: 'PATCH', key, body: { display_name: 'API' } })).status).toBe(200);
        expect((await deploy(key, [])).status).toBe(201);
        const renamed = await rename('api', 'api-2');
        expect(renamed.status, renamed.text).toBe(200);
        expect(renamed.json.data).toMatchObject({ unique_key: 'api-2', display_name: 'API' });
    });

    it('encrypts client secrets at rest', async () => {
        await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'gh-enc', credentials: oauthCredentials, custom: { webhookSecret: 'custom-secret-value' } } });
        const rows = JSON.stringify((await env.DB.prepare('SELECT * FROM integrations').all()).results);
        expect(rows).not.toContain('very-secret-client-secret');
        expect(rows).not.toContain('custom-secret-value');
        expect(rows).toContain('v1.k1.');
    });

    it('rejects unknown providers, duplicate keys and mismatched credentials', async () => {
        const unknown = await call('/integrations', { method: 'POST', key, body: { provider: 'no-such-provider', unique_key: 'x' } });
        expectError(unknown, 400, 'invalid_body');
        expect(unknown.json.error.errors[0].path).toEqual(['provider']);

        await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'dup' } });
        expectError(await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'dup' } }), 409, 'integration_already_exists');

        const mismatch = await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'ai2', credentials: oauthCredentials } });
        expectError(mismatch, 400, 'invalid_body');
        expect(mismatch.json.error.errors[0].path).toEqual(['credentials', 'type']);

        expectError(await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'bad/key' } }), 400, 'invalid_body');
        expectError(
            await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'gh-x', credentials: { type: 'OAUTH2', client_id: 'a' } } }),
            400,
            'invalid_body'
        );
        expectError(await call('/integrations/dup', { method: 'PATCH', key, body: { provider: 'github' } }), 400, 'invalid_body');
        expectError(await call('/integrations/dup?include=everything', { key }), 400, 'invalid_query_params');
    });

    it('quickstarts integrations for providers that need no app of the developer', async () => {
        for (const [provider, uniqueKey] of [
            ['openai', 'quick-ai'],
            ['twilio', 'quick-twilio']
        ]) {
            const res = await call('/integrations/quickstart', { method: 'POST', key, body: { provider, unique_key: uniqueKey, display_name: `Quick ${provider}`, forward_webhooks: false } });
            expect(res.status, res.text).toBe(200);
            expect(res.json.data).toMatchObject({ unique_key: uniqueKey, provider, display_name: `Quick ${provider}`, forward_webhooks: false });
            expect((await call(`/integrations/${uniqueKey}?include=credentials`, { key })).json.data.credentials).toBeNull();
        }
        const oauth = await call('/integrations/quickstart', { method: 'POST', key, body: { provider: 'github', unique_key: 'quick-gh' } });
        expectError(oauth, 400, 'quickstart_unavailable');
        expect(oauth.json.error.message).toContain('POST /integrations');
        expectError(await call('/integrations/quick-gh', { key }), 404, 'not_found');
        expectError(await call('/integrations/quickstart', { method: 'POST', key, body: { provider: 'openai', unique_key: 'quick-ai' } }), 409, 'integration_already_exists');
        // Credentials are what quickstart goes without.
        expectError(await call('/integrations/quickstart', { method: 'POST', key, body: { provider: 'github', unique_key: 'quick-gh', credentials: oauthCredentials } }), 400, 'invalid_body');
    });

    it('refuses to rename onto an existing key', async () => {
        await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'one' } });
        await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'two' } });
        expectError(await call('/integrations/one', { method: 'PATCH', key, body: { unique_key: 'two' } }), 409, 'integration_already_exists');
    });
});
