import { beforeAll, describe, expect, it } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake } from '../auth-helpers.js';
import { call, expectError } from '../helpers.js';
import { deploy, trigger } from './function-helpers.js';

/** Calls its provider, at the base URL the input names. */
const CALL_ACTION = `
export default {
    type: 'action',
    exec: async (nango, input) => {
        const { data } = await nango.get({ baseUrlOverride: input.base, endpoint: input.endpoint });
        return { path: data.path, query: data.query, sawKey: typeof data.headers?.['x-api-key'] === 'string' };
    }
};`;

/** Follows the provider's Link headers, which may be absolute URLs. */
const LINK_PAGES_ACTION = `
export default {
    type: 'action',
    exec: async (nango) => {
        const pages = [];
        for await (const page of nango.paginate({ endpoint: '/items', paginate: { type: 'link', link_rel_in_response_header: 'next', response_path: 'items' } })) pages.push(page);
        return pages;
    }
};`;

/** Calls its provider with headers of its own, one of them carrying the key, forwarded on redirects. */
const REDIRECTED_ACTION = `
export default {
    type: 'action',
    exec: async (nango) => {
        const { apiKey } = (await nango.getConnection()).credentials;
        const { data } = await nango.get({ endpoint: '/go', headers: { 'x-custom': 'hi', 'x-copy': 'key ' + apiKey }, forwardHeadersOnRedirect: true });
        return data.headers;
    }
};`;

let key: string;
let scenario: string;

/**
 * Two integrations of one environment: `api` on https://api.fake.test (which records what it gets)
 * and `far`, an API-key provider on another host. A call of `far` overridden to api.fake.test
 * is one that would hand `far`'s key to a host that isn't its provider's.
 */
beforeAll(async () => {
    ({ key, scenario } = await apiEnvironment());
    const far = await call('/providers', {
        method: 'POST',
        key,
        body: {
            name: 'far-api',
            display_name: 'Far API',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'Key' } },
            proxy: { base_url: `https://oauth.fake.test/${scenario}/api`, headers: { 'x-api-key': '${credentials.apiKey}' } }
        }
    });
    expect(far.status, far.text).toBe(201);
    await call('/integrations', { method: 'POST', key, body: { provider: 'far-api', unique_key: 'far' } });
    const imported = await call('/connections', { method: 'POST', key, body: { provider_config_key: 'far', connection_id: 'c2', credentials: { type: 'API_KEY', apiKey: 'far-secret-key' } } });
    expect(imported.status, imported.text).toBe(201);
    const deployed = await deploy(key, [
        { integration: 'api', name: 'call', type: 'action', code: CALL_ACTION },
        { integration: 'far', name: 'call-far', type: 'action', code: CALL_ACTION },
        { integration: 'api', name: 'link-pages', type: 'action', code: LINK_PAGES_ACTION },
        { integration: 'api', name: 'redirected', type: 'action', code: REDIRECTED_ACTION }
    ]);
    expect(deployed.status, deployed.text).toBe(201);
});

const sentFarKey = async () => (await fake.apiRequests(scenario)).some((r) => JSON.stringify(r).includes('far-secret-key'));

