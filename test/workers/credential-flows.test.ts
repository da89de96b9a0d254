import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../workers/index.js';
import { createSession, fake, receivedWebhooks } from './auth-helpers.js';
import { BASE, call, expectError, newEnvironment } from './helpers.js';

let key: string;
let scenario: string;

const providers = (sc: string) => ({
    'fake-key': {
        display_name: 'Fake API key',
        categories: ['dev-tools'],
        docs: 'https://oauth.fake.test/docs',
        auth_mode: 'API_KEY',
        credentials: { apiKey: { title: 'API key', secret: true }, appKey: { title: 'Application key', secret: true, optional: true, pattern: 'app-[a-z]+' } },
        connection_config: { region: { title: 'Region', enum: ['eu', 'us'] }, account_id: { title: 'Account', automated: true, optional: true } },
        proxy: { base_url: `https://oauth.fake.test/${sc}`, headers: { 'x-api-key': '${credentials.apiKey}' }, verification: { method: 'GET', endpoints: ['/api/me'] } }
    },
    'fake-basic': {
        display_name: 'Fake Basic',
        categories: ['dev-tools'],
        docs: 'https://oauth.fake.test/docs',
        auth_mode: 'BASIC',
        proxy: { base_url: `https://oauth.fake.test/${sc}`, verification: { method: 'GET', endpoints: ['/api/me'] } }
    },
    'fake-cc': {
        display_name: 'Fake client credentials',
        categories: ['dev-tools'],
        docs: 'https://oauth.fake.test/docs',
        auth_mode: 'OAUTH2_CC',
        oauth: { token_url: `https://oauth.fake.test/${sc}/token` },
        proxy: { base_url: `https://oauth.fake.test/${sc}`, verification: { method: 'GET', endpoints: ['/api/me'] } }
    },
    'fake-unverified': {
        display_name: 'No verification',
        categories: ['dev-tools'],
        docs: 'https://oauth.fake.test/docs',
        auth_mode: 'API_KEY',
        credentials: { apiKey: { title: 'API key' } },
        proxy: { base_url: `https://oauth.fake.test/${sc}`, query: { api_key: '${credentials.apiKey}' } }
    }
});

beforeAll(async () => {
    scenario = crypto.randomUUID();
    const environment = await newEnvironment();
    key = environment.key;
    await fake.oauth(scenario, { clientId: 'cc-id', clientSecret: 'cc-secret', apiKey: 'good-key', basic: { username: 'ada', password: 'right' } });
    await fake.receiver(scenario, { signingKey: environment.signingKey });
    for (const [name, definition] of Object.entries(providers(scenario))) {
        expect((await call('/providers', { method: 'POST', key, body: { name, ...definition } })).status).toBe(201);
        expect((await call('/integrations', { method: 'POST', key, body: { provider: name, unique_key: name } })).status).toBe(200);
    }
    await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: `https://app.fake.test/${scenario}/hooks` } });
});

const post = (path: string, token: string, body: unknown, query = '') => call(`${path}?connect_session_token=${token}${query}`, { method: 'POST', body });
const connectionIds = async () => ((await call('/connections', { key })).json.connections as { connection_id: string; provider_config_key: string }[]).map((c) => c.provider_config_key);

