import { type ExecutionReport, executeFunction, type RunContext } from '../../functions-runtime/executor.js';
import type { DryRunStart } from '../../functions-runtime/host/dry-run-host.js';
import type { ConnectionRef } from '../connections/connections.js';
import { database } from '../db.js';
import { findActiveFunction } from '../functions/deployments.js';
import { runTimeoutMs } from '../functions/run-limits.js';
import { ApiError } from '../http/api-error.js';

export interface ActionCall {
    ref: ConnectionRef;
    environmentName: string;
    actionName: string;
    input?: unknown;
    /** For `nango.triggerAction()`: the calling run, its nesting depth and what is left of its time. */
    caller?: { operationId: number; depth: number; timeoutMs: number };
    /** Run it as a dry run (it was triggered by one), from this start. */
    dryRun?: DryRunStart;
}

export async function findDeployedAction(env: Env, ref: ConnectionRef, actionName: string) {
    const fn = await findActiveFunction(database(env), ref.row.environmentId, ref.integration.uniqueKey, 'action', actionName);
    if (!fn) throw new ApiError(404, 'not_found', `No action "${actionName}" is deployed for integration ${ref.integration.uniqueKey}`);
    return fn;
}

/** Runs the deployed action of that name for a connection. */
export async function runAction(ctx: RunContext, call: ActionCall): Promise<ExecutionReport> {
    const fn = await findDeployedAction(ctx.env, call.ref, call.actionName);
    return executeFunction(ctx, {
        kind: 'action',
        fn: { integrationKey: fn.integrationKey, name: fn.name, type: 'action', bundleHash: fn.bundleHash, config: fn.config },
        ref: call.ref,
        environmentName: call.environmentName,
        input: call.input,
        timeoutMs: call.caller?.timeoutMs ?? runTimeoutMs(ctx.env, 'action'),
        ...(call.caller && { depth: call.caller.depth, parentOperationId: call.caller.operationId }),
        ...(call.dryRun && { dryRun: call.dryRun })
    });
}
