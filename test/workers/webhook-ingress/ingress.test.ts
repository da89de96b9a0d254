import { describe, expect, it, vi } from 'vitest';
import { receivedWebhooks } from '../auth-helpers.js';
import { call, expectError } from '../helpers.js';
import { createIntegration, deployWebhookSync, importConnection, incomingOperations, ingressEnvironment, ingressPath, recordsOf, sendSigned } from './ingress-helpers.js';

const GITHUB = { type: 'github' } as const;
const SLACK = { type: 'slack' } as const;
const STRIPE = { type: 'stripe' } as const;
const HUBSPOT = { type: 'hubspot_v3' } as const;

const oauthApp = (webhookSecret?: string) => ({ type: 'OAUTH2', client_id: 'app-id', client_secret: 'app-client-secret', ...(webhookSecret && { webhook_secret: webhookSecret }) });

async function githubEnvironment(delayMs = 0) {
    const environment = await ingressEnvironment();
    await createIntegration(environment.key, { provider: 'github', unique_key: 'gh', credentials: oauthApp('gh-secret') });
    await importConnection(environment.key, 'gh', 'acme', { connection_config: { installation_id: '111' } });
    // One imported with its installation, one (as through the Connect UI) told it later in metadata.
    await importConnection(environment.key, 'gh', 'globex', { metadata: { installation_id: 222 } });
    await deployWebhookSync(environment.key, 'gh', ['issues'], { id: 'issue.id', title: 'issue.title' }, delayMs);
    return environment;
}

const issueEvent = (installation: number, id: number, title = `Issue ${id}`) => JSON.stringify({ action: 'opened', installation: { id: installation }, issue: { id, title } });

const byType = (hooks: { payload: Record<string, any> }[], type: string) => hooks.filter((h) => h.payload['type'] === type);

