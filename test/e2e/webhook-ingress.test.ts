import { Nango } from '@nangohq/node';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { signDelivery } from '../support/provider-signing.js';
import { type Served, serveFetch } from '../support/serve-fetch.js';
import { createPlatformEnvironment, type PlatformInit, platformCall } from './platform-api.js';

// A provider's webhook through a platform started by `npm run dev`: answered at once, processed
// by the local queue, and forwarded to the app, which verifies it with the official Nango client.
const host = inject('platformUrl');

let app: Served;
const received: { verified: boolean; payload: Record<string, any> }[] = [];
let nango: Nango;
let environmentId: string;
let secretKey: string;

const platform = (path: string, init: Partial<PlatformInit> = {}) => platformCall(path, { key: secretKey, ...init });

beforeAll(async () => {
    app = await serveFetch(async (request) => {
        const body = await request.text();
        received.push({ verified: nango.verifyIncomingWebhookRequest(body, Object.fromEntries(request.headers)), payload: JSON.parse(body) });
        return new Response('ok');
    });
    const created = await createPlatformEnvironment('ingress');
    ({ secretKey, id: environmentId } = created);
    nango = new Nango({ host, secretKey, webhookSigningKey: created.signingKey });
    await platform('/environment/webhook-settings', { method: 'PATCH', body: { primary_url: `${app.url}/hooks` } });
    await platform('/integrations', { method: 'POST', body: { provider: 'github', unique_key: 'github', credentials: { type: 'OAUTH2', client_id: 'id', client_secret: 'cs', webhook_secret: 'e2e-hook-secret' } } });
    for (const [connection, installation] of [['acme', 41], ['globex', 42]] as const) {
        await platform('/connections', { method: 'POST', body: { provider_config_key: 'github', connection_id: connection, credentials: { type: 'OAUTH2', access_token: `t-${connection}` }, metadata: { installation_id: installation } } });
    }
}, 60_000);

afterAll(async () => {
    await app?.close();
});

it('a signed GitHub webhook is answered, routed to its installation and forwarded to the app, verifiable with @nangohq/node', async () => {
    const { webhook_url: url } = (await platform('/integrations/github?include=webhook')).data;
    expect(url).toBe(`${host}/webhook/${environmentId}/github`);
    const body = JSON.stringify({ action: 'opened', installation: { id: 42 }, issue: { id: 1, title: 'Hello' } });
    const signed = signDelivery({ type: 'github' }, 'e2e-hook-secret', { method: 'POST', url, body }, Date.now());
    const send = () => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'e2e-1', ...signed } });

    const res = await send();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success' });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 30_000, interval: 200 });
    expect(received[0]).toEqual({ verified: true, payload: { from: 'github', type: 'forward', providerConfigKey: 'github', connectionId: 'globex', payload: JSON.parse(body) } });

    // Delivered again: accepted, and dropped.
    expect((await send()).status).toBe(200);
    const bad = await fetch(url, { method: 'POST', body: body.replace('Hello', 'Bye'), headers: { 'content-type': 'application/json', 'x-github-event': 'issues', ...signed } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_webhook_signature' } });
    let incoming: { status: string; meta: Record<string, unknown> }[] = [];
    await vi.waitFor(
        async () => {
            incoming = (await platform('/logs?type=webhook')).data.filter((o: { action: string }) => o.action === 'incoming').reverse();
            expect(incoming.map((o) => o.status)).toEqual(['success', 'success', 'failed']);
        },
        { timeout: 10_000, interval: 200 }
    );
    expect(incoming[1]!.meta).toMatchObject({ events: 1, duplicates: 1 });
    expect(received).toHaveLength(1);
}, 60_000);
