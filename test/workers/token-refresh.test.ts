import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { queueDueRefreshes, refreshIfDue } from '../../workers/connections/refresh-sweep.js';
import { database } from '../../workers/db.js';
import worker from '../../workers/index.js';
import type { OAuthScenario } from '../support/fake-upstream-scenarios.js';
import { authorize, createSession, fake, oauthEnvironment, receivedWebhooks } from './auth-helpers.js';
import { call, expectError } from './helpers.js';

/** A connection authorized through the fake provider, then given an expiry of our choosing. */
async function connection(oauth: Partial<OAuthScenario> = {}, expiresInMs: number | null = -60_000) {
    const environment = await oauthEnvironment({ oauth });
    await authorize(environment.scenario, await createSession(environment.key));
    const [listed] = (await call('/connections', { key: environment.key })).json.connections;
    const id = listed.connection_id as string;
    const get = (query = '') => call(`/connections/${id}?provider_config_key=fake${query}`, { key: environment.key });
    const credentials = (await get('&refresh_token=true')).json.credentials;
    // Re-import the same tokens with the expiry the test needs.
    const { expires_at: _expiresAt, ...rest } = credentials;
    const imported = await call('/connections', {
        method: 'POST',
        key: environment.key,
        body: { provider_config_key: 'fake', connection_id: id, credentials: { ...rest, ...(expiresInMs !== null && { expires_at: new Date(Date.now() + expiresInMs).toISOString() }) } }
    });
    expect(imported.status, imported.text).toBe(201);
    const refreshes = async () => (await fake.state(environment.scenario)).counts.refresh;
    return { ...environment, id, get, credentials, refreshes };
}

/** What the refresh sweep reads from the D1 index. */
const indexed = (connectionId: string) =>
    env.DB.prepare('SELECT uid, refresh_due_at AS dueAt FROM connections WHERE connection_id = ?').bind(connectionId).first<{ uid: string; dueAt: number | null }>();

