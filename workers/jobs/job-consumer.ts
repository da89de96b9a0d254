import { abandonAsyncAction, processAsyncAction } from '../actions/async-actions.js';
import { drainMessage, drainPurges } from '../connections/connection-purge.js';
import { refreshIfDue } from '../connections/refresh-sweep.js';
import { database } from '../db.js';
import { runPostCreation } from '../functions/connection-events.js';
import { runContext } from '../functions/run-context.js';
import { applyScheduleJob } from '../syncs/apply-schedule-job.js';
import { recordEndedRun, runSyncInvocation } from '../syncs/run-sync.js';
import { triggerTargets } from '../syncs/sync-control.js';
import { recordOperation } from '../operations/operation-log.js';
import { processIncomingWebhook } from '../webhook-ingress/process-webhook.js';
import { jobMessageSchema, type JobMessage } from './job-messages.js';

/** Runs a job; a number asks for the message again after that many seconds. */
async function runJob(env: Env, ctx: ExecutionContext, job: JobMessage): Promise<number | null> {
    const db = database(env);
    switch (job.type) {
        case 'purge_connections':
            if (await drainPurges(db, env, job.environmentId)) await env.JOBS.send(drainMessage(job.environmentId));
            return null;
        case 'refresh_connection':
            await refreshIfDue(db, env, job.uid);
            return null;
        case 'connection_created':
            await runPostCreation(runContext(env, ctx), job);
            return null;
        case 'run_sync':
            await runSyncInvocation(runContext(env, ctx), job);
            return null;
        case 'sync_run_lost':
        case 'sync_run_end':
            await recordEndedRun(env, job);
            return null;
        case 'apply_schedules':
            await applyScheduleJob(db, env, job);
            return null;
        case 'trigger_syncs':
            await triggerTargets(db, env, job.environmentId, job.targets, job.flags);
            return null;
        case 'process_webhook':
            await processIncomingWebhook(runContext(env, ctx), job.incomingId);
            return null;
        case 'run_action':
            return (await processAsyncAction(runContext(env, ctx), job.runId))?.retryInSeconds ?? null;
    }
}

/**
 * Consumer of the JOBS queue. A batch's jobs run side by side (an action may take minutes and must
 * not hold up the rest); each message is acked or retried on its own.
 */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
    await Promise.all(
        batch.messages.map(async (message) => {
            const parsed = jobMessageSchema.safeParse(message.body);
            if (!parsed.success) {
                // Retrying a message we cannot read would only fill the dead-letter queue with it.
                console.error(`job ${message.id}: unreadable message dropped`, parsed.error.issues);
                message.ack();
                return;
            }
            try {
                const retryIn = await runJob(env, ctx, parsed.data);
                if (retryIn === null) message.ack();
                else message.retry({ delaySeconds: retryIn });
            } catch (error) {
                console.error(`job ${message.id} (${parsed.data.type}) failed, attempt ${message.attempts}`, error);
                message.retry({ delaySeconds: Math.min(2 ** message.attempts, 300) });
            }
        })
    );
}

/** Consumer of the dead-letter queue: a job that exhausted its retries becomes a failed operation. */
export async function recordDeadJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    const db = database(env);
    for (const message of batch.messages) {
        const parsed = jobMessageSchema.safeParse(message.body);
        const now = Date.now();
        if (parsed.success) {
            if (parsed.data.type === 'run_action') await abandonAsyncAction(env, parsed.data.runId);
            await recordOperation(db, {
                environmentId: parsed.data.environmentId,
                type: 'job',
                action: parsed.data.type,
                status: 'failed',
                error: { code: 'job_retries_exhausted', message: `Gave up after ${message.attempts} attempts` },
                meta: { message_id: message.id },
                startedAt: message.timestamp.getTime(),
                endedAt: now
            });
        } else {
            console.error(`dead-letter ${message.id}: unreadable message`, message.body);
        }
        message.ack();
    }
}
