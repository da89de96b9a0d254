import type { SyncInvocationMessage } from '../../durable-objects/sync-types.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { type ExecutionResult, executeFunction, executionErrorCode, type RunContext } from '../../functions-runtime/executor.js';
import { findConnectionByUid } from '../connections/connection-by-uid.js';
import type { ConnectionRef } from '../connections/connections.js';
import { database } from '../db.js';
import { findEnvironmentById } from '../environments/environments.js';
import { findActiveFunction } from '../functions/deployments.js';
import type { SyncConfig } from '../functions/function-config.js';
import { runTimeoutMs, syncBudgetMs } from '../functions/run-limits.js';
import { finishOperation, startOperation } from '../operations/operation-log.js';
import { deleteConnectionRecords } from '../records/record-purge.js';
import { endDeleteTracking } from '../records/delete-tracking.js';
import { emptyRecords } from '../records/record-writes.js';
import { recordsDb } from '../records/records-shards.js';
import { markRunning } from './schedule-status.js';
import { recordRunEnd } from './finish-sync-run.js';

type Outcome = { ok: true } | { ok: false; error: { type: string; message: string; payload?: unknown } };

const failure = (type: string, message: string): Outcome => ({ ok: false, error: { type, message } });

function outcomeOf(result: ExecutionResult): Outcome {
    if (result.ok) return { ok: true };
    const { error } = result;
    return { ok: false, error: { type: executionErrorCode(error), message: error.message, ...('payload' in error && error.payload !== undefined && { payload: error.payload }) } };
}

/**
 * One invocation of a sync run, from the queue. The connection's Durable Object lets each
 * invocation run once and holds the run's slot; this runs the function with the run's time
 * budget and either hands the run on to a continuation (the budget was spent at a checkpoint) or
 * ends it: legacy `trackDeletes`, counts, status, operation and webhooks.
 */
export async function runSyncInvocation(ctx: RunContext, m: SyncInvocationMessage): Promise<void> {
    const stub = ctx.env.CONNECTION.getByName(m.uid);
    const grant = await stub.beginSyncInvocation(m.syncName, m.variant, m.runId, m.invocation);
    if (!grant) return;
    const db = database(ctx.env);
    const [ref, environment, fn] = await Promise.all([
        findConnectionByUid(db, m.uid),
        findEnvironmentById(db, m.environmentId),
        findActiveFunction(db, m.environmentId, grant.integrationKey, 'sync', m.syncName)
    ]);
    // Deleted meanwhile: its storage (this object included) is being wiped; nothing to report to.
    if (!ref || !environment) return;
    const config = fn?.config as SyncConfig | undefined;
    const models = Object.keys(config?.models ?? {});
    const records = recordsDb(ctx.env, ref.row.recordsShard);
    let operationId = grant.operationId;
    if (operationId === null) {
        operationId = await startOperation(db, {
            environmentId: m.environmentId,
            type: 'sync',
            action: m.syncName,
            integrationKey: ref.integration.uniqueKey,
            connectionId: ref.row.connectionId,
            meta: { function: m.syncName, kind: 'sync', variant: m.variant, run_id: m.runId, ...(Object.keys(grant.flags).length && { flags: grant.flags }) },
            startedAt: grant.runStartedAt
        });
        await stub.attachSyncOperation(m.syncName, m.variant, m.runId, operationId);
        await markRunning(db, m.uid, m.syncName, m.variant, grant.runStartedAt);
        if (fn && grant.flags.emptyCache) {
            for (const model of models) await emptyRecords({ db: records, connectionUid: m.uid, model, variant: m.variant });
        }
        if (config?.track_deletes) for (const model of models) await stub.trackDeletesStart(m.syncName, model, m.variant);
    }

    let outcome: Outcome;
    if (!fn) {
        outcome = failure('not_found', `The sync "${m.syncName}" is no longer deployed`);
    } else {
        const { result } = await executeFunction(ctx, {
            kind: 'sync',
            fn: { integrationKey: fn.integrationKey, name: fn.name, type: 'sync', bundleHash: fn.bundleHash, config: fn.config },
            ref,
            environmentName: environment.name,
            timeoutMs: runTimeoutMs(ctx.env, 'sync'),
            operationId,
            sync: { runId: m.runId, variant: m.variant, models, lastSyncDate: grant.lastSyncDate, interruptAt: Date.now() + syncBudgetMs(ctx.env), emptyCache: grant.flags.emptyCache === true }
        });
        // Continued, or the run was given up on meanwhile (its lease ran out): either way this invocation is done.
        if (result.ok && result.interrupted) {
            await stub.continueSyncRun(m.syncName, m.variant, m.runId, m.invocation);
            return;
        }
        outcome = outcomeOf(result);
        if (outcome.ok && config?.track_deletes) {
            for (const model of models) await endDeleteTracking(stub, { db: records, connectionUid: m.uid, model, variant: m.variant }, m.runId);
        }
    }
    const end = await stub.finishSyncRun(m.syncName, m.variant, m.runId, outcome.ok);
    if (!end) {
        // The run is gone from its Durable Object: the connection may have been deleted while the
        // function was still saving, behind the purge's own deletion of its records.
        if (!(await findConnectionByUid(db, m.uid))) {
            await deleteConnectionRecords(records, m.uid);
            await finishOperation(db, operationId, { status: 'failed', error: { code: 'connection_deleted', message: 'The connection was deleted during the run' }, startedAt: grant.runStartedAt });
        }
        return;
    }
    const ended: EndedRun = {
        type: 'sync_run_end',
        environmentId: m.environmentId,
        uid: m.uid,
        syncName: m.syncName,
        variant: m.variant,
        integrationKey: grant.integrationKey,
        runId: m.runId,
        runStartedAt: grant.runStartedAt,
        flags: grant.flags,
        initial: grant.lastSyncDate === null,
        operationId,
        checkpointFrom: grant.checkpointFrom,
        checkpointTo: end.checkpointTo,
        nextRunAt: end.nextRunAt,
        invocations: end.invocations,
        outcome
    };
    try {
        await recordRunEnd(ctx.env, { ...summaryOf(ended, ref, models, records), invocations: ended.invocations, outcome });
    } catch (error) {
        // The run's slot is already free, so this message won't run again: its end gets a job of its own.
        console.error(`sync ${m.syncName}: recording the end of run ${m.runId} failed; queued to try again`, error);
        await ctx.env.JOBS.send(ended);
    }
}

