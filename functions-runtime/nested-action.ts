import type { ExecutionReport, RunContext } from './executor.js';
import type { DryRunStart } from './host/dry-run-host.js';
import type { HostProps } from './host/host-props.js';
import { runAction } from '../workers/actions/run-action.js';
import { type ConnectionRef, requireConnection } from '../workers/connections/connections.js';
import { database } from '../workers/db.js';

const MAX_DEPTH = 3;

export interface NestedCall {
    providerConfigKey: string;
    connectionId: string;
    actionName: string;
    input?: unknown;
}

/**
 * `nango.triggerAction()`: runs another deployed action of the same environment, within the
 * caller's time limit. With `dryRun` (the caller is a dry run), the action runs as a dry run too,
 * from the start `dryRun` gives for its connection.
 */
export async function runNestedAction(ctx: RunContext, caller: HostProps, call: NestedCall, dryRun?: (ref: ConnectionRef) => Promise<DryRunStart>): Promise<ExecutionReport> {
    if (caller.depth >= MAX_DEPTH) throw new Error(`trigger_action_depth: actions may trigger actions at most ${MAX_DEPTH} levels deep`);
    const ref = await requireConnection(database(ctx.env), caller.ref.row.environmentId, call.providerConfigKey, call.connectionId);
    return runAction(caller.publicUrl ? { ...ctx, publicUrl: caller.publicUrl } : ctx, {
        ref,
        environmentName: caller.environmentName,
        actionName: call.actionName,
        input: call.input,
        caller: { operationId: caller.operationId, depth: caller.depth + 1, timeoutMs: Math.max(caller.deadline - Date.now(), 1000) },
        ...(dryRun && { dryRun: await dryRun(ref) })
    });
}

/** What `triggerAction` answers the caller: the action's output, or its failure as an error. */
export function nestedOutput({ result }: ExecutionReport): unknown {
    if (result.ok) return result.output;
    throw new Error(`${result.error.type}: ${result.error.message}`);
}
