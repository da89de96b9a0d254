import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { callback, createSession, fake, startOAuth } from './auth-helpers.js';
import { call, newEnvironment } from './helpers.js';

const CONSUMER = { consumerKey: 'trello-key', consumerSecret: 'trello-secret' };
let key: string;
let scenario: string;

/** An OAuth 1.0a provider at the fake, shaped as the catalog's Trello entry. */
const oauth1Provider = (name: string, sc: string, signatureMethod?: string) => ({
    name,
    display_name: 'Fake Trello',
    categories: ['productivity'],
    docs: 'https://oauth1.fake.test/docs',
    auth_mode: 'OAUTH1',
    oauth: {
        request_token_url: `https://oauth1.fake.test/${sc}/request_token`,
        authorization_url: `https://oauth1.fake.test/${sc}/authorize`,
        token_url: `https://oauth1.fake.test/${sc}/access_token`,
        authorization_params: { expiration: 'never' },
        default_scopes: ['read', 'write'],
        scope_separator: ',',
        ...(signatureMethod && { signature_method: signatureMethod })
    },
    proxy: { base_url: `https://oauth1.fake.test/${sc}/api` }
});

beforeAll(async () => {
    scenario = crypto.randomUUID();
    key = (await newEnvironment()).key;
    await fake.oauth1(scenario, { ...CONSUMER, signatureMethod: 'HMAC-SHA1', accessTokens: { 'imported-token': 'imported-secret' } });
    for (const [name, method] of [['fake-trello', undefined], ['fake-trello-256', 'HMAC-SHA256']] as const) {
        expect((await call('/providers', { method: 'POST', key, body: oauth1Provider(name, scenario, method) })).status).toBe(201);
        const credentials = { type: 'OAUTH1', client_id: CONSUMER.consumerKey, client_secret: CONSUMER.consumerSecret };
        expect((await call('/integrations', { method: 'POST', key, body: { provider: name, unique_key: name, credentials } })).status).toBe(200);
    }
});