describe('credential flows', () => {
    it('saves an API key the provider accepts, with the session’s end user and the given config', async () => {
        const token = await createSession(key, { end_user: { id: 'key-user' }, tags: { source: 'connect' } });
        const res = await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key' }, '&params[region]=eu');
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ connectionId: expect.stringMatching(/^[0-9a-f-]{36}$/), providerConfigKey: 'fake-key' });
        const connection = (await call(`/connections/${res.json.connectionId}?provider_config_key=fake-key`, { key })).json;
        expect(connection).toMatchObject({ credentials: { type: 'API_KEY', apiKey: 'good-key' }, connection_config: { region: 'eu' }, end_user: { id: 'key-user' }, tags: { source: 'connect', end_user_id: 'key-user' } });
        const hooks = await receivedWebhooks(scenario, 1);
        expect(hooks.some((h) => h.verified && h.payload['operation'] === 'creation' && h.payload['connectionId'] === res.json.connectionId && h.payload['authMode'] === 'API_KEY')).toBe(true);
    });

    it('refuses an API key the provider rejects, and saves nothing', async () => {
        const before = await connectionIds();
        const res = await post('/api-auth/api-key/fake-key', await createSession(key), { apiKey: 'bad-key' }, '&params[region]=eu');
        expectError(res, 400, 'connection_test_failed');
        expect(res.json.error.message).toContain('HTTP 401');
        expect(res.json.error.message).toContain('Invalid credentials');
        expect(res.text).not.toContain('bad-key');
        expect(await connectionIds()).toEqual(before);
        const logs = (await call('/logs?type=auth&status=failed', { key })).json.data;
        expect(logs[0]).toMatchObject({ action: 'api_key', error: { code: 'connection_test_failed' } });
        expect(JSON.stringify(logs)).not.toContain('bad-key');
    });

    it('keeps the extra credential fields the provider declares, and refuses others', async () => {
        const token = await createSession(key);
        const ok = await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key', appKey: 'app-main' }, '&params[region]=us');
        expect(ok.status, ok.text).toBe(200);
        expect((await call(`/connections/${ok.json.connectionId}?provider_config_key=fake-key`, { key })).json.credentials).toEqual({ type: 'API_KEY', apiKey: 'good-key', appKey: 'app-main' });
        const undeclared = await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key', password: 'x' }, '&params[region]=us');
        expectError(undeclared, 400, 'invalid_body');
        expect(undeclared.json.error.errors[0].path).toEqual(['password']);
        expectError(await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key', appKey: 'nope' }, '&params[region]=us'), 400, 'invalid_credentials');
    });

    it('validates connection config against the provider’s fields', async () => {
        const token = await createSession(key);
        const missing = await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key' });
        expectError(missing, 400, 'invalid_connection_config');
        expect(missing.json.error.errors[0].path).toEqual(['params', 'region']);
        expectError(await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key' }, '&params[region]=mars'), 400, 'invalid_connection_config');
    });

    it('refuses connection config the end user may not set: automated or undeclared fields', async () => {
        const token = await createSession(key);
        for (const param of ['account_id', 'installation_id', 'constructor']) {
            const res = await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key' }, `&params[region]=eu&params[${param}]=42`);
            expectError(res, 400, 'invalid_connection_config');
            expect(res.json.error.errors).toEqual([expect.objectContaining({ path: ['params', param] })]);
        }
        // The developer's backend may set an automated field through the session's defaults.
        const preset = await createSession(key, { end_user: { id: 'u' }, integrations_config_defaults: { 'fake-key': { connection_config: { account_id: 'acct-1' } } } });
        const ok = await post('/api-auth/api-key/fake-key', preset, { apiKey: 'good-key' }, '&params[region]=eu');
        expect(ok.status, ok.text).toBe(200);
        expect((await call(`/connections/${ok.json.connectionId}?provider_config_key=fake-key`, { key })).json.connection_config).toEqual({ region: 'eu', account_id: 'acct-1' });
    });

    it('checks basic credentials', async () => {
        const token = await createSession(key);
        expectError(await post('/api-auth/basic/fake-basic', token, { username: 'ada', password: 'wrong' }), 400, 'connection_test_failed');
        const ok = await post('/api-auth/basic/fake-basic', token, { username: 'ada', password: 'right' });
        expect(ok.status, ok.text).toBe(200);
        expect((await call(`/connections/${ok.json.connectionId}?provider_config_key=fake-basic`, { key })).json.credentials).toEqual({ type: 'BASIC', username: 'ada', password: 'right' });
    });

    it('runs the client-credentials grant, then verifies the token', async () => {
        const token = await createSession(key);
        const bad = await post('/oauth2/auth/fake-cc', token, { client_id: 'cc-id', client_secret: 'wrong' });
        expectError(bad, 400, 'connection_test_failed');
        expect(bad.json.error.message).toContain('invalid_client');
        const ok = await post('/oauth2/auth/fake-cc', token, { client_id: 'cc-id', client_secret: 'cc-secret' });
        expect(ok.status, ok.text).toBe(200);
        const credentials = (await call(`/connections/${ok.json.connectionId}?provider_config_key=fake-cc`, { key })).json.credentials;
        expect(credentials).toMatchObject({ type: 'OAUTH2_CC', token: expect.stringMatching(/^cc_/), client_id: 'cc-id', client_secret: 'cc-secret', expires_at: expect.any(String) });
    });

    it('saves without a call when the provider has no verification', async () => {
        const res = await post('/api-auth/api-key/fake-unverified', await createSession(key), { apiKey: 'anything' });
        expect(res.status).toBe(200);
    });

    it('rejects the wrong mode, a disallowed integration and a missing token', async () => {
        const token = await createSession(key, { end_user: { id: 'x' }, allowed_integrations: ['fake-basic'] });
        expectError(await post('/api-auth/api-key/fake-key', token, { apiKey: 'good-key' }), 400, 'integration_not_allowed');
        expectError(await post('/api-auth/api-key/fake-basic', token, { apiKey: 'good-key' }), 400, 'invalid_auth_mode');
        expectError(await call('/api-auth/basic/fake-basic', { method: 'POST', body: { username: 'a', password: 'b' } }), 401, 'missing_connect_session_token');
        expectError(await post('/api-auth/basic/fake-basic', token, { username: '' }), 400, 'invalid_body');
        expectError(await post('/api-auth/api-key/nope', await createSession(key), { apiKey: 'k' }), 404, 'unknown_provider_config');
    });
});

