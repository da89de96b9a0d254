import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;
beforeAll(async () => {
    ({ key } = await newEnvironment());
});

const internalApi = {
    display_name: 'Internal Billing',
    categories: ['accounting'],
    docs: 'https://billing.internal.example/docs',
    auth_mode: 'API_KEY',
    credentials: { apiKey: { title: 'API token', secret: true } },
    connection_config: { host: { title: 'Host', format: 'hostname' } },
    proxy: {
        base_url: 'https://${connectionConfig.host}/api',
        headers: { 'x-api-token': '${credentials.apiKey}' },
        verification: { method: 'GET', endpoints: ['/me'] }
    }
};

describe('provider catalog API', () => {
    it('lists the built-in catalog', async () => {
        const res = await call('/providers', { key });
        expect(res.status).toBe(200);
        expect(res.json.data.length).toBeGreaterThanOrEqual(60);
        const github = res.json.data.find((p: { name: string }) => p.name === 'github');
        expect(github).toMatchObject({ name: 'github', display_name: 'GitHub', auth_mode: 'OAUTH2', custom: false, logo_url: 'http://spoke.test/logos/github.svg' });
    });

    it('searches by name and display name', async () => {
        const names = (await call('/providers?search=GOOGLE', { key })).json.data.map((p: { name: string }) => p.name);
        expect(names).toContain('google-calendar');
        expect(names.every((n: string) => n.includes('google') || n === 'youtube')).toBe(true);
    });

    it('returns one provider, or 404', async () => {
        const res = await call('/providers/slack', { key });
        expect(res.json.data).toMatchObject({ name: 'slack', auth_mode: 'OAUTH2', oauth: { token_url: 'https://slack.com/api/oauth.v2.access' } });
        expectError(await call('/providers/not-a-provider', { key }), 404, 'not_found');
        expectError(await call('/providers/Bad_Name', { key }), 400, 'invalid_uri_params');
    });
});

describe('custom providers', () => {
    it('registers, uses, replaces and deletes a provider for a private API', async () => {
        const created = await call('/providers', { method: 'POST', key, body: { name: 'internal-billing', ...internalApi } });
        expect(created.status, created.text).toBe(201);
        expect(created.json.data).toMatchObject({ name: 'internal-billing', custom: true, auth_mode: 'API_KEY' });
        expect(created.json.data.logo_url).toMatch(/^data:image\/svg\+xml,/);
        expect(decodeURIComponent(created.json.data.logo_url)).toContain('>IB<');

        expect((await call('/providers/internal-billing', { key })).json.data.display_name).toBe('Internal Billing');
        expect((await call('/providers?search=billing', { key })).json.data.map((p: { name: string }) => p.name)).toContain('internal-billing');

        const integration = await call('/integrations', { method: 'POST', key, body: { provider: 'internal-billing', unique_key: 'billing' } });
        expect(integration.status, integration.text).toBe(200);
        expectError(await call('/providers/internal-billing', { method: 'DELETE', key }), 409, 'provider_in_use');

        const replaced = await call('/providers/internal-billing', { method: 'PUT', key, body: { ...internalApi, display_name: 'Billing v2' } });
        expect(replaced.status).toBe(200);
        expect((await call('/integrations/billing', { key })).json.data.display_name).toBe('Billing v2');

        await call('/integrations/billing', { method: 'DELETE', key });
        expect((await call('/providers/internal-billing', { method: 'DELETE', key })).json).toEqual({ success: true });
        expectError(await call('/providers/internal-billing', { key }), 404, 'not_found');
        expect((await call('/providers/internal-billing', { method: 'PUT', key, body: internalApi })).status).toBe(201);
    });

    it('validates definitions with the catalog schema', async () => {
        const undeclared = await call('/providers', {
            method: 'POST',
            key,
            body: { name: 'broken', ...internalApi, proxy: { base_url: 'https://${connectionConfig.region}.example.com' } }
        });
        expectError(undeclared, 400, 'invalid_body');
        expect(undeclared.json.error.errors[0]).toMatchObject({ path: ['proxy', 'base_url', 0], message: expect.stringContaining('connectionConfig.region') });

        const insecure = await call('/providers', { method: 'POST', key, body: { name: 'insecure', ...internalApi, docs: 'http://plain.example' } });
        expectError(insecure, 400, 'invalid_body');
        expect(insecure.json.error.errors[0].path).toEqual(['docs']);

        // A help link's anchor needs the guide it points into; a URL of its own does not.
        const anchored = (doc_section: string) => ({ ...internalApi, credentials: { apiKey: { title: 'API token', doc_section } } });
        const dangling = await call('/providers', { method: 'POST', key, body: { name: 'dangling', ...anchored('#api-token') } });
        expectError(dangling, 400, 'invalid_body');
        expect(dangling.json.error.errors[0].path).toEqual(['credentials', 'apiKey', 'doc_section']);
        expect((await call('/providers', { method: 'POST', key, body: { name: 'linked', ...anchored('https://billing.internal.example/keys') } })).status).toBe(201);

        const oauthless = await call('/providers', { method: 'POST', key, body: { name: 'oauthless', ...internalApi, auth_mode: 'OAUTH2' } });
        expectError(oauthless, 400, 'invalid_body');

        expectError(await call('/providers', { method: 'POST', key, body: { name: 'Not Valid', ...internalApi } }), 400, 'invalid_body');
    });

    it('reserves built-in names and keeps providers per environment', async () => {
        expectError(await call('/providers', { method: 'POST', key, body: { name: 'github', ...internalApi } }), 409, 'provider_already_exists');
        expectError(await call('/providers/github', { method: 'PUT', key, body: internalApi }), 409, 'provider_already_exists');
        expectError(await call('/providers/github', { method: 'DELETE', key }), 409, 'provider_read_only');

        await call('/providers', { method: 'POST', key, body: { name: 'only-here', ...internalApi } });
        expectError(await call('/providers', { method: 'POST', key, body: { name: 'only-here', ...internalApi } }), 409, 'provider_already_exists');
        const other = await newEnvironment();
        expectError(await call('/providers/only-here', { key: other.key }), 404, 'not_found');
        const attempt = await call('/integrations', { method: 'POST', key: other.key, body: { provider: 'only-here', unique_key: 'x' } });
        expectError(attempt, 400, 'invalid_body');
    });
});
