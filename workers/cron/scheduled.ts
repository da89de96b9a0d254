import { deleteExpiredOAuthSessions } from '../auth-flows/oauth-sessions.js';
import { deleteExpiredSessions } from '../connect/connect-sessions.js';
import { drainMessage, stalePurgeEnvironments } from '../connections/connection-purge.js';
import { queueDueRefreshes } from '../connections/refresh-sweep.js';
import { database } from '../db.js';
import { pruneActionRuns } from '../actions/action-runs.js';
import { rescheduleOverdue } from '../syncs/overdue-sweep.js';
import { pruneOperations } from '../operations/operation-log.js';
import { pruneDeliveries, requeueStrandedDeliveries } from '../webhooks/webhook-outbox.js';
import { dedupeWindowMs, pruneReceipts, strandedReceipts } from '../webhook-ingress/webhook-receipts.js';

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
        name: 'refresh idle connections whose tokens near expiry',
        everyMinutes: 5,
        run: async (env) => {
            const queued = await queueDueRefreshes(database(env), env);
            if (queued) console.log(`cron: queued ${queued} token refresh(es)`);
        }
    },
    {
        name: 'queue webhooks that missed the queue',
        everyMinutes: 5,
        run: async (env) => {
            const requeued = await requeueStrandedDeliveries(database(env), env, 10 * MINUTE);
            if (requeued) console.log(`cron: re-queued ${requeued} webhook delivery(ies)`);
        }
    },
    {
        name: 'hand overdue sync schedules to their connections again',
        everyMinutes: 5,
        run: async (env) => {
            const rescheduled = await rescheduleOverdue(database(env), env, Date.now());
            if (rescheduled) console.log(`cron: re-applied the sync schedules of ${rescheduled} connection(s)`);
        }
    },
    {
        name: 'queue provider webhooks that missed the queue, and forget old ones',
        everyMinutes: 5,
        run: async (env) => {
            const db = database(env);
            const stranded = await strandedReceipts(db, 5 * MINUTE);
            if (stranded.length) {
                await env.JOBS.sendBatch(stranded.map((s) => ({ body: { type: 'process_webhook', environmentId: s.environmentId, incomingId: s.id } })));
                console.log(`cron: re-queued ${stranded.length} provider webhook(s)`);
            }
            await pruneReceipts(db, Date.now(), dedupeWindowMs(env));
        }
    },
    {
        name: 'delete expired connect and OAuth sessions',
        everyMinutes: 60,
        run: async (env) => {
            const db = database(env);
            await Promise.all([deleteExpiredSessions(db), deleteExpiredOAuthSessions(db)]);
        }
    },
    {
        name: 'prune the operation log, the webhook delivery log and finished async actions',
        everyMinutes: 60,
        run: async (env) => {
            const days = Number(env.LOG_RETENTION_DAYS) || 30;
            const cutoff = Date.now() - days * DAY;
            const db = database(env);
            const [operations, deliveries, actions] = await Promise.all([pruneOperations(db, cutoff), pruneDeliveries(db, cutoff), pruneActionRuns(db, cutoff)]);
            if (operations || deliveries || actions) {
                console.log(`cron: pruned ${operations} operation(s), ${deliveries} webhook delivery(ies) and ${actions} async action result(s) older than ${days} days`);
            }
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