describe('the app’s auth webhook after a credential flow', () => {
    /**
     * Posts to the Worker with a D1 that fails every call once the response exists, as D1 can:
     * whatever the request leaves for after its answer is lost.
     */
    async function postThenLoseD1(path: string, body: unknown) {
        let answered = false;
        const DB = new Proxy(env.DB, {
            get(target, prop) {
                const value = Reflect.get(target, prop, target) as unknown;
                if (typeof value !== 'function') return value;
                return (...args: unknown[]) => {
                    if (answered) throw new Error('D1 is unavailable');
                    return (value as (...a: unknown[]) => unknown).apply(target, args);
                };
            }
        });
        const ctx = createExecutionContext();
        const res = await worker.fetch(new Request(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), { ...env, DB }, ctx);
        answered = true;
        const json = (await res.json()) as { connectionId: string };
        await waitOnExecutionContext(ctx);
        return { status: res.status, json };
    }
    const deliveries = (connectionId: string) =>
        env.DB.prepare("SELECT event FROM webhook_deliveries WHERE type = 'auth' AND connection_id = ? ORDER BY created_at").bind(connectionId).all<{ event: string }>();

    it('records the creation and the override before answering, so a D1 failure after the answer loses neither', async () => {
        const created = await postThenLoseD1(`/api-auth/api-key/fake-key?connect_session_token=${await createSession(key)}&params[region]=eu`, { apiKey: 'good-key' });
        expect(created.status).toBe(200);
        const { connectionId } = created.json;
        expect((await deliveries(connectionId)).results.map((d) => d.event)).toEqual(['creation']);

        const reconnect = await call('/connect/sessions/reconnect', { method: 'POST', key, body: { connection_id: connectionId, integration_id: 'fake-key' } });
        expect(reconnect.status, reconnect.text).toBe(201);
        const overridden = await postThenLoseD1(`/api-auth/api-key/fake-key?connect_session_token=${reconnect.json.data.token}&params[region]=eu`, { apiKey: 'good-key' });
        expect(overridden.status).toBe(200);
        expect((await deliveries(connectionId)).results.map((d) => d.event)).toEqual(['creation', 'override']);

        // Queued after the answer, they reach the app.
        await vi.waitFor(
            async () => {
                const hooks = (await receivedWebhooks(scenario, 1)).filter((h) => h.payload['connectionId'] === connectionId);
                expect(hooks.map((h) => h.payload['operation']).sort()).toEqual(['creation', 'override']);
            },
            { timeout: 15_000, interval: 200 }
        );
    });
});