describe('token refresh', () => {
    // What counts is the one upstream call, not how fast 200 reads go on a busy machine.
    it('makes exactly one upstream call for 200 concurrent reads of an expired token', { timeout: 30_000 }, async () => {
        const c = await connection({ tokenDelayMs: 100 });
        const results = await Promise.all(Array.from({ length: 200 }, () => c.get()));
        expect(results.map((r) => r.status)).toEqual(Array(200).fill(200));
        const tokens = new Set(results.map((r) => r.json.credentials.access_token));
        expect(tokens.size).toBe(1);
        expect([...tokens][0]).not.toBe(c.credentials.access_token);
        expect(await c.refreshes()).toBe(1);
        expect(Date.parse(results[0]!.json.credentials.expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
        const logs = (await call('/logs?type=auth&status=success', { key: c.key })).json.data;
        expect(logs.filter((l: { action: string }) => l.action === 'refresh')).toHaveLength(1);
    });

    it('keeps the old refresh token when none comes back, and takes a rotated one', async () => {
        const kept = await connection();
        await kept.get();
        expect((await kept.get('&refresh_token=true')).json.credentials.refresh_token).toBe(kept.credentials.refresh_token);

        const rotated = await connection({ rotateRefreshToken: true });
        await rotated.get();
        const after = (await rotated.get('&refresh_token=true')).json.credentials.refresh_token;
        expect(after).toMatch(/^refresh_/);
        expect(after).not.toBe(rotated.credentials.refresh_token);
        // The new refresh token works for the next refresh (the fake forgot the old one).
        expect((await rotated.get('&force_refresh=true')).status).toBe(200);
        expect(await rotated.refreshes()).toBe(2);
    });

    it('refreshes within the margin, never for tokens without expiry, and always when forced', async () => {
        const soon = await connection({}, 10 * 60_000);
        await soon.get();
        expect(await soon.refreshes()).toBe(1);

        const later = await connection({}, 60 * 60_000);
        await later.get();
        expect(await later.refreshes()).toBe(0);

        const never = await connection({}, null);
        expect((await never.get()).json.credentials).not.toHaveProperty('expires_at');
        expect(await never.refreshes()).toBe(0);
        const forced = await never.get('&force_refresh=true');
        expect(forced.json.credentials.access_token).not.toBe(never.credentials.access_token);
        expect(await never.refreshes()).toBe(1);
    });

    it('counts failures, backs off, reports them signed, and recovers on success', async () => {
        const c = await connection();
        await fake.oauth(c.scenario, { clientId: 'fake-client', clientSecret: 'fake-client-secret', refreshFailure: { status: 503, error: 'temporarily_unavailable' } });
        const failed = await c.get();
        expectError(failed, 424, 'invalid_credentials');
        expect(failed.json.error.message).toContain('temporarily_unavailable');
        expect(failed.json.error.payload).toMatchObject({ connection_id: c.id, provider_config_key: 'fake' });
        expectError(await c.get(), 424, 'connection_refresh_backoff');
        expect(await c.refreshes()).toBe(1);

        const hooks = await receivedWebhooks(c.scenario, 2);
        const refresh = hooks.find((h) => h.payload['operation'] === 'refresh')!;
        expect(refresh.verified).toBe(true);
        expect(refresh.payload).toMatchObject({ type: 'auth', success: false, connectionId: c.id, error: { type: 'refresh_token_error' } });

        const listed = (await call(`/connections?connectionId=${c.id}`, { key: c.key })).json.connections[0];
        expect(listed.errors).toEqual([{ type: 'auth', log_id: expect.any(String) }]);
        const logs = (await call('/logs?type=auth&status=failed', { key: c.key })).json.data;
        expect(logs[0]).toMatchObject({ id: listed.errors[0].log_id, action: 'refresh', connection_id: c.id, error: { code: 'refresh_failed' } });

        await fake.oauth(c.scenario, { clientId: 'fake-client', clientSecret: 'fake-client-secret' });
        const recovered = await c.get('&force_refresh=true');
        expect(recovered.status, recovered.text).toBe(200);
        expect((await call(`/connections?connectionId=${c.id}`, { key: c.key })).json.connections[0].errors).toEqual([]);
        expect((await c.get()).status).toBe(200);
    });

    it('serves a token that still works when refreshing it fails', async () => {
        const c = await connection({ refreshFailure: { status: 500, error: 'server_error' } }, 5 * 60_000);
        const res = await c.get();
        expect(res.status).toBe(200);
        expect(res.json.credentials.access_token).toBe(c.credentials.access_token);
        expect(await c.refreshes()).toBe(1);
    });

    it('stops refreshing automatically after a permanent refusal', async () => {
        const c = await connection({ refreshFailure: { status: 400, error: 'invalid_grant' } });
        expectError(await c.get(), 424, 'invalid_credentials');
        const exhausted = await c.get();
        expectError(exhausted, 424, 'invalid_credentials');
        expect(exhausted.json.error.message).toContain('Automatic refresh stopped');
        expect(await c.refreshes()).toBe(1);
        expect((await indexed(c.id))!.dueAt).toBeNull();
        // A forced refresh still tries.
        expectError(await c.get('&force_refresh=true'), 424, 'invalid_credentials');
        expect(await c.refreshes()).toBe(2);
    });

    it('stops refreshing automatically after 5 transient failures in a row, and says so', async () => {
        const c = await connection({ refreshFailure: { status: 503, error: 'temporarily_unavailable' } });
        // Forced reads skip the backoff, so each one is a failure counted at once.
        for (let i = 0; i < 4; i++) expectError(await c.get('&force_refresh=true'), 424, 'invalid_credentials');
        const beforeLast = await c.get();
        expectError(beforeLast, 424, 'connection_refresh_backoff');
        expectError(await c.get('&force_refresh=true'), 424, 'invalid_credentials');
        expect(await c.refreshes()).toBe(5);

        const exhausted = await c.get();
        expectError(exhausted, 424, 'invalid_credentials');
        expect(exhausted.json.error.message).toContain('Automatic refresh stopped after 5 failures');
        expect(await c.refreshes()).toBe(5);
        expect((await indexed(c.id))!.dueAt).toBeNull();

        const failures = (await call('/logs?type=auth&status=failed', { key: c.key })).json.data.filter((l: { action: string }) => l.action === 'refresh');
        expect(failures.map((l: { error: { code: string } }) => l.error.code).sort()).toEqual(['refresh_exhausted', ...Array(4).fill('refresh_failed')]);
        const hooks = await receivedWebhooks(c.scenario, 6);
        const errors = hooks.filter((h) => h.payload['operation'] === 'refresh').map((h) => h.payload['error'].type);
        expect(errors.sort()).toEqual(['refresh_exhausted', ...Array(4).fill('refresh_token_error')]);
    });

    describe('a refresh overtaken by new credentials or a deletion is dropped', () => {
        /** A connection whose next refresh takes a second, started but not finished. */
        async function slowRefresh(oauth: Partial<OAuthScenario> = {}) {
            const c = await connection();
            await fake.oauth(c.scenario, { clientId: 'fake-client', clientSecret: 'fake-client-secret', tokenDelayMs: 1000, ...oauth });
            const reading = c.get();
            await new Promise((resolve) => setTimeout(resolve, 300));
            return { ...c, reading };
        }
        const reimport = (c: { key: string; id: string }) =>
            call('/connections', {
                method: 'POST',
                key: c.key,
                body: { provider_config_key: 'fake', connection_id: c.id, credentials: { type: 'OAUTH2', access_token: 'imported', refresh_token: 'imported-refresh', expires_at: new Date(Date.now() + 3_600_000).toISOString() } }
            });

        it('keeps credentials imported while the refresh was under way', async () => {
            const c = await slowRefresh();
            expect((await reimport(c)).status).toBe(201);
            const read = await c.reading;
            expect(read.status, read.text).toBe(200);
            expect(read.json.credentials.access_token).toBe('imported');
            expect(await c.refreshes()).toBe(1);
            expect((await c.get('&refresh_token=true')).json.credentials).toMatchObject({ access_token: 'imported', refresh_token: 'imported-refresh' });
        });

        it('does not count a failure of the old credentials against the new ones', async () => {
            const c = await slowRefresh({ refreshFailure: { status: 400, error: 'invalid_grant' } });
            expect((await reimport(c)).status).toBe(201);
            expect((await c.reading).json.credentials.access_token).toBe('imported');
            expect(await c.refreshes()).toBe(1);
            // Due again ahead of the imported token's expiry, an hour away: the old failure left no trace.
            expect((await indexed(c.id))!.dueAt).toBeGreaterThan(Date.now() + 30 * 60_000);
            expect((await call(`/connections?connectionId=${c.id}`, { key: c.key })).json.connections[0].errors).toEqual([]);
        });

        it('does not bring back a deleted connection’s credentials', async () => {
            const c = await slowRefresh();
            const uid = (await env.DB.prepare('SELECT uid FROM connections WHERE connection_id = ?').bind(c.id).first<string>('uid'))!;
            expect((await call(`/connections/${c.id}?provider_config_key=fake`, { method: 'DELETE', key: c.key })).status).toBe(200);
            await c.reading;
            expect(await c.refreshes()).toBe(1);
            expect(await env.CONNECTION.getByName(uid).readSecrets(uid)).toBeNull();
        });
    });

    it('refreshes idle connections nearing expiry from the cron sweep', async () => {
        const c = await connection({}, 10 * 60_000);
        const controller = createScheduledController({ scheduledTime: Math.floor(Date.now() / 3_600_000) * 3_600_000, cron: '* * * * *' });
        const ctx = createExecutionContext();
        worker.scheduled(controller, env, ctx);
        await waitOnExecutionContext(ctx);
        // The index learns the new expiry after the provider answered: wait for both.
        await vi.waitFor(
            async () => {
                expect(await c.refreshes()).toBe(1);
                // The new token lives an hour: due again 20 minutes before that.
                expect((await indexed(c.id))!.dueAt).toBeGreaterThan(Date.now() + 30 * 60_000);
            },
            { timeout: 10_000, interval: 200 }
        );
    });

    describe('the refresh sweep', () => {
        /** The connections the sweep would queue, in its order, among the given uids. */
        async function sweep(among: string[]) {
            const queued: string[] = [];
            const JOBS = { sendBatch: async (messages: { body: { uid: string } }[]) => void queued.push(...messages.map((m) => m.body.uid)) };
            await queueDueRefreshes(database(env), { ...env, JOBS } as unknown as Env);
            return queued.filter((uid) => among.includes(uid));
        }

        it('queues only connections it can refresh now, the most urgent first', async () => {
            const dueLater = await connection({}, 15 * 60_000);
            const dueFirst = await connection({}, 5 * 60_000);
            const fresh = await connection({}, 60 * 60_000);
            // An OAuth token that expires but has no refresh token can never be refreshed.
            const stuck = await connection();
            const { refresh_token: _none, ...withoutRefresh } = stuck.credentials;
            const imported = await call('/connections', {
                method: 'POST',
                key: stuck.key,
                body: { provider_config_key: 'fake', connection_id: stuck.id, credentials: { ...withoutRefresh, expires_at: new Date(Date.now() - 60_000).toISOString() } }
            });
            expect(imported.status, imported.text).toBe(201);
            const backingOff = await connection({ refreshFailure: { status: 503, error: 'temporarily_unavailable' } });
            expectError(await backingOff.get(), 424, 'invalid_credentials');
            const givenUp = await connection({ refreshFailure: { status: 400, error: 'invalid_grant' } });
            expectError(await givenUp.get(), 424, 'invalid_credentials');

            const uids = await Promise.all([dueLater, dueFirst, fresh, stuck, backingOff, givenUp].map(async (c) => (await indexed(c.id))!.uid));
            const [later, first] = uids;
            expect(await sweep(uids)).toEqual([first, later]);
            expect((await indexed(stuck.id))!.dueAt).toBeNull();
            expect((await indexed(givenUp.id))!.dueAt).toBeNull();
            // Back after the first backoff (30 s).
            expect((await indexed(backingOff.id))!.dueAt).toBeGreaterThan(Date.now());
        });

        it('corrects the index when it asks for a refresh the connection cannot make', async () => {
            const stuck = await connection();
            const { refresh_token: _none, ...withoutRefresh } = stuck.credentials;
            await call('/connections', { method: 'POST', key: stuck.key, body: { provider_config_key: 'fake', connection_id: stuck.id, credentials: withoutRefresh } });
            const backingOff = await connection({ refreshFailure: { status: 503, error: 'temporarily_unavailable' } });
            expectError(await backingOff.get(), 424, 'invalid_credentials');
            const backoffEnds = (await indexed(backingOff.id))!.dueAt;
            // An index row from before due times were kept, or otherwise out of step with its object.
            await env.DB.prepare('UPDATE connections SET refresh_due_at = 0 WHERE connection_id IN (?, ?)').bind(stuck.id, backingOff.id).run();

            for (const c of [stuck, backingOff]) await refreshIfDue(database(env), env, (await indexed(c.id))!.uid);
            expect((await indexed(stuck.id))!.dueAt).toBeNull();
            expect((await indexed(backingOff.id))!.dueAt).toBe(backoffEnds);
            expect(await stuck.refreshes()).toBe(0);
            expect(await backingOff.refreshes()).toBe(1);
        });
    });
});
