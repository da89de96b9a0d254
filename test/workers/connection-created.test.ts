import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiEnvironment } from './api-environment.js';
import { createSession, fake } from './auth-helpers.js';
import { eventCaller, ITEMS_SYNC } from './functions/bundles.js';
import { deploy } from './functions/function-helpers.js';
import { call } from './helpers.js';

/** An integration whose new connections get a schedule and a queued `post-connection-creation` run. */
async function withFollowUp() {
    const environment = await apiEnvironment();
    const deployed = await deploy(environment.key, [
        { integration: 'api', name: 'welcome', type: 'on-event', code: eventCaller('post-connection-creation', '/welcome'), config: { description: 'w', event: 'post-connection-creation' } },
        { integration: 'api', name: 'items', type: 'sync', code: ITEMS_SYNC, config: { description: 'i', frequency: 'every day', auto_start: false, models: { Item: {} } } }
    ]);
    expect(deployed.status, deployed.text).toBe(201);
    const schedules = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM sync_schedules WHERE environment_id = ?').bind(environment.id).first<number>('n'))!;
    return { ...environment, schedules, welcomes: async () => (await fake.apiRequests(environment.scenario)).filter((r) => r.path === '/welcome').length };
}

/** The queue refuses the next message, as it may during an outage. */
const failNextJob = () => vi.spyOn(env.JOBS, 'send').mockRejectedValueOnce(new Error('queue unavailable'));

afterEach(() => vi.restoreAllMocks());

describe('a new connection’s follow-up', () => {
    it('an import whose follow-up fails leaves no connection, so a retry creates it with its schedules', async () => {
        const c = await withFollowUp();
        const before = await c.schedules();
        failNextJob();
        const body = { provider_config_key: 'api', connection_id: 'c2', credentials: { type: 'API_KEY', apiKey: 'k2' } };
        expect((await call('/connections', { method: 'POST', key: c.key, body })).status).toBe(500);
        expect((await call('/connections/c2?provider_config_key=api', { key: c.key })).status).toBe(404);
        expect(await c.schedules()).toBe(before);

        const retried = await call('/connections', { method: 'POST', key: c.key, body });
        expect(retried.status, retried.text).toBe(201);
        expect(await c.schedules()).toBe(before + 1);
        await vi.waitFor(async () => expect(await c.welcomes()).toBe(1), { timeout: 10_000, interval: 100 });
    });

    it('an end user’s authorization whose follow-up fails saves nothing', async () => {
        const c = await withFollowUp();
        const before = await c.schedules();
        failNextJob();
        const res = await call(`/api-auth/api-key/api?connect_session_token=${await createSession(c.key)}`, { method: 'POST', body: { apiKey: 'end-user-key' } });
        expect(res.status, res.text).toBe(500);
        expect((await call('/connections', { key: c.key })).json.connections.map((x: { connection_id: string }) => x.connection_id)).toEqual(['c1']);
        expect(await c.schedules()).toBe(before);
    });
});
