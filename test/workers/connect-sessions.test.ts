import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;
beforeAll(async () => {
    ({ key } = await newEnvironment());
    for (const [provider, unique_key] of [
        ['openai', 'openai'],
        ['github', 'github'],
        ['slack', 'slack']
    ]) {
        await call('/integrations', { method: 'POST', key, body: { provider, unique_key } });
    }
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('connect sessions', () => {
    it('creates a 30-minute session whose token is stored only as a hash', async () => {
        const before = Date.now();
        const res = await call('/connect/sessions', {
            method: 'POST',
            key,
            body: { end_user: { id: 'u-1', email: 'ada@example.com', display_name: 'Ada' }, organization: { id: 'org-1' }, allowed_integrations: ['openai', 'github'] }
        });
        const after = Date.now();
        expect(res.status, res.text).toBe(201);
        const { token, connect_link, expires_at } = res.json.data;
        expect(token).toMatch(/^spoke_connect_session_[0-9a-f]{64}$/);
        expect(connect_link).toBe(`http://spoke.test/connect/?session_token=${token}`);
        // Bounded by the request's own span, so a slow machine cannot push it out of range.
        expect(Date.parse(expires_at)).toBeGreaterThanOrEqual(before + 30 * 60_000);
        expect(Date.parse(expires_at)).toBeLessThanOrEqual(after + 30 * 60_000);
        const rows = JSON.stringify((await env.DB.prepare('SELECT * FROM connect_sessions').all()).results);
        expect(rows).not.toContain(token.slice(-64));
    });

    it('describes itself to the Connect UI and can be ended', async () => {
        const res = await call('/connect/sessions', {
            method: 'POST',
            key,
            body: {
                end_user: { id: 'u-2', tags: { plan: 'pro' } },
                allowed_integrations: ['github'],
                integrations_config_defaults: { github: { authorization_params: { prompt: 'consent' } } },
                overrides: { github: { docs_connect: 'https://docs.example.com/github' } }
            }
        });
        const token = res.json.data.token;
        const session = await call('/connect/session', bearer(token));
        expect(session.status, session.text).toBe(200);
        expect(session.json.data).toMatchObject({
            endUser: { id: 'u-2', email: null, tags: { plan: 'pro' } },
            connectUISettings: { defaultTheme: 'system', showWatermark: true, theme: { light: { primary: expect.stringMatching(/^#/) } } },
            allowed_integrations: ['github'],
            integrations_config_defaults: { github: { authorization_params: { prompt: 'consent' } } },
            overrides: { github: { docs_connect: 'https://docs.example.com/github' } },
            isReconnecting: false,
            websocketsPath: '/'
        });
        expect((await call('/connect/session', { method: 'DELETE', ...bearer(token) })).status).toBe(204);
        expectError(await call('/connect/session', bearer(token)), 401, 'unknown_connect_session_token');
    });

    it('expires', async () => {
        const token = (await call('/connect/sessions', { method: 'POST', key, body: { end_user: { id: 'u-3' } } })).json.data.token;
        await env.DB.prepare('UPDATE connect_sessions SET expires_at = ?').bind(Date.now() - 1).run();
        expectError(await call('/connect/session', bearer(token)), 401, 'unknown_connect_session_token');
    });

    it('rejects bad input', async () => {
        const unknown = await call('/connect/sessions', { method: 'POST', key, body: { end_user: { id: 'u' }, allowed_integrations: ['openai', 'nope'] } });
        expectError(unknown, 400, 'invalid_body');
        expect(unknown.json.error.errors[0].path).toEqual(['allowed_integrations', 1]);
        expectError(await call('/connect/sessions', { method: 'POST', key, body: {} }), 400, 'invalid_body');
        expectError(await call('/connect/sessions', { method: 'POST', key, body: { end_user: { id: 'u', email: 'not-an-email' } } }), 400, 'invalid_body');
        expectError(await call('/connect/sessions', { method: 'POST', key, body: { end_user: { id: 'u' }, webhook_url_override: 'ftp://x' } }), 400, 'invalid_body');
        expect((await call('/connect/sessions', { method: 'POST', key, body: { tags: { project: 'x' } } })).status).toBe(201);
        expectError(await call('/connect/session', { headers: { authorization: 'Bearer spoke_connect_session_123' } }), 401, 'invalid_connect_session_token_format');
        expectError(await call('/connect/session', { key }), 401, 'invalid_connect_session_token_format');
    });

    it('lets a session token read only what the Connect UI needs', async () => {
        const token = (await call('/connect/sessions', { method: 'POST', key, body: { end_user: { id: 'u-4' }, allowed_integrations: ['github'] } })).json.data.token;
        const integrations = await call('/integrations', bearer(token));
        expect(integrations.json.data.map((i: { unique_key: string }) => i.unique_key)).toEqual(['github']);
        expect((await call('/providers/github', bearer(token))).json.data.name).toBe('github');
        expectError(await call('/providers/slack', bearer(token)), 404, 'not_found');
        expectError(await call('/connections', bearer(token)), 403, 'forbidden');
        expectError(await call('/integrations/github', bearer(token)), 403, 'forbidden');
        expectError(await call('/connect/sessions', { method: 'POST', body: { end_user: { id: 'x' } }, ...bearer(token) }), 403, 'forbidden');
    });

    it('creates reconnect sessions pinned to an existing connection', async () => {
        await call('/connections', { method: 'POST', key, body: { provider_config_key: 'openai', connection_id: 'existing', credentials: { type: 'API_KEY', apiKey: 'k' } } });
        const res = await call('/connect/sessions/reconnect', { method: 'POST', key, body: { connection_id: 'existing', integration_id: 'openai', end_user: { id: 'u-5' } } });
        expect(res.status, res.text).toBe(201);
        const session = await call('/connect/session', bearer(res.json.data.token));
        expect(session.json.data).toMatchObject({ isReconnecting: true, allowed_integrations: ['openai'] });
        const unknown = await call('/connect/sessions/reconnect', { method: 'POST', key, body: { connection_id: 'ghost', integration_id: 'openai' } });
        expectError(unknown, 400, 'invalid_body');
    });

    it('applies the environment’s Connect UI theme', async () => {
        const patched = await call('/environment/connect-ui-settings', { method: 'PATCH', key, body: { theme: { light: { primary: '#ff0066' } }, defaultTheme: 'dark' } });
        expect(patched.json.data).toMatchObject({ theme: { light: { primary: '#ff0066' } }, defaultTheme: 'dark' });
        expectError(await call('/environment/connect-ui-settings', { method: 'PATCH', key, body: { theme: { light: { primary: 'red' } } } }), 400, 'invalid_body');
        const token = (await call('/connect/sessions', { method: 'POST', key, body: { end_user: { id: 'u-6' } } })).json.data.token;
        expect((await call('/connect/session', bearer(token))).json.data.connectUISettings).toMatchObject({ defaultTheme: 'dark', theme: { light: { primary: '#ff0066' } } });
    });
});
