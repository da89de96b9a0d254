import { Nango } from '@nangohq/node';
import { beforeAll, describe, expect, inject, it } from 'vitest';

// The official Nango Node client, unmodified, against a platform started by `npm run dev`.
const host = inject('platformUrl');
const secretKey = inject('secretKey');
const nango = new Nango({ host, secretKey });

async function importConnection(body: Record<string, unknown>) {
    const res = await fetch(`${host}/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body)
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.json();
}

async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
    try {
        await call;
        return 200;
    } catch (error) {
        // The client uses axios: HTTP failures carry the response.
        const status = (error as { response?: { status?: number } }).response?.status;
        if (status === undefined) throw error;
        return status;
    }
}

describe('npm run dev', () => {
    it('prints the dev secret key it was given', () => {
        expect(inject('devOutput')).toContain(`Secret key           ${secretKey}`);
    });
});

describe('integrations through @nangohq/node', () => {
    it('creates, lists, gets, updates and deletes', async () => {
        const created = await nango.createIntegration({
            provider: 'github',
            unique_key: 'gh-e2e',
            display_name: 'GitHub E2E',
            credentials: { type: 'OAUTH2', client_id: 'cid', client_secret: 'csecret', scopes: 'repo' }
        });
        expect(created.data).toMatchObject({ unique_key: 'gh-e2e', provider: 'github', display_name: 'GitHub E2E' });

        const { configs } = await nango.listIntegrations();
        expect(configs.map((c) => c.unique_key)).toContain('gh-e2e');

        const got = await nango.getIntegration({ uniqueKey: 'gh-e2e' }, { include: ['credentials'] });
        expect(got.data.credentials).toMatchObject({ type: 'OAUTH2', client_id: 'cid', client_secret: 'csecret', scopes: 'repo' });

        const updated = await nango.updateIntegration({ uniqueKey: 'gh-e2e' }, { display_name: 'GitHub Renamed' });
        expect(updated.data.display_name).toBe('GitHub Renamed');

        const deleted = await nango.deleteIntegration('gh-e2e');
        expect(deleted.status).toBe(200);
        expect(await statusOf(nango.getIntegration({ uniqueKey: 'gh-e2e' }))).toBe(404);
    });

    it('quickstarts an integration that needs no app credentials', async () => {
        const created = await nango.createQuickstartIntegration({ provider: 'openai', unique_key: 'openai-quick', display_name: 'OpenAI Quick' });
        expect(created.data).toMatchObject({ unique_key: 'openai-quick', provider: 'openai', display_name: 'OpenAI Quick', forward_webhooks: true });
        expect(await statusOf(nango.createQuickstartIntegration({ provider: 'github', unique_key: 'gh-quick' }))).toBe(400);
        await nango.deleteIntegration('openai-quick');
    });

    it('lists and gets providers', async () => {
        const providers = await nango.listProviders({ search: 'hubspot' });
        expect(providers.data.map((p) => p.name)).toContain('hubspot');
        expect((await nango.getProvider({ provider: 'hubspot' })).data).toMatchObject({ name: 'hubspot', auth_mode: 'OAUTH2' });
    });
});

describe('connections through @nangohq/node', () => {
    beforeAll(async () => {
        await nango.createIntegration({ provider: 'github', unique_key: 'github' });
        await nango.createIntegration({ provider: 'openai', unique_key: 'openai' });
        await importConnection({
            provider_config_key: 'github',
            connection_id: 'user-1',
            credentials: { type: 'OAUTH2', access_token: 'gho_e2e', refresh_token: 'ghr_e2e', raw: { access_token: 'gho_e2e', refresh_token: 'ghr_e2e' } },
            end_user: { id: 'u-1', email: 'ada@example.com', display_name: 'Ada' },
            tags: { plan: 'pro' }
        });
        await importConnection({
            provider_config_key: 'openai',
            connection_id: 'user-2',
            credentials: { type: 'API_KEY', apiKey: 'sk-e2e' },
            end_user: { id: 'u-2', organization: { id: 'org-9' } }
        });
    });

    it('getConnection returns credentials without the refresh token unless asked', async () => {
        const connection = await nango.getConnection('github', 'user-1');
        expect(connection).toMatchObject({ connection_id: 'user-1', provider_config_key: 'github', provider: 'github' });
        expect(connection.credentials).toMatchObject({ type: 'OAUTH2', access_token: 'gho_e2e' });
        expect(connection.credentials).not.toHaveProperty('refresh_token');
        expect(JSON.stringify(connection.credentials)).not.toContain('ghr_e2e');
        const withRefresh = await nango.getConnection('github', 'user-1', false, true);
        expect(withRefresh.credentials).toMatchObject({ refresh_token: 'ghr_e2e' });
    });

    it('getToken returns the access token, or the credentials for key-based modes', async () => {
        expect(await nango.getToken('github', 'user-1')).toBe('gho_e2e');
        expect(await nango.getToken('openai', 'user-2')).toEqual({ type: 'API_KEY', apiKey: 'sk-e2e' });
        expect(await nango.getRawTokenResponse('github', 'user-1')).toEqual({ access_token: 'gho_e2e' });
    });

    it('listConnections filters by connection, user, integration and tags', async () => {
        const ids = (r: { connections: { connection_id: string }[] }) => r.connections.map((c) => c.connection_id).sort();
        expect(ids(await nango.listConnections())).toEqual(['user-1', 'user-2']);
        expect(ids(await nango.listConnections('user-2'))).toEqual(['user-2']);
        expect(ids(await nango.listConnections({ userId: 'u-1' }))).toEqual(['user-1']);
        expect(ids(await nango.listConnections({ integrationId: ['openai', 'github'], limit: 10 }))).toEqual(['user-1', 'user-2']);
        expect(ids(await nango.listConnections({ tags: { displayName: 'Ada', plan: 'pro' } }))).toEqual(['user-1']);
        expect(ids(await nango.listConnections({ tags: { email: 'ada@example.com' } }))).toEqual(['user-1']);
        expect(ids(await nango.listConnections(undefined, undefined, { endUserOrganizationId: 'org-9' }))).toEqual(['user-2']);
        expect(ids(await nango.listConnections(undefined, undefined, { limit: 1, page: 1 }))).toHaveLength(1);
    });

    it('sets, updates and reads metadata', async () => {
        const set = await nango.setMetadata('github', 'user-1', { region: 'eu', nested: { a: 1 } });
        expect(set.status).toBe(201);
        const updated = await nango.updateMetadata('github', ['user-1'], { nested: { b: 2 }, flag: true });
        expect(updated.status).toBe(200);
        expect(await nango.getMetadata('github', 'user-1')).toEqual({ region: 'eu', nested: { b: 2 }, flag: true });
        expect(await statusOf(nango.setMetadata('github', ['user-1', 'ghost'], { x: 1 }))).toBe(404);
        expect(await nango.getMetadata('github', 'user-1')).toEqual({ region: 'eu', nested: { b: 2 }, flag: true });
    });

    it('patches a connection', async () => {
        const result = await nango.patchConnection(
            { connectionId: 'user-1', provider_config_key: 'github' },
            { end_user: { id: 'u-1', display_name: 'Ada Lovelace' }, tags: { plan: 'enterprise' } }
        );
        expect(result).toEqual({ success: true });
        const connection = await nango.getConnection('github', 'user-1');
        expect(connection.end_user).toMatchObject({ id: 'u-1', display_name: 'Ada Lovelace' });
        expect(connection.tags).toMatchObject({ plan: 'enterprise', end_user_display_name: 'Ada Lovelace' });
    });

    it('deletes a connection', async () => {
        const res = await nango.deleteConnection('openai', 'user-2');
        expect(res.status).toBe(200);
        expect(await statusOf(nango.getConnection('openai', 'user-2'))).toBe(404);
        expect(await statusOf(nango.deleteConnection('openai', 'user-2'))).toBe(404);
    });

    it('fails with 401 for a wrong key', async () => {
        const stranger = new Nango({ host, secretKey: crypto.randomUUID() });
        expect(await statusOf(stranger.listIntegrations())).toBe(401);
    });
});
