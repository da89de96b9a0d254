import { and, eq } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import { database } from '../db.js';
import { finishOperationStatement } from '../operations/operation-log.js';
import { clearRunCounts, runCounts } from '../records/run-counts.js';
import { deliveryInserts, queueDeliveries } from '../webhooks/webhook-outbox.js';
import { getWebhookSettings } from '../webhooks/webhook-settings.js';
import { recordCountsAfter } from './record-counts.js';
import { emptyCounts, type ModelCounts, syncWebhooks } from './sync-webhook.js';

export interface RunSummary {
    environmentId: string;
    uid: string;
    connectionId: string;
    integrationKey: string;
    syncName: string;
    variant: string;
    runId: string;
    runStartedAt: number;
    operationId: number | null;
    /** No successful run before this one (or it reset): its webhooks say INITIAL. */
    initial: boolean;
    /** The run emptied the cache first: stored counts start from zero. */
    emptied: boolean;
    models: string[];
    checkpointFrom: string | null;
    checkpointTo: string | null;
    nextRunAt: number | null;
    /** Invocations the run took; null when it was lost. */
    invocations: number | null;
    records: D1Database;
    urlOverride: string | null;
    outcome: { ok: true } | { ok: false; error: { type: string; message: string; payload?: unknown } };
}

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

/**
 * Records how a sync run ended, in one transaction: the run's operation, the app's `sync`
 * webhooks, and the schedule's status and record counts for `GET /sync/status`. The counts were
 * written with the records. Until that transaction commits nothing of the end is recorded, so a
 * caller that fails can have it recorded again (the `sync_run_end` job).
 */
export async function recordRunEnd(env: Env, run: RunSummary): Promise<Record<string, ModelCounts>> {
    const db = database(env);
    const finishedAt = Date.now();
    const [stored, settings] = await Promise.all([runCounts(run.records, run.runId), getWebhookSettings(db, run.environmentId)]);
    const counts: Record<string, ModelCounts> = Object.fromEntries(run.models.map((model) => [model, { ...emptyCounts(), ...stored[model] }]));
    const error = run.outcome.ok ? null : run.outcome.error;
    const checkpoints = run.checkpointFrom === null && run.checkpointTo === null ? null : { from: parse(run.checkpointFrom), to: parse(run.checkpointTo) };
    const events = syncWebhooks(
        {
            integrationKey: run.integrationKey,
            connectionId: run.connectionId,
            syncName: run.syncName,
            variant: run.variant,
            syncType: run.initial ? 'INITIAL' : 'INCREMENTAL',
            startedAt: run.runStartedAt,
            finishedAt,
            checkpoints,
            urlOverride: run.urlOverride
        },
        counts,
        error && { type: error.type, description: error.message, ...(error.payload !== undefined && { payload: error.payload }) }
    );
    const deliveries = deliveryInserts(db, settings, run.environmentId, events);
    const schedule = db
        .update(syncSchedules)
        .set({
            runningSince: null,
            nextRunAt: run.nextRunAt,
            lastRunStatus: error ? 'ERROR' : 'SUCCESS',
            lastRunAt: finishedAt,
            lastError: error ? { type: error.type, message: error.message } : null,
            latestResult: counts as unknown as Record<string, Record<string, number>>,
            recordCounts: recordCountsAfter(Object.fromEntries(Object.entries(counts).map(([model, c]) => [model, c.added - c.deleted])), run.emptied),
            ...(!error && { lastSyncDate: run.runStartedAt }),
            updatedAt: finishedAt
        })
        .where(and(eq(syncSchedules.connectionUid, run.uid), eq(syncSchedules.syncName, run.syncName), eq(syncSchedules.variant, run.variant)));
    const operation =
        run.operationId === null
            ? []
            : [
                  finishOperationStatement(db, run.operationId, {
                      status: error ? 'failed' : 'success',
                      ...(error && { error: { code: error.type, message: error.message } }),
                      meta: {
                          function: run.syncName,
                          kind: 'sync',
                          variant: run.variant,
                          run_id: run.runId,
                          results: counts,
                          ...(run.invocations !== null && { invocations: run.invocations }),
                          ...(checkpoints && { checkpoints })
                      },
                      startedAt: run.runStartedAt
                  })
              ];
    // The schedule's status changes with the rest: whoever sees the run finished finds its operation and webhooks.
    await db.batch([schedule, ...operation, ...deliveries.statements]);
    // Recorded. A queue failure leaves the deliveries pending for the sweep; a failed clear leaves a few count rows no one reads.
    await queueDeliveries(env, deliveries.ids).catch((e: unknown) => console.error(`sync ${run.syncName}: queueing its webhooks failed; the sweep will`, e));
    await clearRunCounts(run.records, run.runId).catch((e: unknown) => console.error(`sync ${run.syncName}: clearing its run counts failed`, e));
    return counts;
}