describe('GitHub webhooks', () => {
    it('are routed by installation to the right connection, run its onWebhook handler, and are forwarded signed', async () => {
        const { id, key, scenario } = await githubEnvironment();
        const res = await sendSigned(id, 'gh', GITHUB, 'gh-secret', issueEvent(222, 7), { headers: { 'x-github-event': 'issues', 'x-github-delivery': 'delivery-1' } });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ status: 'success' });

        const [op] = await incomingOperations(key, 1);
        expect(op).toMatchObject({ status: 'success', integration_key: 'gh' });
        expect(op.meta.routing).toEqual([
            expect.objectContaining({ event_type: 'issues', rule: 'installation.id → connection_config.installation_id or metadata.installation_id', value: '222', connections: ['globex'], unattributed: false })
        ]);
        expect(op.meta.routing[0].handlers).toEqual([expect.objectContaining({ sync: 'items', connectionId: 'globex', status: 'success' })]);
        expect((await recordsOf(key, 'gh', 'globex')).map((r) => [r.id, r.title])).toEqual([['7', 'Issue 7']]);
        expect(await recordsOf(key, 'gh', 'acme')).toEqual([]);

        const hooks = await receivedWebhooks(scenario, 2);
        expect(hooks.every((h) => h.verified)).toBe(true);
        expect(byType(hooks, 'sync').map((h) => h.payload)).toEqual([
            expect.objectContaining({ connectionId: 'globex', providerConfigKey: 'gh', syncName: 'items', model: 'Item', syncType: 'WEBHOOK', success: true, responseResults: { added: 1, updated: 0, deleted: 0 } })
        ]);
        expect(byType(hooks, 'forward').map((h) => h.payload)).toEqual([
            { from: 'github', type: 'forward', providerConfigKey: 'gh', connectionId: 'globex', payload: JSON.parse(issueEvent(222, 7)) }
        ]);
        // Each handler run is an operation of its own, under the delivery's.
        const runs = (await call('/logs?type=sync', { key })).json.data;
        expect(runs).toEqual([expect.objectContaining({ action: 'items', connection_id: 'globex', status: 'success', parent_id: String(op.id) })]);
    });

    it('refuse a tampered body, a wrong secret and a missing signature with 401, and log them', async () => {
        const { id, key } = await githubEnvironment();
        const headers = { 'x-github-event': 'issues', 'x-github-delivery': 'delivery-2' };
        expectError(await sendSigned(id, 'gh', GITHUB, 'gh-secret', issueEvent(111, 1), { headers, tamper: (b) => b.replace('Issue 1', 'Issue 666') }), 401, 'invalid_webhook_signature');
        expectError(await sendSigned(id, 'gh', GITHUB, 'not-the-secret', issueEvent(111, 1), { headers }), 401, 'invalid_webhook_signature');
        expectError(await call(ingressPath(id, 'gh'), { method: 'POST', body: issueEvent(111, 1), headers }), 401, 'invalid_webhook_signature');
        const ops = await incomingOperations(key, 3);
        expect(ops.map((o) => [o.status, o.http_status, o.error.code])).toEqual(Array(3).fill(['failed', 401, 'invalid_webhook_signature']));
        expect(JSON.stringify(ops)).not.toContain('gh-secret');
        expect(await recordsOf(key, 'gh', 'acme')).toEqual([]);
    });

    it('process a delivery sent twice once', async () => {
        const { id, key, scenario } = await githubEnvironment();
        const headers = { 'x-github-event': 'issues', 'x-github-delivery': 'delivery-3' };
        expect((await sendSigned(id, 'gh', GITHUB, 'gh-secret', issueEvent(111, 3), { headers })).status).toBe(200);
        await incomingOperations(key, 1);
        // GitHub's redelivery: the same delivery id, signed again.
        expect((await sendSigned(id, 'gh', GITHUB, 'gh-secret', issueEvent(111, 3), { headers })).status).toBe(200);
        const ops = await incomingOperations(key, 2);
        expect(ops[1].meta).toMatchObject({ events: 1, duplicates: 1 });
        expect(ops[1].meta.routing).toBeUndefined();
        expect((await call('/logs?type=sync', { key })).json.data).toHaveLength(1);
        expect(byType(await receivedWebhooks(scenario, 2), 'forward')).toHaveLength(1);
    });

    it('forward an event of no known connection once, marked unattributed', async () => {
        const { id, key, scenario } = await githubEnvironment();
        expect((await sendSigned(id, 'gh', GITHUB, 'gh-secret', issueEvent(999, 4), { headers: { 'x-github-event': 'issues', 'x-github-delivery': 'delivery-4' } })).status).toBe(200);
        const [op] = await incomingOperations(key, 1);
        expect(op.meta.routing).toEqual([expect.objectContaining({ value: '999', connections: [], unattributed: true, handlers: [] })]);
        const [hook] = await receivedWebhooks(scenario, 1);
        expect(hook!.verified).toBe(true);
        expect(hook!.payload).toEqual({ from: 'github', type: 'forward', providerConfigKey: 'gh', connectionId: null, unattributed: true, payload: JSON.parse(issueEvent(999, 4)) });
    });

    it('are answered before a slow handler has run', async () => {
        const { id, key } = await githubEnvironment(1500);
        const res = await sendSigned(id, 'gh', GITHUB, 'gh-secret', issueEvent(111, 5), { headers: { 'x-github-event': 'issues', 'x-github-delivery': 'delivery-5' } });
        expect(res.status).toBe(200);
        // The provider has its answer while the handler is still waiting to save.
        expect(await recordsOf(key, 'gh', 'acme')).toEqual([]);
        await vi.waitFor(async () => expect(await recordsOf(key, 'gh', 'acme')).toHaveLength(1), { timeout: 20_000, interval: 100 });
    });
});

