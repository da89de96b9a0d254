import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, fake, receivedWebhooks, startOAuth } from './auth-helpers.js';
import { BASE, call, expectError, newEnvironment } from './helpers.js';

const APP_ID = '424242';
let key: string;
let scenario: string;
let keys: { privateKey: string; privateKeyPkcs8: string };

/** A GitHub App provider pointing at the fake GitHub, as github-app points at github.com. */
const appProvider = (sc: string) => ({
    name: 'fake-github-app',
    display_name: 'Fake GitHub App',
    categories: ['dev-tools'],
    docs: 'https://github.fake.test/docs',
    auth_mode: 'APP',
    connection_config: {
        appPublicLink: { title: 'App public link', automated: true, optional: true },
        installation_id: { title: 'Installation ID', automated: true, optional: true },
        app_id: { title: 'App ID', automated: true, optional: true }
    },
    oauth: {
        authorization_url: '${connectionConfig.appPublicLink}/installations/new',
        token_url: `https://github.fake.test/${sc}/app/installations/\${connectionConfig.installation_id}/access_tokens`
    },
    proxy: { base_url: `https://github.fake.test/${sc}/api` }
});

const appCredentials = (privateKey: string) => ({ type: 'APP', app_id: APP_ID, app_link: `https://github.fake.test/${scenario}/apps/spoke-test`, private_key: privateKey });

beforeAll(async () => {
    scenario = crypto.randomUUID();
    const environment = await newEnvironment();
    key = environment.key;
    keys = await fake.github(scenario, { appId: APP_ID, installations: ['777', '888'] });
    await fake.receiver(scenario, { signingKey: environment.signingKey });
    expect((await call('/providers', { method: 'POST', key, body: appProvider(scenario) })).status).toBe(201);
    const integration = await call('/integrations', { method: 'POST', key, body: { provider: 'fake-github-app', unique_key: 'gh-app', credentials: appCredentials(keys.privateKey) } });
    expect(integration.status, integration.text).toBe(200);
    await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: `https://app.fake.test/${scenario}/hooks` } });
});

const setupReturn = (query: string, cookie: string, path = '/app-auth/connect') =>
    exports.default.fetch(new Request(`${BASE}${path}?${query}`, { headers: cookie ? { cookie } : {} })).then(async (res) => ({ status: res.status, text: await res.text() }));
const connectionIds = async () => ((await call('/connections', { key })).json.connections as { connection_id: string }[]).map((c) => c.connection_id);

/** Starts an install and returns the state and cookie GitHub's redirect comes back with. */
async function install() {
    const flow = await startOAuth(await createSession(key), 'gh-app');
    expect(flow.status, flow.text).toBe(302);
    return flow;
}