const connectionIds = async () => ((await call('/connections', { key })).json.connections as { connection_id: string }[]).map((c) => c.connection_id);
const proxy = (connectionId: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    call(`/proxy${path}`, { key, method: init.method ?? 'GET', ...(init.body !== undefined && { body: init.body }), headers: { 'connection-id': connectionId, 'provider-config-key': 'fake-trello', ...init.headers } });

describe('OAuth 1.0a (OAUTH1)', () => {
    it('gets a signed temporary token, sends the user to authorize it, and trades the verifier for access credentials', async () => {
        const before = await connectionIds();
        const flow = await startOAuth(await createSession(key), 'fake-trello', '&authorization_params[name]=Acme');
        expect(flow.status, flow.text).toBe(302);
        expect(`${flow.location.origin}${flow.location.pathname}`).toBe(`https://oauth1.fake.test/${scenario}/authorize`);
        const requestToken = flow.location.searchParams.get('oauth_token')!;
        expect(Object.fromEntries(flow.location.searchParams)).toEqual({ oauth_token: requestToken, scope: 'read,write', expiration: 'never', name: 'Acme' });
        expect(flow.cookie.split('=')[0]).toBe(`spoke_oauth_${requestToken.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`);

        const { verifier, callback: given } = await fake.oauth1Approve(scenario, requestToken);
        expect(given).toBe('http://spoke.test/oauth/callback');
        const page = await callback(`oauth_token=${requestToken}&oauth_verifier=${verifier}`, flow.cookie);
        expect(page.status, page.text).toBe(200);
        expect(page.text).toContain('nango_oauth_callback_success');

        const [created] = (await connectionIds()).filter((id) => !before.includes(id));
        const connection = (await call(`/connections/${created}?provider_config_key=fake-trello`, { key })).json;
        expect(connection.credentials).toMatchObject({
            type: 'OAUTH1',
            oauth_token: expect.stringMatching(/^access_/),
            oauth_token_secret: expect.stringMatching(/^asecret_/),
            raw: { username: 'ada' }
        });

        // Query and form-body parameters are part of the signature the fake checks.
        const get = await proxy(created!, '/1/members/me?fields=id,full%20name&x=a+b');
        expect(get.status, get.text).toBe(200);
        const post = await proxy(created!, '/1/cards?idList=1', { method: 'POST', body: 'name=A+card&desc=100%25%20done%21', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        expect(post.status, post.text).toBe(200);
        const json = await proxy(created!, '/1/cards', { method: 'PUT', body: JSON.stringify({ name: 'n' }) });
        expect(json.status, json.text).toBe(200);
        const requests = (await fake.oauth1Requests(scenario)).slice(-3);
        expect(requests.map((r) => [r.method, r.path, r.problem])).toEqual([
            ['GET', '/api/1/members/me', null],
            ['POST', '/api/1/cards', null],
            ['PUT', '/api/1/cards', null]
        ]);
        expect(requests[1]!.body).toBe('name=A+card&desc=100%25%20done%21');
    });

    it('needs the browser that started the flow and a verifier the provider issued; nothing is saved otherwise', async () => {
        const before = await connectionIds();
        const flow = await startOAuth(await createSession(key), 'fake-trello');
        const requestToken = flow.location.searchParams.get('oauth_token')!;
        const { verifier } = await fake.oauth1Approve(scenario, requestToken);
        const noCookie = await callback(`oauth_token=${requestToken}&oauth_verifier=${verifier}`, '');
        expect(noCookie.status).toBe(400);
        expect(noCookie.text).toContain('invalid_state');

        const second = await startOAuth(await createSession(key), 'fake-trello');
        const secondToken = second.location.searchParams.get('oauth_token')!;
        await fake.oauth1Approve(scenario, secondToken);
        const forged = await callback(`oauth_token=${secondToken}&oauth_verifier=guessed`, second.cookie);
        expect(forged.status).toBe(400);
        expect(forged.text).toContain('oauth_error');
        // Single use: the flow is gone after its first return.
        expect((await callback(`oauth_token=${secondToken}&oauth_verifier=guessed`, second.cookie)).text).toContain('invalid_state');
        expect(await connectionIds()).toEqual(before);
    });

    it('fails before the redirect when the provider refuses the signature method, storing no flow', async () => {
        const sessions = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM oauth_sessions').first<{ n: number }>())!.n;
        const before = await sessions();
        const flow = await startOAuth(await createSession(key), 'fake-trello-256');
        expect(flow.status).toBe(400);
        expect(flow.text).toContain('oauth_error');
        expect(flow.text).toContain('signature method must be HMAC-SHA1');
        expect(await sessions()).toBe(before);
    });

    it('imports OAUTH1 credentials, whose proxy calls are signed with them', async () => {
        const imported = await call('/connections', {
            method: 'POST',
            key,
            body: { provider_config_key: 'fake-trello', connection_id: 'imported-trello', credentials: { type: 'OAUTH1', oauth_token: 'imported-token', oauth_token_secret: 'imported-secret' } }
        });
        expect(imported.status, imported.text).toBe(201);
        expect((await proxy('imported-trello', '/1/boards')).status).toBe(200);
        expect((await fake.oauth1Requests(scenario)).at(-1)).toMatchObject({ path: '/api/1/boards', problem: null });

        await call('/connections', {
            method: 'POST',
            key,
            body: { provider_config_key: 'fake-trello', connection_id: 'wrong-secret', credentials: { type: 'OAUTH1', oauth_token: 'imported-token', oauth_token_secret: 'not-it' } }
        });
        expect((await proxy('wrong-secret', '/1/boards')).status).toBe(401);
        expect((await fake.oauth1Requests(scenario)).at(-1)!.problem).toBe('bad signature');
    });
});