describe('Slack webhooks', () => {
    async function slackEnvironment() {
        const environment = await ingressEnvironment();
        await createIntegration(environment.key, { provider: 'slack', unique_key: 'slack', credentials: oauthApp('slack-signing-secret') });
        await importConnection(environment.key, 'slack', 'team-one', { connection_config: { 'team.id': 'T0001' } });
        await importConnection(environment.key, 'slack', 'team-two', { connection_config: { 'team.id': 'T0002' } });
        await deployWebhookSync(environment.key, 'slack', ['message'], { id: 'event.client_msg_id', title: 'event.text' });
        return environment;
    }
    const message = (team: string, eventId: string, text: string) =>
        JSON.stringify({ type: 'event_callback', team_id: team, api_app_id: 'A1', event_id: eventId, event_time: 1_700_000_000, event: { type: 'message', client_msg_id: `msg-${eventId}`, text, channel: 'C1', user: 'U1', ts: '1700000000.000100' } });

    it('answer the url_verification challenge, route events by team, drop retries and refuse bad signatures', async () => {
        const { id, key, scenario } = await slackEnvironment();
        const challenge = await sendSigned(id, 'slack', SLACK, 'slack-signing-secret', JSON.stringify({ token: 'legacy', challenge: 'ch4llenge', type: 'url_verification' }));
        expect(challenge.status).toBe(200);
        expect(challenge.json).toEqual({ challenge: 'ch4llenge' });
        expectError(await sendSigned(id, 'slack', SLACK, 'wrong', JSON.stringify({ challenge: 'x', type: 'url_verification' })), 401, 'invalid_webhook_signature');

        expect((await sendSigned(id, 'slack', SLACK, 'slack-signing-secret', message('T0002', 'Ev1', 'hello'))).status).toBe(200);
        // Slack retries with the same event_id when it thinks the first try failed.
        expect((await sendSigned(id, 'slack', SLACK, 'slack-signing-secret', message('T0002', 'Ev1', 'hello'), { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
        expectError(await sendSigned(id, 'slack', SLACK, 'slack-signing-secret', message('T0001', 'Ev2', 'hi'), { tamper: (b) => b.replace('hi', 'bye') }), 401, 'invalid_webhook_signature');

        // Slash commands come as a signed form.
        const command = new URLSearchParams({ command: '/deploy', text: 'now', team_id: 'T0001', user_id: 'U1', trigger_id: 'tr1' }).toString();
        expect((await sendSigned(id, 'slack', SLACK, 'slack-signing-secret', command, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);

        const ops = (await incomingOperations(key, 5)).filter((o) => o.status === 'success');
        expect(ops.map((o) => o.meta.duplicates)).toEqual([0, 1, 0]);
        expect(ops[2].meta.routing[0]).toMatchObject({ event_type: '/deploy', connections: ['team-one'], handlers: [] });
        expect((await recordsOf(key, 'slack', 'team-two')).map((r) => r.title)).toEqual(['hello']);
        expect(await recordsOf(key, 'slack', 'team-one')).toEqual([]);
        const forwards = byType(await receivedWebhooks(scenario, 3), 'forward');
        expect(forwards.map((h) => [h.payload['connectionId'], h.payload['from']]).sort()).toEqual([
            ['team-one', 'slack'],
            ['team-two', 'slack']
        ]);
    });
});

describe('Stripe webhooks', () => {
    it('route connected accounts’ events by metadata, tolerate nothing stale and drop repeated event ids', async () => {
        const { id, key, scenario } = await ingressEnvironment();
        await createIntegration(key, { provider: 'stripe', unique_key: 'stripe', custom: { webhookSecret: 'whsec_test_secret' } });
        for (const [connection, account] of [['shop-a', 'acct_A'], ['shop-b', 'acct_B']] as const) {
            const res = await call('/connections', { method: 'POST', key, body: { provider_config_key: 'stripe', connection_id: connection, credentials: { type: 'API_KEY', apiKey: `sk_test_${connection}` }, metadata: { stripe_account_id: account } } });
            expect(res.status, res.text).toBe(201);
        }
        await deployWebhookSync(key, 'stripe', ['customer.created'], { id: 'data.object.id', title: 'data.object.name' });
        const event = (eventId: string, account: string, customer: string) =>
            JSON.stringify({ id: eventId, object: 'event', type: 'customer.created', account, api_version: '2024-06-20', created: 1_700_000_000, data: { object: { id: customer, object: 'customer', name: `Customer ${customer}` } } });

        expect((await sendSigned(id, 'stripe', STRIPE, 'whsec_test_secret', event('evt_1', 'acct_A', 'cus_1'))).status).toBe(200);
        expect((await sendSigned(id, 'stripe', STRIPE, 'whsec_test_secret', event('evt_1', 'acct_A', 'cus_1'))).status).toBe(200);
        expectError(await sendSigned(id, 'stripe', STRIPE, 'whsec_test_secret', event('evt_2', 'acct_B', 'cus_2'), { tamper: (b) => b.replace('cus_2', 'cus_9') }), 401, 'invalid_webhook_signature');

        const ops = (await incomingOperations(key, 3)).filter((o) => o.status === 'success');
        expect(ops.map((o) => o.meta.duplicates)).toEqual([0, 1]);
        expect(ops[0].meta.routing[0]).toMatchObject({ event_type: 'customer.created', rule: 'account → metadata.stripe_account_id', connections: ['shop-a'] });
        expect((await recordsOf(key, 'stripe', 'shop-a')).map((r) => r.id)).toEqual(['cus_1']);
        expect(await recordsOf(key, 'stripe', 'shop-b')).toEqual([]);
        expect(byType(await receivedWebhooks(scenario, 2), 'forward').map((h) => h.payload['connectionId'])).toEqual(['shop-a']);
    });
});

describe('HubSpot webhooks', () => {
    it('split a batch across the portals it names, verified with the app’s client secret, each event once', async () => {
        const { id, key, scenario } = await ingressEnvironment();
        await createIntegration(key, { provider: 'hubspot', unique_key: 'hubspot', credentials: oauthApp() });
        await importConnection(key, 'hubspot', 'portal-1', { connection_config: { portalId: '1001' } });
        await importConnection(key, 'hubspot', 'portal-2', { connection_config: { portalId: '1002' } });
        await deployWebhookSync(key, 'hubspot', ['contact.creation'], { id: 'objectId', title: 'subscriptionType' });
        const contact = (eventId: number, portalId: number, objectId: number) => ({ eventId, subscriptionId: 42, portalId, appId: 7, occurredAt: 1_700_000_000_000, subscriptionType: 'contact.creation', attemptNumber: 0, objectId, changeSource: 'CRM', changeFlag: 'NEW' });
        const batch = JSON.stringify([contact(1, 1001, 501), contact(2, 1002, 502), contact(3, 1002, 503)]);

        expect((await sendSigned(id, 'hubspot', HUBSPOT, 'app-client-secret', batch)).status).toBe(200);
        // A retry of the same batch, plus one new event.
        expect((await sendSigned(id, 'hubspot', HUBSPOT, 'app-client-secret', JSON.stringify([...JSON.parse(batch), contact(4, 1001, 504)]))).status).toBe(200);
        expectError(await sendSigned(id, 'hubspot', HUBSPOT, 'app-client-secret', batch, { tamper: (b) => b.replace('501', '666') }), 401, 'invalid_webhook_signature');
        expectError(await sendSigned(id, 'hubspot', HUBSPOT, 'not-the-client-secret', batch), 401, 'invalid_webhook_signature');

        const ops = (await incomingOperations(key, 4)).filter((o) => o.status === 'success');
        expect(ops.map((o) => [o.meta.events, o.meta.duplicates])).toEqual([
            [3, 0],
            [4, 3]
        ]);
        expect((await recordsOf(key, 'hubspot', 'portal-1')).map((r) => r.id).sort()).toEqual(['501', '504']);
        expect((await recordsOf(key, 'hubspot', 'portal-2')).map((r) => r.id).sort()).toEqual(['502', '503']);
        const forwards = byType(await receivedWebhooks(scenario, 8), 'forward');
        expect(forwards.map((h) => [h.payload['connectionId'], h.payload['payload'].eventId]).sort()).toEqual([
            ['portal-1', 1],
            ['portal-1', 4],
            ['portal-2', 2],
            ['portal-2', 3]
        ]);
    });
});

describe('Shopify webhooks', () => {
    it('find the shop by its myshopify.com domain, verified with the app’s client secret', async () => {
        const { id, key, scenario } = await ingressEnvironment();
        await createIntegration(key, { provider: 'shopify', unique_key: 'shopify', credentials: oauthApp() });
        await importConnection(key, 'shopify', 'store-a', { connection_config: { subdomain: 'acme-store' } });
        await importConnection(key, 'shopify', 'store-b', { connection_config: { subdomain: 'globex-store' } });
        await deployWebhookSync(key, 'shopify', ['orders/create'], { id: 'id', title: 'name' });
        const order = JSON.stringify({ id: 820982911946154500, name: '#9999', email: 'jon@example.com', total_price: '199.65' });
        const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'globex-store.myshopify.com', 'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' };
        expect((await sendSigned(id, 'shopify', { type: 'shopify' }, 'app-client-secret', order, { headers })).status).toBe(200);
        expectError(await sendSigned(id, 'shopify', { type: 'shopify' }, 'app-client-secret', order, { headers, tamper: (b) => b.replace('199.65', '0.01') }), 401, 'invalid_webhook_signature');
        const [op] = await incomingOperations(key, 2);
        expect(op.meta.routing[0]).toMatchObject({ event_type: 'orders/create', value: 'globex-store', connections: ['store-b'] });
        expect((await recordsOf(key, 'shopify', 'store-b')).map((r) => r.title)).toEqual(['#9999']);
        expect(byType(await receivedWebhooks(scenario, 2), 'forward').map((h) => h.payload['connectionId'])).toEqual(['store-b']);
    });
});

describe('the ingress route', () => {
    it('answers unknown targets, a missing secret and handshakes clearly', async () => {
        const { id, key } = await ingressEnvironment();
        expectError(await call(`/webhook/${crypto.randomUUID()}/gh`, { method: 'POST', body: '{}' }), 404, 'unknown_environment');
        expectError(await call('/webhook/not-a-uuid/gh', { method: 'POST', body: '{}' }), 404, 'unknown_environment');
        expectError(await call(`/webhook/${id}/nothing`, { method: 'POST', body: '{}' }), 404, 'unknown_provider_config');
        expectError(await call(`/webhook/${id}/nothing`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) }), 413, 'payload_too_large');

        await createIntegration(key, { provider: 'github', unique_key: 'gh-unset', credentials: oauthApp() });
        const unset = await sendSigned(id, 'gh-unset', GITHUB, 'anything', issueEvent(1, 1), { headers: { 'x-github-event': 'issues' } });
        expectError(unset, 401, 'missing_webhook_secret');
        expect(unset.json.error.message).toContain('webhook_secret');

        await createIntegration(key, { provider: 'microsoft', unique_key: 'graph', credentials: oauthApp() });
        const validation = await call(`${ingressPath(id, 'graph')}?validationToken=${encodeURIComponent('Validation: Token 123')}`, { method: 'POST' });
        expect(validation.status).toBe(200);
        expect(validation.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(validation.text).toBe('Validation: Token 123');
        expectError(await call(ingressPath(id, 'graph'), { method: 'GET' }), 405, 'method_not_allowed');

        // Spoke knows no webhooks of this provider: accepted and ignored, as Nango does.
        await createIntegration(key, { provider: 'openai', unique_key: 'openai' });
        const ignored = await call(ingressPath(id, 'openai'), { method: 'POST', body: '{}' });
        expect(ignored.status).toBe(204);
    });
});
