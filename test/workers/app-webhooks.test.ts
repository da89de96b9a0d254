import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { ReceiverScenario } from '../support/fake-upstream-scenarios.js';
import { createSession, fake, receivedWebhooks } from './auth-helpers.js';
import { admin, call, expectError, newEnvironment } from './helpers.js';

/** An environment whose connections are created with an API key (no verification), its webhooks going to a fake app. */
async function setup(receiver: Partial<ReceiverScenario> = {}, settings: Record<string, unknown> = {}) {
    const scenario = crypto.randomUUID();
    const environment = await newEnvironment();
    await fake.receiver(scenario, { signingKey: environment.signingKey, ...receiver });
    await call('/providers', {
        method: 'POST',
        key: environment.key,
        body: {
            name: 'plain-key',
            display_name: 'Plain key',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'Key' } },
            proxy: { base_url: 'https://api.example.com', headers: { authorization: 'Bearer ${credentials.apiKey}' } }
        }
    });
    await call('/integrations', { method: 'POST', key: environment.key, body: { provider: 'plain-key', unique_key: 'plain' } });
    const url = `https://app.fake.test/${scenario}/hooks`;
    const patched = await call('/environment/webhook-settings', { method: 'PATCH', key: environment.key, body: { primary_url: url, ...settings } });
    expect(patched.status, patched.text).toBe(200);
    const connect = async (sessionBody?: Record<string, unknown>) => {
        const token = await createSession(environment.key, sessionBody);
        const res = await call(`/api-auth/api-key/plain?connect_session_token=${token}`, { method: 'POST', body: { apiKey: 'k' } });
        expect(res.status, res.text).toBe(200);
        return res.json.connectionId as string;
    };
    const deliveries = async (query = '') => (await call(`/webhooks/deliveries${query}`, { key: environment.key })).json;
    return { ...environment, scenario, url, connect, deliveries };
}

