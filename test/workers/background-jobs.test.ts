import { env } from 'cloudflare:workers';
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../workers/index.js';
import { admin, call, environmentWithIntegration } from './helpers.js';

async function connectionUids(environmentId: string): Promise<string[]> {
    const rows = await env.DB.prepare('SELECT uid FROM connections WHERE environment_id = ?').bind(environmentId).all<{ uid: string }>();
    return rows.results.map((r) => r.uid);
}

async function expectWiped(uid: string) {
    await runInDurableObject(env.CONNECTION.getByName(uid), (_instance, state) => {
        expect(state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray()).toEqual([]);
    });
}

async function seedConnections(count: number) {
    const environment = await environmentWithIntegration();
    for (let i = 0; i < count; i++) {
        const res = await call('/connections', {
            method: 'POST',
            key: environment.key,
            body: { provider_config_key: environment.integration, connection_id: `c${i}`, credentials: { type: 'API_KEY', apiKey: `sk-${i}` } }
        });
        expect(res.status).toBe(201);
    }
    return { ...environment, uids: await connectionUids(environment.id) };
}

const pendingPurges = async () => (await env.DB.prepare('SELECT count(*) AS n FROM connection_purges').first<number>('n')) ?? 0;

describe('connection purges through the queue', () => {
    it('wipes the storage of every connection of a deleted integration', async () => {
        const { key, id, integration, uids } = await seedConnections(3);
        expect(uids).toHaveLength(3);
        expect((await call(`/integrations/${integration}`, { method: 'DELETE', key })).status).toBe(200);
        expect(await connectionUids(id)).toEqual([]);
        await vi.waitFor(async () => expect(await pendingPurges()).toBe(0), { timeout: 10_000, interval: 200 });
        for (const uid of uids) await expectWiped(uid);
    });

    it('wipes everything of a deleted environment', async () => {
        const { name, id, uids } = await seedConnections(2);
        expect((await admin(`/environments/${name}`, { method: 'DELETE' })).status).toBe(200);
        expect(await connectionUids(id)).toEqual([]);
        await vi.waitFor(async () => expect(await pendingPurges()).toBe(0), { timeout: 10_000, interval: 200 });
        for (const uid of uids) await expectWiped(uid);
    });
});

describe('queue consumer', () => {
    it('acks a message it cannot read instead of retrying it forever', async () => {
        const batch = createMessageBatch('spoke-jobs', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { type: 'no_such_job' } }]);
        const ctx = createExecutionContext();
        await worker.queue(batch, env, ctx);
        const result = await getQueueResult(batch, ctx);
        expect(result.explicitAcks).toEqual(['m1']);
        expect(result.retryMessages).toEqual([]);
    });

    it('turns a dead-lettered job into a failed operation', async () => {
        const environment = await environmentWithIntegration();
        const batch = createMessageBatch('spoke-jobs-dlq', [
            { id: 'dead-1', timestamp: new Date(Date.now() - 60_000), attempts: 6, body: { type: 'purge_connections', environmentId: environment.id } }
        ]);
        const ctx = createExecutionContext();
        await worker.queue(batch, env, ctx);
        expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['dead-1']);
        const logs = (await call('/logs?type=job', { key: environment.key })).json.data;
        expect(logs).toHaveLength(1);
        expect(logs[0]).toMatchObject({ action: 'purge_connections', status: 'failed', error: { code: 'job_retries_exhausted' }, meta: { message_id: 'dead-1' } });
    });
});

describe('cron sweeps', () => {
    // A scheduled time on the hour, when every sweep is due.
    const onTheHour = Math.floor(Date.now() / 3_600_000) * 3_600_000;

    async function runCron() {
        const controller = createScheduledController({ scheduledTime: onTheHour, cron: '* * * * *' });
        const ctx = createExecutionContext();
        worker.scheduled(controller, env, ctx);
        await waitOnExecutionContext(ctx);
    }

    it('re-queues connection purges that have waited too long', async () => {
        const { uids } = await seedConnections(1);
        const uid = uids[0]!;
        // A purge whose first attempt was lost: the index row is gone but the storage is not.
        await env.DB.batch([
            env.DB.prepare('INSERT INTO connection_purges (uid, environment_id, requested_at, attempts) SELECT uid, environment_id, 0, 0 FROM connections WHERE uid = ?').bind(uid),
            env.DB.prepare('DELETE FROM connections WHERE uid = ?').bind(uid)
        ]);
        await runCron();
        await vi.waitFor(async () => expect(await pendingPurges()).toBe(0), { timeout: 10_000, interval: 200 });
        await expectWiped(uid);
    });

    it('deletions succeed when their purge job cannot be queued, and the sweep purges later', async () => {
        const first = await seedConnections(1);
        const send = vi.spyOn(env.JOBS, 'send').mockRejectedValue(new Error('queue unavailable'));
        expect((await call(`/integrations/${first.integration}`, { method: 'DELETE', key: first.key })).status).toBe(200);
        const second = await seedConnections(1);
        expect((await admin(`/environments/${second.name}`, { method: 'DELETE' })).status).toBe(200);
        send.mockRestore();
        const uids = [first.uids[0]!, second.uids[0]!];
        // Stale by now, as far as the sweep is concerned.
        expect((await env.DB.prepare('UPDATE connection_purges SET requested_at = 0 WHERE uid IN (?, ?)').bind(...uids).run()).meta.changes).toBe(2);
        await runCron();
        await vi.waitFor(async () => expect(await pendingPurges()).toBe(0), { timeout: 10_000, interval: 200 });
        for (const uid of uids) await expectWiped(uid);
    });

    it('prunes operations and finished webhook deliveries older than the retention period', async () => {
        const environment = await environmentWithIntegration();
        const old = Date.now() - 40 * 24 * 3_600_000;
        await env.DB.prepare("INSERT INTO operations (environment_id, type, action, status, started_at, ended_at, duration_ms) VALUES (?, 'integration', 'create', 'success', ?, ?, 0)")
            .bind(environment.id, old, old)
            .run();
        await vi.waitFor(async () => expect((await call('/logs', { key: environment.key })).json.data).toHaveLength(3));
        // The pending one waits for a later attempt, so the stranded-delivery sweep leaves it alone.
        const delivery = (status: string) =>
            env.DB.prepare(
                "INSERT INTO webhook_deliveries (id, environment_id, type, url, body, status, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, 'auth', 'https://a.example', '{}', ?, 1, ?, ?, ?)"
            )
                .bind(crypto.randomUUID(), environment.id, status, status === 'pending' ? Date.now() + 3_600_000 : null, old, old)
                .run();
        await delivery('delivered');
        await delivery('pending');
        await runCron();
        const remaining = (await call('/logs', { key: environment.key })).json.data;
        expect(remaining).toHaveLength(2);
        expect(remaining.every((o: { started_at: string }) => Date.parse(o.started_at) > old)).toBe(true);
        // Old finished deliveries go too; a pending one is still owed to the app.
        const left = await env.DB.prepare('SELECT status FROM webhook_deliveries WHERE environment_id = ?').bind(environment.id).all<{ status: string }>();
        expect(left.results.map((r) => r.status)).toEqual(['pending']);
    });
});
