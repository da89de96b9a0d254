import { and, eq } from 'drizzle-orm';
import { executeFunction, executionErrorCode, type RunContext } from '../../functions-runtime/executor.js';
import { syncSchedules } from '../../schema/tables.js';
import type { ConnectionRef } from '../connections/connections.js';
import { database } from '../db.js';
import type { DeployedFunctionRow } from '../functions/deployments.js';
import type { SyncConfig } from '../functions/function-config.js';
import { runTimeoutMs } from '../functions/run-limits.js';
import { finishOperation, startOperation } from '../operations/operation-log.js';
import { clearRunCounts, runCounts } from '../records/run-counts.js';
import { recordsDb } from '../records/records-shards.js';
import { emptyCounts, type ModelCounts, syncWebhooks } from '../syncs/sync-webhook.js';
import { emitWebhooks } from '../webhooks/webhook-outbox.js';
import { recordCountsAfter } from '../syncs/record-counts.js';

export interface HandlerRun {
    sync: string;
    connectionId: string;
    status: 'success' | 'failed';
    operationId: number;
    results: Record<string, ModelCounts>;
    error?: string;
}

/**
 * Runs a sync's `onWebhook` for one connection with one event, in the sync's base variant. Its
 * record writes are a `WEBHOOK` result: in its operation, in the schedule's record counts and in
 * the app's `sync` webhooks, as for a scheduled run.
 */
export async function runWebhookHandler(ctx: RunContext, ref: ConnectionRef, fn: DeployedFunctionRow, environmentName: string, event: { type: string | null; payload: unknown }, parentOperationId: number): Promise<HandlerRun> {
    const db = database(ctx.env);
    const models = Object.keys((fn.config as SyncConfig).models ?? {});
    const runId = crypto.randomUUID();
    const startedAt = Date.now();
    const operationId = await startOperation(db, {
        environmentId: ref.row.environmentId,
        type: 'sync',
        action: fn.name,
        integrationKey: ref.integration.uniqueKey,
        connectionId: ref.row.connectionId,
        meta: { function: fn.name, kind: 'webhook', event_type: event.type },
        parentId: parentOperationId,
        startedAt
    });
    const { result } = await executeFunction(ctx, {
        kind: 'webhook',
        fn: { integrationKey: fn.integrationKey, name: fn.name, type: 'sync', bundleHash: fn.bundleHash, config: fn.config },
        ref,
        environmentName,
        input: event.payload,
        timeoutMs: runTimeoutMs(ctx.env, 'webhook'),
        operationId,
        sync: { runId, variant: 'base', models, lastSyncDate: null, interruptAt: null }
    });
    const records = recordsDb(ctx.env, ref.row.recordsShard);
    const stored = await runCounts(records, runId);
    const results: Record<string, ModelCounts> = Object.fromEntries(models.map((model) => [model, { ...emptyCounts(), ...stored[model] }]));
    const error = result.ok ? null : { type: executionErrorCode(result.error), message: result.error.message };
    await finishOperation(db, operationId, {
        status: error ? 'failed' : 'success',
        ...(error && { error: { code: error.type, message: error.message } }),
        meta: { function: fn.name, kind: 'webhook', event_type: event.type, run_id: runId, results },
        startedAt
    });
    await addToRecordCounts(db, ref.row.uid, fn.name, results);
    const finishedAt = Date.now();
    const run = { integrationKey: ref.integration.uniqueKey, connectionId: ref.row.connectionId, syncName: fn.name, variant: 'base', syncType: 'WEBHOOK' as const, startedAt, finishedAt, checkpoints: null, urlOverride: ref.row.webhookUrlOverride };
    await emitWebhooks(db, ctx.env, ref.row.environmentId, syncWebhooks(run, results, error && { type: error.type, description: error.message }));
    await clearRunCounts(records, runId);
    return { sync: fn.name, connectionId: ref.row.connectionId, status: error ? 'failed' : 'success', operationId, results, ...(error && { error: error.type }) };
}

/** Adds the handler's changes to the schedule's record counts (in SQL, so a run ending at the same time keeps them too). */
async function addToRecordCounts(db: ReturnType<typeof database>, uid: string, syncName: string, results: Record<string, ModelCounts>): Promise<void> {
    const deltas = Object.fromEntries(Object.entries(results).map(([model, c]) => [model, c.added - c.deleted]).filter(([, delta]) => delta !== 0));
    if (!Object.keys(deltas).length) return;
    await db
        .update(syncSchedules)
        .set({ recordCounts: recordCountsAfter(deltas) })
        .where(and(eq(syncSchedules.connectionUid, uid), eq(syncSchedules.syncName, syncName), eq(syncSchedules.variant, 'base')));
}