describe('GitHub App installs (APP)', () => {
    it('sends the user to the app’s install page with a state bound to the browser, and saves the installation with a minted token', async () => {
        const before = await connectionIds();
        const flow = await install();
        expect(`${flow.location.origin}${flow.location.pathname}`).toBe(`https://github.fake.test/${scenario}/apps/spoke-test/installations/new`);
        expect(flow.state).toMatch(/^[0-9a-f]{64}$/);

        const page = await setupReturn(`installation_id=777&setup_action=install&state=${flow.state}`, flow.cookie);
        expect(page.status, page.text).toBe(200);
        expect(page.text).toContain('nango_oauth_callback_success');

        const [created] = (await connectionIds()).filter((id) => !before.includes(id));
        const connection = (await call(`/connections/${created}?provider_config_key=gh-app`, { key })).json;
        expect(connection).toMatchObject({
            provider: 'fake-github-app',
            connection_config: { installation_id: '777', app_id: APP_ID },
            credentials: { type: 'APP', access_token: expect.stringMatching(/^ghs_/), expires_at: expect.any(String), raw: { repository_selection: 'all' } }
        });
        expect(Date.parse(connection.credentials.expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);

        const { lastJwtClaims } = await fake.githubState(scenario);
        expect(lastJwtClaims).toMatchObject({ iss: APP_ID });
        expect(Number(lastJwtClaims!['exp']) - Number(lastJwtClaims!['iat'])).toBeLessThanOrEqual(660);

        const proxied = await call('/proxy/repos/octo/hello?per_page=1', { key, headers: { 'connection-id': created!, 'provider-config-key': 'gh-app' } });
        expect(proxied.status, proxied.text).toBe(200);
        const [request] = (await fake.githubState(scenario)).requests.slice(-1);
        expect(request).toMatchObject({ path: '/api/repos/octo/hello', problem: null, headers: { authorization: `Bearer ${connection.credentials.access_token}` } });

        const hooks = await receivedWebhooks(scenario, 1);
        expect(hooks.some((h) => h.payload['connectionId'] === created && h.payload['authMode'] === 'APP' && h.payload['success'] === true)).toBe(true);
    });

    it('re-mints the installation token near its expiry, once for concurrent readers', async () => {
        // Ten-minute tokens are inside the 15-minute refresh margin from the start.
        await fake.githubUpdate(scenario, { tokenTtlSeconds: 600, tokenDelayMs: 200 });
        try {
            const flow = await install();
            const before = await connectionIds();
            expect((await setupReturn(`installation_id=888&setup_action=install&state=${flow.state}`, flow.cookie)).status).toBe(200);
            const id = (await connectionIds()).find((c) => !before.includes(c))!;
            const mintsBefore = (await fake.githubState(scenario)).mints;
            // The refresh sweep's index covers APP connections: they have a due time.
            const dueAt = async () => (await env.DB.prepare('SELECT refresh_due_at AS at FROM connections WHERE connection_id = ?').bind(id).first<{ at: number | null }>())!.at;
            const original = await dueAt();
            expect(original).not.toBeNull();
            // GitHub's expiry has whole seconds: the re-minted token must expire in a later one.
            await new Promise((resolve) => setTimeout(resolve, 1100));

            const reads = await Promise.all(Array.from({ length: 5 }, () => call(`/connections/${id}?provider_config_key=gh-app`, { key })));
            const tokens = new Set(reads.map((r) => r.json.credentials.access_token));
            expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
            expect(tokens.size).toBe(1);
            expect((await fake.githubState(scenario)).mints).toBe(mintsBefore + 1);
            expect(await dueAt()).toBeGreaterThan(original!);
        } finally {
            await fake.githubUpdate(scenario, { tokenTtlSeconds: 3600, tokenDelayMs: 0 });
        }
    });

    it('accepts a PKCS#8 key and the setup URL pointing at /oauth/callback', async () => {
        expect((await call('/integrations/gh-app', { method: 'PATCH', key, body: { credentials: appCredentials(keys.privateKeyPkcs8) } })).status).toBe(200);
        try {
            const flow = await install();
            const page = await setupReturn(`installation_id=777&setup_action=install&state=${flow.state}`, flow.cookie, '/oauth/callback');
            expect(page.status, page.text).toBe(200);
        } finally {
            await call('/integrations/gh-app', { method: 'PATCH', key, body: { credentials: appCredentials(keys.privateKey) } });
        }
    });

    it('saves nothing when GitHub comes back without an installation, with an unknown state, or for an installation it does not know', async () => {
        const before = await connectionIds();
        const requested = await install();
        const noInstallation = await setupReturn(`setup_action=request&state=${requested.state}`, requested.cookie);
        expect(noInstallation.status).toBe(400);
        expect(noInstallation.text).toContain('oauth_error');
        expect(noInstallation.text).toContain('approve the installation request');

        const unknown = await setupReturn(`installation_id=777&setup_action=install&state=${'0'.repeat(64)}`, requested.cookie);
        expect(unknown.status).toBe(400);
        expect(unknown.text).toContain('invalid_state');

        const gone = await install();
        const refused = await setupReturn(`installation_id=999&setup_action=install&state=${gone.state}`, gone.cookie);
        expect(refused.status).toBe(400);
        expect(refused.text).toContain('oauth_error');

        const stolen = await install();
        expect((await setupReturn(`installation_id=777&setup_action=install&state=${stolen.state}`, '')).text).toContain('invalid_state');
        expect(await connectionIds()).toEqual(before);
    });

    it('refuses an integration whose private key is not a PEM key, and keeps the key out of responses unless asked', async () => {
        const bad = await call('/integrations', { method: 'POST', key, body: { provider: 'fake-github-app', unique_key: 'gh-bad', credentials: { ...appCredentials('not a key') } } });
        expectError(bad, 400, 'invalid_body');
        const plain = await call('/integrations/gh-app', { key });
        expect(plain.text).not.toContain('PRIVATE KEY');
        const withCredentials = await call('/integrations/gh-app?include=credentials', { key });
        expect(withCredentials.json.data.credentials).toMatchObject({ type: 'APP', app_id: APP_ID, private_key: keys.privateKey });
    });

    it('imports an APP connection through POST /connections', async () => {
        const res = await call('/connections', {
            method: 'POST',
            key,
            body: { provider_config_key: 'gh-app', connection_id: 'imported-app', credentials: { type: 'APP', access_token: 'ghs_imported', expires_at: new Date(Date.now() + 3600_000).toISOString() }, connection_config: { installation_id: '777' } }
        });
        expect(res.status, res.text).toBe(201);
        expect((await call('/connections/imported-app?provider_config_key=gh-app', { key })).json.credentials).toMatchObject({ type: 'APP', access_token: 'ghs_imported' });
    });
});
