import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, fake } from './auth-helpers.js';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;
let scenario: string;

beforeAll(async () => {
    scenario = crypto.randomUUID();
    key = (await newEnvironment()).key;
    // The fake plays NetSuite: HMAC-SHA256, the account id as realm, an existing token.
    await fake.oauth1(scenario, { consumerKey: 'ns-consumer', consumerSecret: 'ns-consumer-secret', signatureMethod: 'HMAC-SHA256', realm: '1234567_SB1', accessTokens: { 'token-id': 'token-secret' } });
    const provider = {
        name: 'fake-netsuite',
        display_name: 'Fake NetSuite',
        categories: ['erp'],
        docs: 'https://oauth1.fake.test/docs',
        auth_mode: 'TBA',
        connection_config: { accountId: { title: 'Account ID', pattern: '^[A-Za-z0-9_-]+$' } },
        // The account id sits where NetSuite's host name has it, spelled as there.
        proxy: { base_url: `https://oauth1.fake.test/${scenario}/\${connectionConfig.accountId}/record/v1`, verification: { method: 'GET', endpoints: ['/metadata-catalog'] } }
    };
    expect((await call('/providers', { method: 'POST', key, body: provider })).status).toBe(201);
    const integration = await call('/integrations', { method: 'POST', key, body: { provider: 'fake-netsuite', unique_key: 'netsuite', credentials: { type: 'TBA', client_id: 'ns-consumer', client_secret: 'ns-consumer-secret' } } });
    expect(integration.status, integration.text).toBe(200);
});

const connectionIds = async () => ((await call('/connections', { key })).json.connections as { connection_id: string }[]).map((c) => c.connection_id);
const connectTba = async (body: Record<string, string>, accountId = '1234567_sb1') =>
    call(`/auth/tba/netsuite?connect_session_token=${await createSession(key)}&params[accountId]=${accountId}`, { method: 'POST', body });

describe('NetSuite token-based auth (TBA)', () => {
    it('verifies the token with a signed call before saving it, and signs proxy calls with realm = account id', async () => {
        const res = await connectTba({ token_id: 'token-id', token_secret: 'token-secret' });
        expect(res.status, res.text).toBe(200);
        const verification = (await fake.oauth1Requests(scenario)).at(-1)!;
        expect(verification).toMatchObject({ method: 'GET', path: '/1234567-sb1/record/v1/metadata-catalog', problem: null });

        const connection = (await call(`/connections/${res.json.connectionId}?provider_config_key=netsuite`, { key })).json;
        expect(connection.credentials).toEqual({ type: 'TBA', token_id: 'token-id', token_secret: 'token-secret' });
        expect(connection.connection_config).toEqual({ accountId: '1234567_sb1' });

        const proxied = await call('/proxy/customer?limit=5&q=name%20IS%20Ada', { key, headers: { 'connection-id': res.json.connectionId, 'provider-config-key': 'netsuite' } });
        expect(proxied.status, proxied.text).toBe(200);
        const request = (await fake.oauth1Requests(scenario)).at(-1)!;
        expect(request).toMatchObject({ path: '/1234567-sb1/record/v1/customer', query: { limit: '5', q: 'name IS Ada' }, problem: null });
        expect(request.headers['authorization']).toContain('realm="1234567_SB1"');
    });

    it('saves nothing when the provider refuses the token', async () => {
        const before = await connectionIds();
        expectError(await connectTba({ token_id: 'token-id', token_secret: 'wrong' }), 400, 'connection_test_failed');
        expectError(await connectTba({ token_id: 'token-id', token_secret: 'token-secret', oauth_client_id_override: 'other', oauth_client_secret_override: 'x' }), 400, 'connection_test_failed');
        expectError(await connectTba({ token_id: 'token-id', token_secret: 'token-secret', oauth_client_id_override: 'half' }), 400, 'invalid_body');
        expectError(await connectTba({ token_id: 'token-id' }), 400, 'invalid_body');
        expect(await connectionIds()).toEqual(before);
    });

    it('imports TBA credentials through POST /connections', async () => {
        const imported = await call('/connections', {
            method: 'POST',
            key,
            body: { provider_config_key: 'netsuite', connection_id: 'imported-ns', credentials: { type: 'TBA', token_id: 'token-id', token_secret: 'token-secret' }, connection_config: { accountId: '1234567-SB1' } }
        });
        expect(imported.status, imported.text).toBe(201);
        const proxied = await call('/proxy/customer', { key, headers: { 'connection-id': 'imported-ns', 'provider-config-key': 'netsuite' } });
        expect(proxied.status, proxied.text).toBe(200);
        expect((await fake.oauth1Requests(scenario)).at(-1)).toMatchObject({ path: '/1234567-sb1/record/v1/customer', problem: null });
    });
});
