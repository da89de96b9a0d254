import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SeenRecords } from '../../../durable-objects/seen-records.js';
import { nextSlot, SyncScheduler } from '../../../durable-objects/sync-scheduler.js';
import type { ScheduleConfig } from '../../../durable-objects/sync-types.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

/** The queue as the scheduler sees it: sent messages land in `sent`, or it refuses while `down`. */
interface FakeQueue {
    sent: Record<string, unknown>[];
    down: boolean;
}

/** A scheduler on a fresh connection object, sending to a list instead of the queue. */
async function withScheduler(test: (s: SyncScheduler, sent: Record<string, unknown>[], state: DurableObjectState, queue: FakeQueue) => Promise<void> | void) {
    const stub = env.CONNECTION.getByName(`scheduler-${crypto.randomUUID()}`);
    await stub.syncSnapshot('none', 'base'); // creates the object's tables
    await runInDurableObject(stub, async (_instance, state) => {
        const fake: FakeQueue = { sent: [], down: false };
        const queue = {
            send: async (body: Record<string, unknown>) => {
                if (fake.down) throw new Error('queue unavailable');
                fake.sent.push(body);
            }
        } as unknown as Queue;
        await test(new SyncScheduler(state.storage.sql, state.storage, queue, new SeenRecords(state.storage.sql)), fake.sent, state, fake);
    });
}

const config = (over: Partial<ScheduleConfig> = {}): ScheduleConfig => ({ syncName: 'issues', variant: 'base', integrationKey: 'github', frequencyMs: 5 * MINUTE, status: 'RUNNING', ...over });

describe('nextSlot', () => {
    it('keeps to the grid and skips missed slots', () => {
        expect(nextSlot(T0, MINUTE, T0 - 1)).toBe(T0);
        expect(nextSlot(T0, MINUTE, T0)).toBe(T0 + MINUTE);
        expect(nextSlot(T0, MINUTE, T0 + 10.5 * MINUTE)).toBe(T0 + 11 * MINUTE);
    });
});

