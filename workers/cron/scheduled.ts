import { drainMessage, stalePurgeEnvironments } from '../connections/connection-purge.js';
import { database } from '../db.js';
import { pruneOperations } from '../operations/operation-log.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The single cron trigger fires every minute; each sweep runs when its own interval is due, so
 * adding a sweep needs no new trigger (accounts have a limited number).
 */
const SWEEPS: { name: string; everyMinutes: number; run: (env: Env) => Promise<void> }[] = [
    {
        name: 'retry stale connection purges',
        everyMinutes: 5,
        run: async (env) => {
            const environments = await stalePurgeEnvironments(database(env), 10 * MINUTE);
            if (!environments.length) return;
            await env.JOBS.sendBatch(environments.map((id) => ({ body: drainMessage(id) })));
            console.log(`cron: re-queued connection purges of ${environments.length} environment(s)`);
        }
    },
    {
        name: 'prune the operation log',
        everyMinutes: 60,
        run: async (env) => {
            const days = Number(env.LOG_RETENTION_DAYS) || 30;
            const pruned = await pruneOperations(database(env), Date.now() - days * DAY);
            if (pruned) console.log(`cron: pruned ${pruned} operation(s) older than ${days} days`);
        }
    }
];

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
    const minute = Math.floor(controller.scheduledTime / MINUTE);
    const due = SWEEPS.filter((s) => minute % s.everyMinutes === 0);
    const results = await Promise.allSettled(due.map((s) => s.run(env)));
    results.forEach((r, i) => {
        if (r.status === 'rejected') console.error(`cron: ${due[i]!.name} failed`, r.reason);
    });
}
