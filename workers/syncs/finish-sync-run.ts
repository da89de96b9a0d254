import { and, eq } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import { database } from '../db.js';
import { finishOperation } from '../operations/operation-log.js';
import { clearRunCounts, runCounts } from '../records/run-counts.js';
import { emitWebhook } from '../webhooks/webhook-outbox.js';
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
 * Records how a sync run ended: its exact counts (written with its records), the run's operation,
 * the app's `sync` webhooks, and the schedule's status for `GET /sync/status`.
 */
export async function recordRunEnd(env: Env, run: RunSummary): Promise<Record<string, ModelCounts>> {
    const db = database(env);
    const finishedAt = Date.now();
    const stored = await runCounts(run.records, run.runId);
    const counts: Record<string, ModelCounts> = Object.fromEntries(run.models.map((model) => [model, { ...emptyCounts(), ...stored[model] }]));
    const [schedule] = await db
        .select({ recordCounts: syncSchedules.recordCounts })
        .from(syncSchedules)
        .where(and(eq(syncSchedules.connectionUid, run.uid), eq(syncSchedules.syncName, run.syncName), eq(syncSchedules.variant, run.variant)))
        .limit(1);
    const totals: Record<string, number> = run.emptied ? {} : { ...schedule?.recordCounts };
    for (const [model, c] of Object.entries(counts)) totals[model] = Math.max(0, (totals[model] ?? 0) + c.added - c.deleted);
    const error = run.outcome.ok ? null : run.outcome.error;
    const checkpoints = run.checkpointFrom === null && run.checkpointTo === null ? null : { from: parse(run.checkpointFrom), to: parse(run.checkpointTo) };
    if (run.operationId !== null) {
        await finishOperation(db, run.operationId, {
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
        });
    }
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
    for (const event of events) await emitWebhook(db, env, run.environmentId, event);
    // The status changes last: whoever sees the run finished there finds its operation and webhooks done.
    if (schedule) {
        await db
            .update(syncSchedules)
            .set({
                runningSince: null,
                nextRunAt: run.nextRunAt,
                lastRunStatus: error ? 'ERROR' : 'SUCCESS',
                lastRunAt: finishedAt,
                lastError: error ? { type: error.type, message: error.message } : null,
                latestResult: counts as unknown as Record<string, Record<string, number>>,
                recordCounts: totals,
                ...(!error && { lastSyncDate: run.runStartedAt }),
                updatedAt: finishedAt
            })
            .where(and(eq(syncSchedules.connectionUid, run.uid), eq(syncSchedules.syncName, run.syncName), eq(syncSchedules.variant, run.variant)));
    }
    await clearRunCounts(run.records, run.runId);
    return counts;
}
