import { env, exports } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { authorize, callback, CLIENT, createSession, fake, oauthEnvironment, receivedWebhooks, startOAuth } from './auth-helpers.js';
import { BASE, call } from './helpers.js';

const connectionsOf = async (key: string) => (await call('/connections', { key })).json.connections as { connection_id: string }[];

describe('OAuth 2 authorization code flow', () => {
    it('redirects to the provider with PKCE, a random state and a cookie bound to it', async () => {
        const { key, scenario } = await oauthEnvironment({ connectionConfig: { region: { title: 'Region' } } });
        const token = await createSession(key);
        const flow = await startOAuth(token, 'fake', '&params[region]=eu&authorization_params[prompt]=consent&user_scope=chat:write');
        expect(flow.status, flow.text).toBe(302);
        const p = flow.location.searchParams;
        expect(`${flow.location.origin}${flow.location.pathname}`).toBe(`https://oauth.fake.test/${scenario}/authorize`);
        expect(Object.fromEntries(p)).toMatchObject({
            response_type: 'code',
            client_id: CLIENT.clientId,
            redirect_uri: 'http://spoke.test/oauth/callback',
            scope: 'read write',
            code_challenge_method: 'S256',
            prompt: 'consent',
            user_scope: 'chat:write'
        });
        expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(flow.state).toMatch(/^[0-9a-f]{64}$/);
        expect(flow.cookie).toMatch(/^spoke_oauth_[0-9a-f]{16}=[0-9a-f]{64}$/);
        const stored = JSON.stringify((await env.DB.prepare('SELECT * FROM oauth_sessions').all()).results);
        expect(stored).not.toContain(flow.state);
    });

    it('lets the session’s integration defaults win over the query', async () => {
        const { key, scenario } = await oauthEnvironment({ connectionConfig: { region: { title: 'Region' } } });
        const token = await createSession(key, {
            end_user: { id: 'user-1' },
            integrations_config_defaults: {
                fake: {
                    user_scopes: 'admin:read',
                    authorization_params: { prompt: 'select_account', access_type: 'offline' },
                    connection_config: { oauth_scopes_override: 'files.read, files.write', region: 'us' }
                }
            }
        });
        const { flow, page } = await authorize(scenario, token, '&user_scope=chat:write&authorization_params[prompt]=consent&authorization_params[login_hint]=ada&params[region]=eu');
        expect(Object.fromEntries(flow.location.searchParams)).toMatchObject({
            user_scope: 'admin:read',
            prompt: 'select_account',
            access_type: 'offline',
            // The query still adds what the defaults leave out.
            login_hint: 'ada',
            // The override replaces the integration's scopes; the provider's own stay.
            scope: 'read files.read files.write'
        });
        expect(page.status, page.text).toBe(200);
        const [listed] = await connectionsOf(key);
        const connection = (await call(`/connections/${listed!.connection_id}?provider_config_key=fake`, { key })).json;
        expect(connection.connection_config).toEqual({ region: 'us' });
    });

    it('authorizes with a per-connection OAuth app given as credentials[oauth_client_*_override], and refreshes with it', async () => {
        const app = { clientId: 'per-connection-client', clientSecret: 'per-connection-secret' };
        const { key, scenario } = await oauthEnvironment({ oauth: app });
        const { flow, page } = await authorize(
            scenario,
            await createSession(key),
            `&credentials[oauth_client_id_override]=${app.clientId}&credentials[oauth_client_secret_override]=${app.clientSecret}`
        );
        expect(flow.location.searchParams.get('client_id')).toBe(app.clientId);
        // The fake token endpoint accepts only this app's id and secret.
        expect(page.status, page.text).toBe(200);
        const [listed] = await connectionsOf(key);
        const refreshed = await call(`/connections/${listed!.connection_id}?provider_config_key=fake&force_refresh=true`, { key });
        expect(refreshed.status, refreshed.text).toBe(200);
        expect((await fake.state(scenario)).counts.refresh).toBe(1);
    });

    it('keeps the protocol’s parameters whatever authorization_params say', async () => {
        const { key } = await oauthEnvironment();
        const flow = await startOAuth(
            await createSession(key),
            'fake',
            '&authorization_params[state]=mine&authorization_params[redirect_uri]=https://evil.test/cb&authorization_params[client_id]=other' +
                '&authorization_params[code_challenge]=known&authorization_params[response_type]=token&authorization_params[scope]=admin&authorization_params[prompt]=consent'
        );
        expect(flow.status, flow.text).toBe(302);
        const p = Object.fromEntries(flow.location.searchParams);
        expect(p).toMatchObject({ response_type: 'code', client_id: CLIENT.clientId, redirect_uri: 'http://spoke.test/oauth/callback', scope: 'read write', prompt: 'consent' });
        expect(p['state']).toMatch(/^[0-9a-f]{64}$/);
        expect(p['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('exchanges the code (PKCE checked by the provider) and creates the connection for the session’s end user', async () => {
        const { key, scenario } = await oauthEnvironment({ oauth: { extra: { instance_url: 'https://eu1.fake.test', team: { id: 'T1' } } }, provider: { token_response_metadata: ['instance_url', 'team.id'] } });
        const token = await createSession(key, { end_user: { id: 'user-9', email: 'grace@example.com', display_name: 'Grace' }, tags: { plan: 'pro' } });
        const { page } = await authorize(scenario, token);
        expect(page.status, page.text).toBe(200);
        expect(page.headers.get('content-security-policy')).toContain("script-src 'nonce-");
        expect(page.text).toContain('nango_oauth_callback_success');
        expect((await fake.state(scenario)).counts.authorizationCode).toBe(1);

        const [listed] = await connectionsOf(key);
        const connection = (await call(`/connections/${listed!.connection_id}?provider_config_key=fake`, { key })).json;
        expect(connection).toMatchObject({
            provider: 'fake-oauth',
            end_user: { id: 'user-9', email: 'grace@example.com', display_name: 'Grace' },
            tags: { plan: 'pro', end_user_id: 'user-9', end_user_email: 'grace@example.com' },
            connection_config: { instance_url: 'https://eu1.fake.test', 'team.id': 'T1' },
            credentials: { type: 'OAUTH2', access_token: expect.stringMatching(/^access_/), expires_at: expect.any(String) }
        });
        expect(connection.credentials).not.toHaveProperty('refresh_token');
        expect(page.text).toContain(listed!.connection_id);

        const [webhook] = await receivedWebhooks(scenario, 1);
        expect(webhook!.verified).toBe(true);
        expect(webhook!.payload).toMatchObject({ type: 'auth', operation: 'creation', success: true, connectionId: listed!.connection_id, providerConfigKey: 'fake', provider: 'fake-oauth', authMode: 'OAUTH2' });
    });

    it('does without PKCE for providers that opt out, and with Basic client authentication', async () => {
        const { key, scenario } = await oauthEnvironment({ oauth: { clientAuth: 'basic' }, provider: { pkce: false, token_request_auth_method: 'basic', body_format: 'json' } });
        const token = await createSession(key);
        const { flow, page } = await authorize(scenario, token);
        expect(flow.location.searchParams.has('code_challenge')).toBe(false);
        expect(page.status, page.text).toBe(200);
    });

    it('rejects a reused state', async () => {
        const { key, scenario } = await oauthEnvironment();
        const token = await createSession(key);
        const { flow, page } = await authorize(scenario, token);
        expect(page.status).toBe(200);
        const code = await fake.approve(scenario, { challenge: flow.location.searchParams.get('code_challenge'), redirectUri: 'http://spoke.test/oauth/callback' });
        const again = await callback(`state=${flow.state}&code=${code}`, flow.cookie);
        expect(again.status).toBe(400);
        expect(again.text).toContain('invalid_state');
        expect(await connectionsOf(key)).toHaveLength(1);
    });

    it('rejects a state from another browser or another flow', async () => {
        const { key, scenario } = await oauthEnvironment();
        const token = await createSession(key);
        const mine = await startOAuth(token);
        const theirs = await startOAuth(token);
        const code = await fake.approve(scenario, { challenge: mine.location.searchParams.get('code_challenge'), redirectUri: 'http://spoke.test/oauth/callback' });
        const noCookie = await callback(`state=${mine.state}&code=${code}`, '');
        expect(noCookie.status).toBe(400);
        expect(noCookie.text).toContain('started in another browser');
        const otherCookie = await callback(`state=${mine.state}&code=${code}`, theirs.cookie.replace(/^spoke_oauth_[0-9a-f]{16}/, `spoke_oauth_${mine.state.slice(0, 16)}`));
        expect(otherCookie.status).toBe(400);
        const made = await callback(`state=${'0'.repeat(64)}&code=${code}`, mine.cookie);
        expect(made.status).toBe(400);
        expect(made.text).toContain('unknown or was already used');
        expect(await connectionsOf(key)).toHaveLength(0);
        // The genuine flow still completes.
        expect((await callback(`state=${mine.state}&code=${code}`, mine.cookie)).status).toBe(200);
    });

    it('shows the provider’s error, reports it, and saves nothing', async () => {
        const { key, scenario } = await oauthEnvironment();
        const token = await createSession(key);
        const flow = await startOAuth(token);
        const page = await callback(`state=${flow.state}&error=access_denied&error_description=${encodeURIComponent('The user <b>declined</b>')}`, flow.cookie);
        expect(page.status).toBe(400);
        expect(page.text).toContain('The user &#60;b&#62;declined&#60;/b&#62; (access_denied)');
        expect(page.text).toContain('nango_oauth_callback_error');
        expect(page.text).not.toContain('<b>declined');
        expect(await connectionsOf(key)).toHaveLength(0);
        const [webhook] = await receivedWebhooks(scenario, 1);
        expect(webhook!.payload).toMatchObject({ type: 'auth', operation: 'creation', success: false, error: { type: 'oauth_error' } });
        const logs = (await call('/logs?type=auth&status=failed', { key })).json.data;
        expect(logs[0]).toMatchObject({ action: 'oauth', error: { code: 'oauth_error' } });
    });

    it('fails a code the provider refuses (PKCE mismatch) without saving', async () => {
        const { key, scenario } = await oauthEnvironment();
        const token = await createSession(key);
        const flow = await startOAuth(token);
        const code = await fake.approve(scenario, { challenge: 'not-the-challenge', redirectUri: flow.location.searchParams.get('redirect_uri')! });
        const page = await callback(`state=${flow.state}&code=${code}`, flow.cookie);
        expect(page.status).toBe(400);
        expect(page.text).toContain('PKCE verification failed');
        expect(await connectionsOf(key)).toHaveLength(0);
    });

    it('keeps the code of its own errors at the token step, instead of calling them the provider’s', async () => {
        const { key, scenario } = await oauthEnvironment({
            provider: { token_url: 'https://oauth.fake.test/${connectionConfig.tenant}/token' },
            connectionConfig: { tenant: { title: 'Tenant', automated: true, optional: true } }
        });
        const { page } = await authorize(scenario, await createSession(key));
        expect(page.status).toBe(400);
        expect(page.text).toContain('missing_connection_config');
        expect(page.text).not.toContain('oauth_error');
    });

    it('refuses integrations the session may not use, unknown tokens, and integrations without an OAuth app', async () => {
        const { key } = await oauthEnvironment();
        await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'github-no-app' } });
        const limited = await createSession(key, { end_user: { id: 'u' }, allowed_integrations: ['github-no-app'] });
        const notAllowed = await startOAuth(limited);
        expect(notAllowed.status).toBe(400);
        expect(notAllowed.text).toContain('integration_not_allowed');
        const noApp = await startOAuth(limited, 'github-no-app');
        expect(noApp.text).toContain('missing_oauth_client');
        expect((await startOAuth('spoke_connect_session_' + 'a'.repeat(64))).status).toBe(401);
        const chosenId = await startOAuth(await createSession(key), 'fake', '&connection_id=mine');
        expect(chosenId.text).toContain('invalid_query_params');
    });

    it('re-authorizes the pinned connection on a reconnect session', async () => {
        const { key, scenario } = await oauthEnvironment();
        await authorize(scenario, await createSession(key));
        const [first] = await connectionsOf(key);
        const before = (await call(`/connections/${first!.connection_id}?provider_config_key=fake`, { key })).json.credentials.access_token;
        const reconnect = await call('/connect/sessions/reconnect', { method: 'POST', key, body: { connection_id: first!.connection_id, integration_id: 'fake' } });
        const { page } = await authorize(scenario, reconnect.json.data.token);
        expect(page.status, page.text).toBe(200);
        const connections = await connectionsOf(key);
        expect(connections.map((c) => c.connection_id)).toEqual([first!.connection_id]);
        expect((await call(`/connections/${first!.connection_id}?provider_config_key=fake`, { key })).json.credentials.access_token).not.toBe(before);
        const hooks = await receivedWebhooks(scenario, 2);
        expect(hooks.map((h) => h.payload['operation'])).toEqual(['creation', 'override']);
    });

    it('keeps the secret connection config on a reconnect', async () => {
        const { key, scenario } = await oauthEnvironment({ connectionConfig: { tenant: { title: 'Tenant', secret: true } } });
        await authorize(scenario, await createSession(key), '&params[tenant]=t-1');
        const [first] = await connectionsOf(key);
        const get = async () => (await call(`/connections/${first!.connection_id}?provider_config_key=fake`, { key })).json;
        expect((await get()).connection_config).toEqual({ tenant: 't-1' });
        const reconnect = await call('/connect/sessions/reconnect', { method: 'POST', key, body: { connection_id: first!.connection_id, integration_id: 'fake' } });
        const { page } = await authorize(scenario, reconnect.json.data.token);
        expect(page.status, page.text).toBe(200);
        expect((await get()).connection_config).toEqual({ tenant: 't-1' });
    });

    it('sends the result over the WebSocket of @nangohq/frontend', async () => {
        const { key, scenario } = await oauthEnvironment();
        // Where the session says the socket is.
        const { websocketsPath } = (await call('/connect/session', { key: await createSession(key) })).json.data;
        const res = await exports.default.fetch(new Request(`${BASE}${websocketsPath}`, { headers: { upgrade: 'websocket' } }));
        expect(res.status).toBe(101);
        const socket = res.webSocket!;
        const messages: Record<string, string>[] = [];
        socket.addEventListener('message', (e) => messages.push(JSON.parse(e.data as string)));
        socket.accept();
        await vi.waitFor(() => expect(messages[0]?.message_type).toBe('connection_ack'));
        const wsClientId = messages[0]!.ws_client_id!;
        expect(wsClientId).toMatch(/^[0-9a-f]{32}$/);

        await authorize(scenario, await createSession(key), `&ws_client_id=${wsClientId}`);
        await vi.waitFor(() => expect(messages[1]).toMatchObject({ message_type: 'success', provider_config_key: 'fake', is_pending: false }));
        expect(messages[1]!.connection_id).toBe((await connectionsOf(key))[0]!.connection_id);

        // Errors reach the socket too.
        const failing = await startOAuth(await createSession(key), 'fake', `&ws_client_id=${wsClientId}`);
        await callback(`state=${failing.state}&error=access_denied`, failing.cookie);
        await vi.waitFor(() => expect(messages[2]).toMatchObject({ message_type: 'error', error_type: 'oauth_error' }));
        socket.close();
    });
});
