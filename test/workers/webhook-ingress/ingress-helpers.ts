import { expect, vi } from 'vitest';
import type { WebhookSignature } from '../../../providers/webhook-schema.js';
import { signDelivery } from '../../support/provider-signing.js';
import { fake } from '../auth-helpers.js';
import { deploy } from '../functions/function-helpers.js';
import { BASE, call, newEnvironment } from '../helpers.js';

/** A record model as a bundle carries one (zod, seen structurally): records need an id. */
const ANY_MODEL = `{ safeParse: (v) => (v && typeof v.id === 'string' ? { success: true, data: v } : { success: false, error: { issues: [{ path: ['id'], message: 'id is required' }] } }) }`;

/** An environment whose app (the fake receiver) gets every webhook, verified with @nangohq/node. */
export async function ingressEnvironment() {
    const environment = await newEnvironment();
    const scenario = crypto.randomUUID();
    await fake.receiver(scenario, { signingKey: environment.signingKey });
    const settings = await call('/environment/webhook-settings', { method: 'PATCH', key: environment.key, body: { primary_url: `https://app.fake.test/${scenario}/hooks` } });
    expect(settings.status, settings.text).toBe(200);
    return { ...environment, scenario };
}

export async function createIntegration(key: string, body: Record<string, unknown>) {
    const res = await call('/integrations', { method: 'POST', key, body });
    expect(res.status, res.text).toBe(200);
}

export async function importConnection(key: string, integration: string, connectionId: string, extra: { connection_config?: Record<string, unknown>; metadata?: Record<string, unknown> } = {}) {
    const res = await call('/connections', {
        method: 'POST',
        key,
        body: { provider_config_key: integration, connection_id: connectionId, credentials: { type: 'OAUTH2', access_token: `token-${connectionId}` }, ...extra }
    });
    expect(res.status, res.text).toBe(201);
}

/**
 * A sync whose `onWebhook` saves one record per event: the id and title at the given paths of the
 * payload, after `delayMs` (a slow handler).
 */
export async function deployWebhookSync(key: string, integration: string, subscriptions: string[], paths: { id: string; title: string }, delayMs = 0) {
    const get = (path: string) => `payload.${path.split('.').join('?.')}`;
    const code = `
export default {
    type: 'sync',
    description: 'Items from webhooks',
    frequency: 'every day',
    models: { Item: ${ANY_MODEL} },
    webhookSubscriptions: ${JSON.stringify(subscriptions)},
    exec: async () => {},
    onWebhook: async (nango, payload) => {
        ${delayMs ? `await new Promise((resolve) => setTimeout(resolve, ${delayMs}));` : ''}
        await nango.batchSave([{ id: String(${get(paths.id)}), title: String(${get(paths.title)}) }], 'Item');
    }
};`;
    const deployed = await deploy(key, [
        {
            integration,
            name: 'items',
            type: 'sync',
            code,
            config: { description: 'Items from webhooks', frequency: 'every day', auto_start: false, webhook_subscriptions: subscriptions, models: { Item: { type: 'object' } } }
        }
    ]);
    expect(deployed.status, deployed.text).toBe(201);
}

export const ingressPath = (environmentId: string, integration: string) => `/webhook/${environmentId}/${integration}`;

/** Posts a body signed as the provider signs it; `tamper` changes the body after signing. */
export function sendSigned(environmentId: string, integration: string, scheme: WebhookSignature, secret: string, body: string, options: { headers?: Record<string, string>; tamper?: (body: string) => string; contentType?: string } = {}) {
    const path = ingressPath(environmentId, integration);
    const signed = signDelivery(scheme, secret, { method: 'POST', url: BASE + path, body }, Date.now());
    return call(path, { method: 'POST', body: options.tamper ? options.tamper(body) : body, headers: { 'content-type': options.contentType ?? 'application/json', ...signed, ...options.headers } });
}

/** The environment's logged webhook deliveries, once none is still being processed. */
export async function incomingOperations(key: string, count: number) {
    let ops: any[] = [];
    await vi.waitFor(
        async () => {
            ops = (await call('/logs?type=webhook', { key })).json.data.filter((o: { action: string }) => o.action === 'incoming');
            expect(ops.length).toBeGreaterThanOrEqual(count);
            expect(ops.every((o) => o.status !== 'running')).toBe(true);
        },
        { timeout: 20_000, interval: 100 }
    );
    return ops.reverse();
}

export async function recordsOf(key: string, integration: string, connectionId: string) {
    const res = await call('/records?model=Item', { key, headers: { 'connection-id': connectionId, 'provider-config-key': integration } });
    expect(res.status, res.text).toBe(200);
    return res.json.records as Record<string, any>[];
}
