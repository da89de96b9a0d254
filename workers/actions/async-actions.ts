import type { ExecutionError, RunContext } from '../../functions-runtime/executor.js';
import { type ConnectionRef, findConnection } from '../connections/connections.js';
import { database } from '../db.js';
import { findEnvironmentById } from '../environments/environments.js';
import { runTimeoutMs } from '../functions/run-limits.js';
import { ApiError } from '../http/api-error.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { emitWebhook } from '../webhooks/webhook-outbox.js';
import { actionApiError } from './action-errors.js';
import { type ActionRunRow, claimActionRun, createActionRun, deleteActionRun, findActionRun, finishActionRun, releaseActionRun, type StoredActionError } from './action-runs.js';
import { runAction } from './run-action.js';

/** An async action must start within a day of being triggered, as in Nango. */
const START_WITHIN_MS = 24 * 60 * 60 * 1000;
// Failures that would fail the same way again are not retried.
const FINAL_ERRORS = new Set<ExecutionError['type']>(['invalid_input', 'invalid_output', 'output_too_large']);
// The input waits in a D1 row (at most 2,000,000 bytes) until the action runs.
const MAX_QUEUED_INPUT_BYTES = 1_900_000;

export const statusUrl = (id: string) => `/action/${id}`;

function runMessage(environmentId: string, runId: string): JobMessage {
    return { type: 'run_action', environmentId, runId };
}

/** Stores the run, then queues it; if queueing fails the run is removed, so no caller holds an id that never runs. */
export async function queueAsyncAction(env: Env, ref: ConnectionRef, actionName: string, input: unknown, maxRetries: number): Promise<string> {
    const bytes = input === undefined ? 0 : new TextEncoder().encode(JSON.stringify(input)).byteLength;
    if (bytes > MAX_QUEUED_INPUT_BYTES) throw new ApiError(413, 'payload_too_large', `An async action's input may be at most ${MAX_QUEUED_INPUT_BYTES} bytes of JSON; this one is ${bytes}`);
    const db = database(env);
    const id = await createActionRun(db, {
        environmentId: ref.row.environmentId,
        connectionUid: ref.row.uid,
        integrationKey: ref.integration.uniqueKey,
        connectionId: ref.row.connectionId,
        actionName,
        input: input ?? null,
        maxRetries
    });
    try {
        await env.JOBS.send(runMessage(ref.row.environmentId, id));
    } catch (error) {
        await deleteActionRun(db, id);
        throw error;
    }
    return id;
}

/**
 * Runs a queued action once. Returns a wait in seconds when the run is held by a consumer that may
 * still be alive, so the message comes back after that consumer's time limit.
 */
export async function processAsyncAction(ctx: RunContext, runId: string): Promise<{ retryInSeconds: number } | null> {
    const db = database(ctx.env);
    const timeoutMs = runTimeoutMs(ctx.env, 'action');
    const run = await claimActionRun(db, runId, Date.now() - timeoutMs - 60_000);
    if (!run) {
        const current = await findActionRun(db, runId);
        return current?.status === 'running' ? { retryInSeconds: Math.ceil((current.updatedAt + timeoutMs + 60_000 - Date.now()) / 1000) + 1 } : null;
    }
    const attempts = run.attempts + 1;
    if (Date.now() - run.createdAt > START_WITHIN_MS) {
        await fail(ctx.env, run, attempts, { status: 500, code: 'action_expired', message: 'The action did not start within 24 hours of being triggered' });
        return null;
    }
    const ref = await findConnection(db, run.environmentId, run.integrationKey, run.connectionId);
    const environment = await findEnvironmentById(db, run.environmentId);
    if (!ref || ref.row.uid !== run.connectionUid || !environment) {
        await fail(ctx.env, run, attempts, { status: 400, code: 'unknown_connection', message: `The connection "${run.connectionId}" was deleted before the action ran` });
        return null;
    }
    let report;
    try {
        report = await runAction(ctx, { ref, environmentName: environment.name, actionName: run.actionName, input: run.input ?? undefined });
    } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        // The action was removed from the deployment after it was triggered.
        await fail(ctx.env, run, attempts, { status: error.status, code: error.code, message: error.message }, ref);
        return null;
    }
    const { result, operationId } = report;
    if (result.ok) {
        await finishActionRun(db, run.id, { attempts, operationId, output: result.output });
        await notify(ctx.env, run, ref);
        return null;
    }
    if (attempts <= run.maxRetries && !FINAL_ERRORS.has(result.error.type)) {
        await releaseActionRun(db, run.id, attempts, operationId);
        const base = Number(ctx.env.ACTION_RETRY_BASE_SECONDS ?? 10);
        await ctx.env.JOBS.send(runMessage(run.environmentId, run.id), { delaySeconds: Math.min(base * 2 ** (attempts - 1), 3600) });
        return null;
    }
    const apiError = actionApiError(result.error);
    const error: StoredActionError = { status: apiError.status, code: apiError.code, message: apiError.message, ...apiError.details };
    await fail(ctx.env, run, attempts, attempts > 1 ? allRetriesFailed(error, attempts) : error, ref, operationId);
    return null;
}

/** The job exhausted the queue's own retries (its consumer kept crashing): the run fails. */
export async function abandonAsyncAction(env: Env, runId: string): Promise<void> {
    const db = database(env);
    const run = await claimActionRun(db, runId, Number.MAX_SAFE_INTEGER);
    if (run) await fail(env, run, run.attempts, { status: 500, code: 'all_retries_failed', message: 'The action could not be run' });
}

function allRetriesFailed(last: StoredActionError, attempts: number): StoredActionError {
    return { status: last.status, code: 'all_retries_failed', message: `Failed ${attempts} times; the last attempt: ${last.code}: ${last.message}`, payload: { last_error: last } };
}

async function fail(env: Env, run: ActionRunRow, attempts: number, error: StoredActionError, ref?: ConnectionRef, operationId?: number) {
    await finishActionRun(database(env), run.id, { attempts, error, ...(operationId !== undefined && { operationId }) });
    await notify(env, run, ref);
}

/** The `async_action` webhook: the app fetches the result with `GET /action/:id`. */
async function notify(env: Env, run: ActionRunRow, ref?: ConnectionRef) {
    await emitWebhook(database(env), env, run.environmentId, {
        type: 'async_action',
        integrationKey: run.integrationKey,
        connectionId: run.connectionId,
        flag: 'on_async_action_completion',
        urlOverride: ref?.row.webhookUrlOverride ?? null,
        payload: {
            type: 'async_action',
            from: 'nango',
            connectionId: run.connectionId,
            providerConfigKey: run.integrationKey,
            payload: { id: run.id, statusUrl: statusUrl(run.id) }
        }
    });
}
