import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;

const customProviders = {
    'acme-cc': {
        display_name: 'Acme (client credentials)',
        categories: ['dev-tools'],
        docs: 'https://docs.acme.example/api',
        auth_mode: 'OAUTH2_CC',
        oauth: { token_url: 'https://auth.acme.example/oauth/token' },
        proxy: { base_url: 'https://api.acme.example' }
    },
    'acme-basic': {
        display_name: 'Acme Basic',
        categories: ['dev-tools'],
        docs: 'https://docs.acme.example/api',
        auth_mode: 'BASIC',
        connection_config: {
            subdomain: { title: 'Subdomain' },
            signing_secret: { title: 'Signing secret', secret: true, optional: true }
        },
        proxy: { base_url: 'https://${connectionConfig.subdomain}.acme.example' }
    }
};

beforeAll(async () => {
    ({ key } = await newEnvironment());
    for (const [name, definition] of Object.entries(customProviders)) {
        expect((await call('/providers', { method: 'POST', key, body: { name, ...definition } })).status).toBe(201);
    }
    for (const [provider, unique_key] of [
        ['github', 'github'],
        ['openai', 'openai'],
        ['acme-cc', 'acme-cc'],
        ['acme-basic', 'acme-basic']
    ]) {
        expect((await call('/integrations', { method: 'POST', key, body: { provider, unique_key } })).status).toBe(200);
    }
});

const importConnection = (body: Record<string, unknown>) => call('/connections', { method: 'POST', key, body });
const getConnection = (id: string, integration: string, query = '') => call(`/connections/${id}?provider_config_key=${integration}${query}`, { key });

