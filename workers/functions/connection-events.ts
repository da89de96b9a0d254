import { type ExecutionResult, executeFunction, type RunContext } from '../../functions-runtime/executor.js';
import { type ConnectionRef, findConnection } from '../connections/connections.js';
import { database } from '../db.js';
import { findEnvironmentById } from '../environments/environments.js';
import { ApiError } from '../http/api-error.js';
import { activeFunctions, deployedSyncs } from './deployments.js';
import type { FunctionEvent } from './function-config.js';
import { runTimeoutMs } from './run-limits.js';
import { scheduleNewConnection } from './schedules.js';
import { applySchedules } from '../syncs/apply-schedules.js';

/** Runs the integration's event functions for one event, one after the other; each run is an operation of its own. */
async function runEventFunctions(ctx: RunContext, environmentName: string, ref: ConnectionRef, event: FunctionEvent): Promise<ExecutionResult[]> {
    const functions = (await activeFunctions(database(ctx.env), ref.row.environmentId, ref.integration.uniqueKey)).filter(
        (f) => f.type === 'on-event' && f.config.event === event
    );
    const results: ExecutionResult[] = [];
    for (const fn of functions) {
        const { result } = await executeFunction(ctx, {
            kind: 'on-event',
            fn: { integrationKey: fn.integrationKey, name: fn.name, type: 'on-event', bundleHash: fn.bundleHash, config: fn.config },
            ref,
            environmentName,
            timeoutMs: runTimeoutMs(ctx.env, 'on-event')
        });
        results.push(result);
    }
    return results;
}

/**
 * `validate-connection`: a new connection made by an end user is kept only if every validation
 * function of its integration succeeds. The first failure's message goes back to the end user.
 */
export async function validateNewConnection(ctx: RunContext, environmentName: string, ref: ConnectionRef): Promise<void> {
    const failed = (await runEventFunctions(ctx, environmentName, ref, 'validate-connection')).find((r) => !r.ok);
    if (failed && !failed.ok) {
        const payload = 'payload' in failed.error ? failed.error.payload : undefined;
        throw new ApiError(400, 'connection_validation_failed', `The connection was rejected: ${failed.error.message}`, payload === undefined ? {} : { payload });
    }
}

/** A connection was created: it gets schedules for its integration's deployed syncs, and `post-connection-creation` runs from the queue. */
export async function connectionCreated(env: Env, ref: ConnectionRef): Promise<void> {
    const db = database(env);
    const functions = await activeFunctions(db, ref.row.environmentId, ref.integration.uniqueKey);
    const syncs = deployedSyncs(functions);
    if (syncs.length) {
        await scheduleNewConnection(db, ref.row.environmentId, ref.row.uid, syncs);
        await applySchedules(db, env, ref.row.environmentId, [ref.row.uid]);
    }
    if (functions.some((f) => f.type === 'on-event' && f.config.event === 'post-connection-creation')) {
        await env.JOBS.send({ type: 'connection_created', environmentId: ref.row.environmentId, integrationKey: ref.integration.uniqueKey, connectionId: ref.row.connectionId, uid: ref.row.uid });
    }
}

/** The queued half of `connectionCreated`. Not retried: its runs are in the log, failed or not. */
export async function runPostCreation(ctx: RunContext, job: { environmentId: string; integrationKey: string; connectionId: string; uid: string }): Promise<void> {
    const db = database(ctx.env);
    const ref = await findConnection(db, job.environmentId, job.integrationKey, job.connectionId);
    const environment = await findEnvironmentById(db, job.environmentId);
    // Deleted (or deleted and made again) in the meantime: this event is not its to run.
    if (!ref || ref.row.uid !== job.uid || !environment) return;
    await runEventFunctions(ctx, environment.name, ref, 'post-connection-creation');
}

/** `pre-connection-deletion`, while the credentials still exist. A failure is logged and does not stop the deletion. */
export async function beforeConnectionDeletion(ctx: RunContext, environmentName: string, ref: ConnectionRef): Promise<void> {
    await runEventFunctions(ctx, environmentName, ref, 'pre-connection-deletion');
}