describe('SyncScheduler', () => {
    it('starts a new running schedule at once and a paused one never; arms the alarm', async () => {
        await withScheduler(async (s, sent, state) => {
            const applied = await s.apply('env-1', 'uid-1', [config(), config({ syncName: 'prs', status: 'PAUSED' })], T0);
            expect(applied).toEqual(expect.arrayContaining([{ syncName: 'issues', variant: 'base', nextRunAt: T0 }, { syncName: 'prs', variant: 'base', nextRunAt: null }]));
            expect(await state.storage.getAlarm()).toBe(T0);
            await s.alarm(T0);
            expect(sent).toEqual([{ type: 'run_sync', environmentId: 'env-1', uid: 'uid-1', syncName: 'issues', variant: 'base', runId: expect.any(String), invocation: 1 }]);
            expect(s.snapshot('issues', 'base')).toMatchObject({ running: true, nextRunAt: null });
            expect(s.snapshot('prs', 'base')).toMatchObject({ running: false, nextRunAt: null });
        });
    });

    it('lets each invocation run once, continues interrupted runs, and schedules the next slot', async () => {
        await withScheduler(async (s, sent) => {
            await s.apply('env-1', 'uid-1', [config()], T0);
            await s.alarm(T0);
            const runId = sent[0]!['runId'] as string;
            const grant = s.begin('issues', 'base', runId, 1, T0 + 1000);
            expect(grant).toMatchObject({ integrationKey: 'github', runStartedAt: T0, flags: {}, lastSyncDate: null, operationId: null });
            expect(s.begin('issues', 'base', runId, 1, T0 + 2000)).toBeNull();
            s.attachOperation('issues', 'base', runId, 42);

            expect(await s.continueRun('issues', 'base', runId, 1, T0 + 3000)).toBe(true);
            expect(sent[1]).toMatchObject({ runId, invocation: 2 });
            expect(s.begin('issues', 'base', runId, 2, T0 + 4000)).toMatchObject({ operationId: 42 });
            // The run is not over: a due slot must not start a second one.
            await s.alarm(T0 + 6 * MINUTE);
            expect(sent).toHaveLength(2);

            const end = await s.finish('issues', 'base', runId, true, T0 + 7 * MINUTE);
            // Slots at T0+5 and T0+10: the missed one is skipped.
            expect(end).toEqual({ nextRunAt: T0 + 10 * MINUTE, checkpointTo: null, invocations: 2 });
            expect(await s.finish('issues', 'base', runId, true, T0 + 7 * MINUTE)).toBeNull();
            await s.alarm(T0 + 10 * MINUTE);
            const second = sent[2]!;
            expect(s.begin('issues', 'base', second['runId'] as string, 1, T0 + 10 * MINUTE)).toMatchObject({ lastSyncDate: T0 });
        });
    });

    it('queues a trigger that arrives during a run, and applies reset to the checkpoint', async () => {
        await withScheduler(async (s, sent, state) => {
            await s.apply('env-1', 'uid-1', [config({ status: 'PAUSED' })], T0);
            state.storage.sql.exec("INSERT INTO checkpoints (key, value, updated_at) VALUES ('sync:issues:base', '{\"page\":3}', 0)");
            expect(await s.trigger('issues', 'base', {}, T0)).toBe(true);
            const first = sent[0]!['runId'] as string;
            expect(s.begin('issues', 'base', first, 1, T0)).toMatchObject({ checkpointFrom: '{"page":3}' });
            expect(await s.trigger('issues', 'base', { reset: true }, T0 + 1)).toBe(true);
            expect(sent).toHaveLength(1);
            const end = await s.finish('issues', 'base', first, true, T0 + 2);
            expect(end?.nextRunAt).toBe(T0 + 2);
            expect(sent).toHaveLength(2);
            const grant = s.begin('issues', 'base', sent[1]!['runId'] as string, 1, T0 + 3);
            expect(grant).toMatchObject({ flags: { reset: true }, lastSyncDate: null, checkpointFrom: null });
            expect(s.snapshot('issues', 'base')?.checkpoint).toBeNull();
            expect(await s.trigger('unknown', 'base', {}, T0)).toBe(false);
        });
    });

    it('frees the slot of a lost run at its lease and reports it', async () => {
        await withScheduler(async (s, sent) => {
            await s.apply('env-1', 'uid-1', [config()], T0);
            await s.alarm(T0);
            const runId = sent[0]!['runId'] as string;
            s.begin('issues', 'base', runId, 1, T0);
            await s.alarm(T0 + 15 * MINUTE);
            expect(sent).toHaveLength(1);
            await s.alarm(T0 + 17 * MINUTE);
            expect(sent[1]).toMatchObject({ type: 'sync_run_lost', runId, syncName: 'issues', initial: true, nextRunAt: T0 + 20 * MINUTE });
            expect(s.snapshot('issues', 'base')).toMatchObject({ running: false, nextRunAt: T0 + 20 * MINUTE });
            expect(await s.finish('issues', 'base', runId, true, T0 + 18 * MINUTE)).toBeNull();
        });
    });

    it('still runs a trigger that came in during a run that got lost, with its flags', async () => {
        await withScheduler(async (s, sent) => {
            await s.apply('env-1', 'uid-1', [config({ status: 'PAUSED' })], T0);
            await s.trigger('issues', 'base', {}, T0);
            s.begin('issues', 'base', sent[0]!['runId'] as string, 1, T0);
            await s.trigger('issues', 'base', { reset: true }, T0 + MINUTE);
            await s.alarm(T0 + 17 * MINUTE);
            expect(sent[1]).toMatchObject({ type: 'sync_run_lost', nextRunAt: T0 + 17 * MINUTE });
            expect(sent[2]).toMatchObject({ type: 'run_sync', invocation: 1 });
            expect(s.begin('issues', 'base', sent[2]!['runId'] as string, 1, T0 + 17 * MINUTE)).toMatchObject({ flags: { reset: true } });
        });
    });

    it('follows changes: frequency, pause, removal (after the run under way)', async () => {
        await withScheduler(async (s, sent, state) => {
            await s.apply('env-1', 'uid-1', [config()], T0);
            await s.alarm(T0);
            const runId = sent[0]!['runId'] as string;
            await s.finish('issues', 'base', runId, true, T0 + MINUTE);
            expect(s.snapshot('issues', 'base')?.nextRunAt).toBe(T0 + 5 * MINUTE);
            const [faster] = await s.apply('env-1', 'uid-1', [config({ frequencyMs: MINUTE })], T0 + 90_000);
            expect(faster?.nextRunAt).toBe(T0 + 2 * MINUTE);
            await s.apply('env-1', 'uid-1', [config({ status: 'PAUSED' })], T0 + 100_000);
            expect(s.snapshot('issues', 'base')?.nextRunAt).toBeNull();
            await s.trigger('issues', 'base', {}, T0 + 110_000);
            const running = sent[1]!['runId'] as string;
            expect(await s.apply('env-1', 'uid-1', [], T0 + 120_000)).toEqual([]);
            expect(s.snapshot('issues', 'base')).toMatchObject({ running: true });
            const seen = new SeenRecords(state.storage.sql);
            seen.start('issues', 'Issue', 'base', T0);
            await s.finish('issues', 'base', running, true, T0 + 130_000);
            expect(s.snapshot('issues', 'base')).toBeNull();
            // A sync deployed again later starts its delete tracking afresh.
            expect(seen.isTracking('Issue', 'base')).toBe(false);
        });
    });

    it('keeps what any trigger during a run asked for: a plain trigger does not cancel a queued reset', async () => {
        await withScheduler(async (s, sent) => {
            await s.apply('env-1', 'uid-1', [config({ status: 'PAUSED' })], T0);
            await s.trigger('issues', 'base', {}, T0);
            const first = sent[0]!['runId'] as string;
            s.begin('issues', 'base', first, 1, T0);
            await s.trigger('issues', 'base', { reset: true }, T0 + 1);
            // As POST /sync/trigger sends a trigger without options.
            await s.trigger('issues', 'base', { reset: false, emptyCache: false }, T0 + 2);
            await s.finish('issues', 'base', first, true, T0 + 3);
            expect(s.begin('issues', 'base', sent[1]!['runId'] as string, 1, T0 + 4)).toMatchObject({ flags: { reset: true } });
        });
    });

    it('loses nothing when the queue refuses: a lost run is reported later, a follow-up run starts later', async () => {
        await withScheduler(async (s, sent, _state, queue) => {
            await s.apply('env-1', 'uid-1', [config()], T0);
            await s.alarm(T0);
            const runId = sent[0]!['runId'] as string;
            s.begin('issues', 'base', runId, 1, T0);
            await s.trigger('issues', 'base', { emptyCache: true }, T0 + 1);

            // The finish of the run under way: its follow-up can't be queued, yet the run's end is answered.
            queue.down = true;
            expect(await s.finish('issues', 'base', runId, true, T0 + 2)).toMatchObject({ nextRunAt: T0 + 2 });
            expect(s.snapshot('issues', 'base')).toMatchObject({ running: false, nextRunAt: T0 + 2 });
            queue.down = false;
            await s.alarm(T0 + 3);
            const followUp = sent[1]!['runId'] as string;
            expect(s.begin('issues', 'base', followUp, 1, T0 + 3)).toMatchObject({ flags: { emptyCache: true } });

            // That run is then lost while the queue is down: it stays held until it can be reported.
            queue.down = true;
            await expect(s.alarm(T0 + 20 * MINUTE)).rejects.toThrow('queue unavailable');
            expect(s.snapshot('issues', 'base')?.running).toBe(true);
            queue.down = false;
            await s.alarm(T0 + 21 * MINUTE);
            expect(sent[2]).toMatchObject({ type: 'sync_run_lost', runId: followUp });
            expect(s.snapshot('issues', 'base')?.running).toBe(false);
        });
    });
});