describe('importing connections', () => {
    it('imports OAUTH2 credentials and strips the refresh token unless asked for', async () => {
        const expiresAt = '2030-01-01T00:00:00.000Z';
        const res = await importConnection({
            provider_config_key: 'github',
            connection_id: 'gh-user-1',
            credentials: { type: 'OAUTH2', access_token: 'gho_access', refresh_token: 'ghr_refresh', expires_at: expiresAt, raw: { access_token: 'gho_access', refresh_token: 'ghr_refresh', scope: 'repo' } },
            metadata: { plan: 'pro' },
            connection_config: { org: 'acme' },
            end_user: { id: 'u-1', email: 'ada@example.com', display_name: 'Ada', organization: { id: 'org-1', display_name: 'Acme' } },
            tags: { team: 'core' }
        });
        expect(res.status, res.text).toBe(201);
        expect(res.json.credentials).not.toHaveProperty('refresh_token');

        const got = await getConnection('gh-user-1', 'github');
        expect(got.status).toBe(200);
        expect(got.json).toMatchObject({
            id: expect.any(Number),
            connection_id: 'gh-user-1',
            provider_config_key: 'github',
            provider: 'github',
            errors: [],
            metadata: { plan: 'pro' },
            connection_config: { org: 'acme' },
            webhook_url_override: null,
            end_user: { id: 'u-1', email: 'ada@example.com', display_name: 'Ada', tags: null, organization: { id: 'org-1', display_name: 'Acme' } },
            tags: { team: 'core', end_user_id: 'u-1', end_user_email: 'ada@example.com', end_user_display_name: 'Ada', organization_id: 'org-1', organization_display_name: 'Acme' },
            credentials: { type: 'OAUTH2', access_token: 'gho_access', expires_at: expiresAt, raw: { access_token: 'gho_access', scope: 'repo' } }
        });
        expect(got.json.created_at).toMatch(/\+00:00$/);
        expect(got.json.last_fetched_at).toMatch(/\+00:00$/);
        expect(got.json.credentials).not.toHaveProperty('refresh_token');

        const withRefresh = await getConnection('gh-user-1', 'github', '&refresh_token=true&force_refresh=false&refresh_github_app_jwt_token=false');
        expect(withRefresh.json.credentials.refresh_token).toBe('ghr_refresh');
        expect(withRefresh.json.credentials.raw.refresh_token).toBe('ghr_refresh');
    });

    it('records credential reads in last_fetched_at at most once a minute', async () => {
        await importConnection({ provider_config_key: 'openai', connection_id: 'fetched', credentials: { type: 'API_KEY', apiKey: 'k' } });
        const stored = async () => (await env.DB.prepare("SELECT last_fetched_at AS t FROM connections WHERE connection_id = 'fetched'").first<number | null>('t')) ?? null;
        const setStored = (t: number) => env.DB.prepare("UPDATE connections SET last_fetched_at = ? WHERE connection_id = 'fetched'").bind(t).run();
        expect(await stored()).toBeNull();
        await getConnection('fetched', 'openai');
        await vi.waitFor(async () => expect(await stored()).not.toBeNull());

        const recent = Date.now() - 10_000;
        await setStored(recent);
        const res = await getConnection('fetched', 'openai');
        expect(Date.parse(res.json.last_fetched_at)).toBeGreaterThan(recent);
        await new Promise((resolve) => setTimeout(resolve, 200)); // a write would have landed by now
        expect(await stored()).toBe(recent);

        const stale = Date.now() - 120_000;
        await setStored(stale);
        await getConnection('fetched', 'openai');
        await vi.waitFor(async () => expect(await stored()).toBeGreaterThan(stale));
    });

    it('imports OAUTH2_CC, API_KEY and BASIC credentials', async () => {
        const cases = [
            ['acme-cc', { type: 'OAUTH2_CC', token: 'cc-token', client_id: 'cid', client_secret: 'csecret' }],
            ['openai', { type: 'API_KEY', apiKey: 'sk-test-123' }],
            ['acme-basic', { type: 'BASIC', username: 'api', password: 'hunter2' }]
        ] as const;
        for (const [integration, credentials] of cases) {
            const res = await importConnection({ provider_config_key: integration, connection_id: `c-${integration}`, credentials, connection_config: { subdomain: 'eu' } });
            expect(res.status, res.text).toBe(201);
            expect((await getConnection(`c-${integration}`, integration)).json.credentials).toEqual(credentials);
        }
    });

    it('generates an id when none is given', async () => {
        const res = await importConnection({ provider_config_key: 'openai', credentials: { type: 'API_KEY', apiKey: 'sk-gen' } });
        expect(res.status).toBe(201);
        expect(res.json.connection_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('replaces the credentials when the same connection is imported again', async () => {
        await importConnection({ provider_config_key: 'openai', connection_id: 'again', credentials: { type: 'API_KEY', apiKey: 'sk-old' }, metadata: { a: 1 } });
        const second = await importConnection({ provider_config_key: 'openai', connection_id: 'again', credentials: { type: 'API_KEY', apiKey: 'sk-new' } });
        expect(second.status).toBe(201);
        const got = await getConnection('again', 'openai');
        expect(got.json.credentials.apiKey).toBe('sk-new');
        expect(got.json.metadata).toEqual({ a: 1 });
        expect((await call('/connections?connectionId=again', { key })).json.connections).toHaveLength(1);
    });

    it('keeps secret connection-config fields out of D1', async () => {
        const res = await importConnection({
            provider_config_key: 'acme-basic',
            connection_id: 'with-secret-config',
            credentials: { type: 'BASIC', username: 'u', password: 'p' },
            connection_config: { subdomain: 'acme', signing_secret: 'config-secret-xyz' }
        });
        expect(res.status).toBe(201);
        expect((await getConnection('with-secret-config', 'acme-basic')).json.connection_config).toEqual({ subdomain: 'acme', signing_secret: 'config-secret-xyz' });
        const row = await env.DB.prepare("SELECT connection_config FROM connections WHERE connection_id = 'with-secret-config'").first<{ connection_config: string }>();
        expect(JSON.parse(row!.connection_config)).toEqual({ subdomain: 'acme' });
        const rows = JSON.stringify((await env.DB.prepare('SELECT * FROM connections').all()).results);
        expect(rows).not.toContain('config-secret-xyz');

        // Re-importing new credentials without a config keeps the whole config, secret fields too.
        await importConnection({ provider_config_key: 'acme-basic', connection_id: 'with-secret-config', credentials: { type: 'BASIC', username: 'u2', password: 'p2' } });
        const again = (await getConnection('with-secret-config', 'acme-basic')).json;
        expect(again.credentials).toEqual({ type: 'BASIC', username: 'u2', password: 'p2' });
        expect(again.connection_config).toEqual({ subdomain: 'acme', signing_secret: 'config-secret-xyz' });
    });

    it('rejects bad imports and leaves nothing behind', async () => {
        expectError(await importConnection({ provider_config_key: 'openai', connection_id: 'x1', credentials: { type: 'BASIC', username: 'a', password: 'b' } }), 400, 'invalid_auth_mode');
        expectError(await importConnection({ provider_config_key: 'nope', connection_id: 'x2', credentials: { type: 'API_KEY', apiKey: 'k' } }), 404, 'unknown_provider_config');
        expectError(await importConnection({ provider_config_key: 'openai', connection_id: 'x3', credentials: { type: 'API_KEY' } }), 400, 'invalid_body');
        expectError(await importConnection({ provider_config_key: 'openai', connection_id: 'x4', credentials: { type: 'OAUTH3' } }), 400, 'invalid_body');
        expectError(await importConnection({ provider_config_key: 'openai', connection_id: 'has/slash', credentials: { type: 'API_KEY', apiKey: 'k' } }), 400, 'invalid_body');
        expectError(await importConnection({ provider_config_key: 'openai', connection_id: 'x5', credentials: { type: 'API_KEY', apiKey: 'k' }, tags: { '9bad': 'v' } }), 400, 'invalid_body');
        expectError(await importConnection({ provider_config_key: 'openai', connection_id: 'x6', credentials: { type: 'OAUTH2', access_token: 't', expires_at: 'tomorrow' } }), 400, 'invalid_body');
        const list = await call('/connections?search=x', { key });
        expect(list.json.connections.map((c: { connection_id: string }) => c.connection_id).filter((id: string) => /^x\d$/.test(id))).toEqual([]);
    });
});

describe('listing connections', () => {
    beforeAll(async () => {
        for (let i = 0; i < 5; i++) {
            await importConnection({
                provider_config_key: i % 2 ? 'openai' : 'acme-basic',
                connection_id: `list-${i}`,
                credentials: i % 2 ? { type: 'API_KEY', apiKey: `sk-${i}` } : { type: 'BASIC', username: 'u', password: 'p' },
                end_user: { id: `user-${i % 3}`, email: `user${i}@corp.example`, organization: { id: i < 3 ? 'org-a' : 'org-b' } },
                tags: { tier: i < 2 ? 'gold' : 'silver' }
            });
        }
    });

    const ids = (res: { json: { connections: { connection_id: string }[] } }) => res.json.connections.map((c) => c.connection_id).sort();

    it('returns the list shape of the reference', async () => {
        const res = await call('/connections?connectionId=list-1', { key });
        expect(res.json.connections).toHaveLength(1);
        expect(res.json.connections[0]).toEqual({
            id: expect.any(Number),
            connection_id: 'list-1',
            provider_config_key: 'openai',
            provider: 'openai',
            errors: [],
            end_user: { id: 'user-1', email: 'user1@corp.example', display_name: null, tags: null, organization: { id: 'org-a', display_name: null } },
            tags: { tier: 'gold', end_user_id: 'user-1', end_user_email: 'user1@corp.example', organization_id: 'org-a' },
            metadata: {},
            created: expect.stringMatching(/\+00:00$/)
        });
        expect(res.json.connections[0]).not.toHaveProperty('credentials');
    });

    it('filters by end user, organization, integration, search and tags', async () => {
        expect(ids(await call('/connections?endUserId=user-0', { key }))).toEqual(['list-0', 'list-3']);
        expect(ids(await call('/connections?endUserOrganizationId=org-b', { key }))).toEqual(['list-3', 'list-4']);
        expect(ids(await call('/connections?integrationId=openai&search=list', { key }))).toEqual(['list-1', 'list-3']);
        expect(ids(await call('/connections?integrationId=openai,acme-basic&search=list-', { key }))).toHaveLength(5);
        expect(ids(await call('/connections?search=USER4%40corp', { key }))).toEqual(['list-4']);
        expect(ids(await call('/connections?search=list&tags[tier]=gold', { key }))).toEqual(['list-0', 'list-1']);
        expect(ids(await call('/connections?tags[TIER]=silver&tags[end_user_id]=user-2', { key }))).toEqual(['list-2']);
        expect(ids(await call('/connections?search=%25', { key }))).toEqual([]);
        expectError(await call('/connections?tags[1x]=a', { key }), 400, 'invalid_query_params');
    });

    it('pages with limit and a zero-based page', async () => {
        const first = ids(await call('/connections?search=list-&limit=2&page=0', { key }));
        const second = ids(await call('/connections?search=list-&limit=2&page=1', { key }));
        const third = ids(await call('/connections?search=list-&limit=2&page=2', { key }));
        expect(first).toHaveLength(2);
        expect(third).toHaveLength(1);
        expect(new Set([...first, ...second, ...third]).size).toBe(5);
        expectError(await call('/connections?limit=2001', { key }), 400, 'invalid_query_params');
    });

    it('is also served on the legacy /connection path', async () => {
        expect(ids(await call('/connection?endUserId=user-1', { key }))).toEqual(['list-1', 'list-4']);
    });
});

describe('changing and deleting connections', () => {
    it('patches the end user, tags and webhook URL override', async () => {
        await importConnection({ provider_config_key: 'openai', connection_id: 'patch-me', credentials: { type: 'API_KEY', apiKey: 'k' }, end_user: { id: 'old', email: 'old@x.example' }, tags: { keep: 'yes' } });
        const patched = await call('/connections/patch-me?provider_config_key=openai', {
            method: 'PATCH',
            key,
            body: { end_user: { id: 'new', display_name: 'New User' }, webhook_url_override: 'https://hooks.example.com/spoke' }
        });
        expect(patched.json).toEqual({ success: true });
        let got = (await getConnection('patch-me', 'openai')).json;
        expect(got.end_user).toMatchObject({ id: 'new', display_name: 'New User', email: null });
        expect(got.tags).toEqual({ keep: 'yes', end_user_id: 'new', end_user_display_name: 'New User' });
        expect(got.webhook_url_override).toBe('https://hooks.example.com/spoke');

        await call('/connections/patch-me?provider_config_key=openai', { method: 'PATCH', key, body: { tags: { only: 'this' }, webhook_url_override: '' } });
        got = (await getConnection('patch-me', 'openai')).json;
        expect(got.tags).toEqual({ only: 'this' });
        expect(got.webhook_url_override).toBeNull();

        expectError(await call('/connections/patch-me?provider_config_key=openai', { method: 'PATCH', key, body: { webhook_url_override: 'not a url' } }), 400, 'invalid_body');
        const tooLong = `https://hooks.example.com/${'a'.repeat(2048)}`;
        expectError(await call('/connections/patch-me?provider_config_key=openai', { method: 'PATCH', key, body: { webhook_url_override: tooLong } }), 400, 'invalid_body');
        expectError(await call('/connections/patch-me?provider_config_key=openai', { method: 'PATCH', key, body: { credentials: {} } }), 400, 'invalid_body');
        expectError(await call('/connections/patch-me', { method: 'PATCH', key, body: {} }), 400, 'invalid_query_params');
        expectError(await call('/connections/nobody?provider_config_key=openai', { method: 'PATCH', key, body: {} }), 404, 'unknown_connection');
    });

    it('deletes a connection and wipes its Durable Object', async () => {
        const imported = await importConnection({ provider_config_key: 'openai', connection_id: 'delete-me', credentials: { type: 'API_KEY', apiKey: 'sk-delete' } });
        const uid = (await env.DB.prepare('SELECT uid FROM connections WHERE id = ?').bind(imported.json.id).first<{ uid: string }>())!.uid;
        const stub = env.CONNECTION.getByName(uid);
        expect(await stub.readSecrets(uid)).not.toBeNull();

        expect((await call('/connections/delete-me?provider_config_key=openai', { method: 'DELETE', key })).json).toEqual({ success: true });
        expectError(await getConnection('delete-me', 'openai'), 404, 'unknown_connection');
        await runInDurableObject(stub, (_instance, state) => {
            expect(state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray()).toEqual([]);
        });
        expect(await stub.readSecrets(uid)).toBeNull();
        expect(await env.DB.prepare('SELECT count(*) AS n FROM connection_purges').first('n')).toBe(0);
        expectError(await call('/connections/delete-me?provider_config_key=openai', { method: 'DELETE', key }), 404, 'unknown_connection');
    });

    it('serves import, get, patch and delete on the legacy /connection path', async () => {
        const imported = await call('/connection', {
            method: 'POST',
            key,
            body: { provider_config_key: 'openai', connection_id: 'legacy', credentials: { type: 'API_KEY', apiKey: 'sk-legacy' }, tags: { from: 'legacy' } }
        });
        expect(imported.status, imported.text).toBe(201);
        expect(imported.json).toMatchObject({ connection_id: 'legacy', provider_config_key: 'openai', credentials: { apiKey: 'sk-legacy' } });
        expectError(await call('/connection', { method: 'POST', key, body: { provider_config_key: 'openai', credentials: { type: 'API_KEY' } } }), 400, 'invalid_body');

        const patched = await call('/connection/legacy?provider_config_key=openai', { method: 'PATCH', key, body: { end_user: { id: 'legacy-user' } } });
        expect(patched.json).toEqual({ success: true });
        expect((await getConnection('legacy', 'openai')).json.end_user).toMatchObject({ id: 'legacy-user' });
        expectError(await call('/connection/nobody?provider_config_key=openai', { method: 'PATCH', key, body: {} }), 404, 'unknown_connection');

        expect((await call('/connection/legacy?provider_config_key=openai', { key })).json.credentials.apiKey).toBe('sk-legacy');
        expect((await call('/connection/legacy?provider_config_key=openai', { method: 'DELETE', key })).status).toBe(200);
        expectError(await call('/connection/legacy?provider_config_key=openai', { key }), 404, 'unknown_connection');
    });

    it('requires provider_config_key', async () => {
        expectError(await call('/connections/anything', { key }), 400, 'invalid_query_params');
    });
});