describe('base URL overrides and credentials', () => {
    it("refuses a function's override that would send the connection's credentials to another host", async () => {
        const res = await trigger(key, 'call-far', { base: `https://api.fake.test/${scenario}`, endpoint: '/steal' }, { 'provider-config-key': 'far' }, 'c2');
        expectError(res, 500, 'action_script_failure');
        expect(res.json.error.message).toContain('credentials_egress_denied');
        expect(await sentFarKey()).toBe(false);
    });

    it('refuses the same through the HTTP proxy', async () => {
        const res = await call('/proxy/steal', { key, headers: { 'connection-id': 'c2', 'provider-config-key': 'far', 'base-url-override': `https://api.fake.test/${scenario}` } });
        expectError(res, 400, 'credentials_egress_denied');
        expect(await sentFarKey()).toBe(false);
    });

    it("lets an override to the provider's own host through, even where the environment disallows overrides", async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        expect((await deploy(k, [{ integration: 'api', name: 'call', type: 'action', code: CALL_ACTION }])).status).toBe(201);
        await call('/environment/egress-settings', { method: 'PATCH', key: k, body: { allow_base_url_override: false } });
        const res = await trigger(k, 'call', { base: `https://api.fake.test/${sc}`, endpoint: '/own' });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ path: '/own', query: { tenant: 'acme' }, sawKey: true });
        const proxied = await call('/proxy/own', { key: k, headers: { 'connection-id': 'c1', 'provider-config-key': 'api', 'base-url-override': `https://api.fake.test/${sc}` } });
        expect(proxied.status, proxied.text).toBe(200);
        expect(proxied.json.headers['x-api-key']).toBe('secret-api-key');
        // Elsewhere stays refused.
        expectError(await call('/proxy/x', { key: k, headers: { 'connection-id': 'c1', 'provider-config-key': 'api', 'base-url-override': 'https://oauth.fake.test/x' } }), 400, 'base_url_override_not_allowed');
    });

    it("follows absolute Link URLs on the provider's host where the environment disallows overrides", async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        expect((await deploy(k, [{ integration: 'api', name: 'link-pages', type: 'action', code: LINK_PAGES_ACTION }])).status).toBe(201);
        await call('/environment/egress-settings', { method: 'PATCH', key: k, body: { allow_base_url_override: false } });
        await fake.api(sc, { script: [{ status: 200, headers: { link: `<https://api.fake.test/${sc}/items?page=2>; rel="next"` }, body: { items: [{ id: 1 }] } }] });
        const res = await trigger(k, 'link-pages');
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual([[{ id: 1 }], []]);
        const requests = await fake.apiRequests(sc);
        expect(requests.map((r) => [r.path, r.query['page'], r.headers['x-api-key']])).toEqual([
            ['/items', undefined, 'secret-api-key'],
            ['/items', '2', 'secret-api-key']
        ]);
    });

    it("refuses a Link URL that leads the connection's credentials elsewhere", async () => {
        await fake.api(scenario, { script: [{ status: 200, headers: { link: '<https://oauth.fake.test/elsewhere/items?page=2>; rel="next"' }, body: { items: [{ id: 1 }] } }] });
        const res = await trigger(key, 'link-pages');
        expectError(res, 500, 'action_script_failure');
        expect(res.json.error.message).toContain('credentials_egress_denied');
        await fake.api(scenario, {});
    });

    it('forwards the function\'s headers on a redirect elsewhere when asked, never the credentials', async () => {
        await fake.api(scenario, { script: [{ status: 302, headers: { location: `https://mirror.fake.test/${scenario}/landing` } }] });
        const res = await trigger(key, 'redirected');
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ host: 'mirror.fake.test', 'x-custom': 'hi' });
        expect(res.json).not.toHaveProperty('x-api-key');
        expect(res.json).not.toHaveProperty('x-copy');
        const landed = (await fake.apiRequests(scenario)).filter((r) => r.host === 'mirror.fake.test');
        expect(landed).toHaveLength(1);
        expect(JSON.stringify(landed)).not.toContain('secret-api-key');
        await fake.api(scenario, {});
    });

    it("sends the credentials to the other API hosts the provider lists in api_hosts", async () => {
        const listed = await call('/providers/far-api', {
            method: 'PUT',
            key,
            body: {
                display_name: 'Far API',
                categories: ['dev-tools'],
                docs: 'https://docs.example.com',
                auth_mode: 'API_KEY',
                credentials: { apiKey: { title: 'Key' } },
                proxy: { base_url: `https://oauth.fake.test/${scenario}/api`, api_hosts: ['*.fake.test'], headers: { 'x-api-key': '${credentials.apiKey}' } }
            }
        });
        expect(listed.status, listed.text).toBe(200);
        const res = await trigger(key, 'call-far', { base: `https://api.fake.test/${scenario}`, endpoint: '/listed' }, { 'provider-config-key': 'far' }, 'c2');
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ path: '/listed', sawKey: true });
    });
});