type EndedRun = Extract<JobMessage, { type: 'sync_run_end' }>;

function summaryOf(run: Omit<EndedRun, 'type' | 'invocations' | 'outcome'>, ref: ConnectionRef, models: string[], records: D1Database) {
    return {
        environmentId: run.environmentId,
        uid: run.uid,
        connectionId: ref.row.connectionId,
        integrationKey: ref.integration.uniqueKey,
        syncName: run.syncName,
        variant: run.variant,
        runId: run.runId,
        runStartedAt: run.runStartedAt,
        operationId: run.operationId,
        initial: run.initial,
        emptied: run.flags.emptyCache === true,
        models,
        checkpointFrom: run.checkpointFrom,
        checkpointTo: run.checkpointTo,
        nextRunAt: run.nextRunAt,
        records,
        urlOverride: ref.row.webhookUrlOverride
    };
}

const LOST = failure('sync_run_lost', 'The run stopped reporting (its worker was killed or timed out); the next run resumes from the last checkpoint');

/**
 * The end of a run recorded from the queue: one whose invocation never reported back (the Durable
 * Object freed its slot: `sync_run_lost`), or one whose end could not be recorded at once.
 */
export async function recordEndedRun(env: Env, run: Extract<JobMessage, { type: 'sync_run_lost' | 'sync_run_end' }>): Promise<void> {
    const db = database(env);
    const ref = await findConnectionByUid(db, run.uid);
    if (!ref) return;
    const fn = await findActiveFunction(db, run.environmentId, run.integrationKey, 'sync', run.syncName);
    const models = Object.keys((fn?.config as SyncConfig | undefined)?.models ?? {});
    await recordRunEnd(env, {
        ...summaryOf(run, ref, models, recordsDb(env, ref.row.recordsShard)),
        invocations: run.type === 'sync_run_end' ? run.invocations : null,
        outcome: run.type === 'sync_run_end' ? run.outcome : LOST
    });
}