describe('webhooks to the app', () => {
    it('has settings with defaults, validated', async () => {
        const { key } = await newEnvironment();
        expect((await call('/environment/webhook-settings', { key })).json.data).toEqual({
            primary_url: null,
            secondary_url: null,
            on_auth_creation: true,
            on_auth_refresh_error: true,
            on_sync_error: true,
            on_sync_completion_always: true,
            on_async_action_completion: true
        });
        expectError(await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: 'not a url' } }), 400, 'invalid_body');
        expectError(await call('/environment/webhook-settings', { method: 'PATCH', key, body: { on_everything: true } }), 400, 'invalid_body');
        const cleared = await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: 'https://a.example.com/h', on_auth_creation: false } });
        expect(cleared.json.data).toMatchObject({ primary_url: 'https://a.example.com/h', on_auth_creation: false });
        expect((await call('/environment/webhook-settings', { method: 'PATCH', key, body: { primary_url: '' } })).json.data.primary_url).toBeNull();
    });

    it('signs the exact body with the environment’s key, verifiable by @nangohq/node', async () => {
        const s = await setup();
        const connectionId = await s.connect({ end_user: { id: 'u-1', email: 'ada@example.com' }, tags: { team: 'core' } });
        const [hook] = await receivedWebhooks(s.scenario, 1);
        expect(hook!.verified).toBe(true);
        expect(hook!.headers['x-nango-hmac-sha256']).toMatch(/^[0-9a-f]{64}$/);
        expect(hook!.headers['x-spoke-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(hook!.headers).not.toHaveProperty('x-nango-signature');
        expect(hook!.payload).toEqual({
            type: 'auth',
            from: 'nango',
            connectionId,
            providerConfigKey: 'plain',
            provider: 'plain-key',
            authMode: 'API_KEY',
            environment: s.name,
            operation: 'creation',
            success: true,
            tags: { team: 'core', end_user_id: 'u-1', end_user_email: 'ada@example.com' },
            endUser: { endUserId: 'u-1', endUserEmail: 'ada@example.com', organizationId: null, tags: {} }
        });
        // Keys sorted at every level, no whitespace: the stored bytes are what was signed.
        const sorted = (v: unknown): unknown =>
            v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
        expect(hook!.body).toBe(JSON.stringify(sorted(hook!.payload)));
    });

    it('retries while the app answers 500 and delivers once it recovers', { timeout: 30_000 }, async () => {
        const s = await setup({ failTimes: 2 });
        await s.connect();
        const hooks = await receivedWebhooks(s.scenario, 3);
        expect(hooks.map((h) => h.headers['x-spoke-delivery-attempt'])).toEqual(['1', '2', '3']);
        expect(new Set(hooks.map((h) => h.headers['x-spoke-delivery-id'])).size).toBe(1);
        await vi.waitFor(async () => expect((await s.deliveries()).data[0]).toMatchObject({ status: 'delivered', attempts: 3, last_http_status: 200 }), { timeout: 10_000 });
    });

    it('dead-letters a delivery after the last attempt, and can replay it', { timeout: 30_000 }, async () => {
        const s = await setup({ alwaysStatus: 503 });
        await s.connect();
        await vi.waitFor(async () => expect((await s.deliveries()).data[0]).toMatchObject({ status: 'dead', attempts: 3, last_http_status: 503 }), { timeout: 20_000, interval: 250 });
        const log = (await call('/logs?type=webhook', { key: s.key })).json.data;
        expect(log[0]).toMatchObject({ action: 'deliver.auth', status: 'failed', error: { code: 'webhook_retries_exhausted' } });

        await fake.receiver(s.scenario, { signingKey: s.signingKey });
        const dead = (await s.deliveries()).data[0];
        const replay = await call(`/webhooks/deliveries/${dead.id}/replay`, { method: 'POST', key: s.key });
        expect(replay.status).toBe(202);
        expect(replay.json.data).toMatchObject({ status: 'pending', attempts: 0, payload: dead.payload });
        await vi.waitFor(async () => expect((await call(`/webhooks/deliveries/${replay.json.data.id}`, { key: s.key })).json.data.status).toBe('delivered'), { timeout: 10_000 });
        expect((await call(`/webhooks/deliveries/${dead.id}`, { key: s.key })).json.data.status).toBe('dead');
    });

    it('does not retry an app that rejects the request', async () => {
        const s = await setup({ alwaysStatus: 400 });
        await s.connect();
        await vi.waitFor(async () => expect((await s.deliveries()).data[0]).toMatchObject({ status: 'failed', attempts: 1, last_http_status: 400 }), { timeout: 10_000 });
    });

    it('sends to both URLs, or only to a connection’s own URL', async () => {
        const s = await setup();
        const second = crypto.randomUUID();
        await fake.receiver(second, { signingKey: s.signingKey });
        await call('/environment/webhook-settings', { method: 'PATCH', key: s.key, body: { secondary_url: `https://app.fake.test/${second}/hooks` } });
        await s.connect();
        await receivedWebhooks(s.scenario, 1);
        await receivedWebhooks(second, 1);

        const own = crypto.randomUUID();
        await fake.receiver(own, { signingKey: s.signingKey });
        await s.connect({ end_user: { id: 'x' }, webhook_url_override: `https://app.fake.test/${own}/hooks` });
        await receivedWebhooks(own, 1);
        expect((await fake.state(s.scenario)).deliveries).toHaveLength(1);
        expect((await fake.state(second)).deliveries).toHaveLength(1);
    });

    it('respects the event switches', async () => {
        const s = await setup({}, { on_auth_creation: false });
        await s.connect();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect((await s.deliveries()).data).toEqual([]);
    });

    it('signs with the rotated key from then on', async () => {
        const s = await setup();
        const rotated = await call('/environment/webhook-signing-key/rotate', { method: 'POST', key: s.key });
        expect(rotated.status).toBe(200);
        expect((await admin(`/environments/${s.name}`)).json.data.webhook_signing_key).toBe(rotated.json.data.webhook_signing_key);
        expect((await call('/environment', { key: s.key })).json.data.webhook_signing_key).toBe(rotated.json.data.webhook_signing_key);
        await fake.receiver(s.scenario, { signingKey: rotated.json.data.webhook_signing_key });
        await s.connect();
        const [hook] = await receivedWebhooks(s.scenario, 1);
        expect(hook!.verified).toBe(true);
    });

    it('pages and filters the delivery log', async () => {
        const s = await setup();
        for (let i = 0; i < 3; i++) await s.connect();
        await vi.waitFor(async () => expect((await s.deliveries('?status=delivered')).data).toHaveLength(3), { timeout: 10_000 });
        const first = await s.deliveries('?limit=2');
        expect(first.data).toHaveLength(2);
        const second = await s.deliveries(`?limit=2&cursor=${first.next_cursor}`);
        expect(second.data).toHaveLength(1);
        expect(second.next_cursor).toBeNull();
        expect((await s.deliveries('?type=sync')).data).toEqual([]);
        expectError(await call('/webhooks/deliveries?status=lost', { key: s.key }), 400, 'invalid_query_params');
        expectError(await call(`/webhooks/deliveries/${crypto.randomUUID()}`, { key: s.key }), 404, 'not_found');
        const other = await newEnvironment();
        expectError(await call(`/webhooks/deliveries/${first.data[0].id}`, { key: other.key }), 404, 'not_found');
    });

    it('keeps no event only in memory: a delivery whose queue message was lost is sent by the sweep', async () => {
        const s = await setup();
        const now = Date.now();
        await env.DB.prepare(
            "INSERT INTO webhook_deliveries (id, environment_id, type, event, url, body, status, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, 'auth', 'creation', ?, '{\"type\":\"auth\"}', 'pending', 0, ?, ?, ?)"
        )
            .bind(crypto.randomUUID(), s.id, s.url, now - 3_600_000, now - 3_600_000, now - 3_600_000)
            .run();
        const { default: worker } = await import('../../workers/index.js');
        const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import('cloudflare:test');
        const ctx = createExecutionContext();
        worker.scheduled(createScheduledController({ scheduledTime: Math.floor(now / 3_600_000) * 3_600_000, cron: '* * * * *' }), env, ctx);
        await waitOnExecutionContext(ctx);
        const [hook] = await receivedWebhooks(s.scenario, 1);
        expect(hook!.verified).toBe(true);
    });
});
