import type { RunContext } from './executor.js';
import type { HostProps } from './host/host-props.js';
import { runAction } from '../workers/actions/run-action.js';
import { requireConnection } from '../workers/connections/connections.js';
import { database } from '../workers/db.js';

const MAX_DEPTH = 3;

/** `nango.triggerAction()`: runs another deployed action of the same environment, within the caller's time limit. */
export async function triggerNestedAction(
    ctx: RunContext,
    caller: HostProps,
    call: { providerConfigKey: string; connectionId: string; actionName: string; input?: unknown }
): Promise<unknown> {
    if (caller.depth >= MAX_DEPTH) throw new Error(`trigger_action_depth: actions may trigger actions at most ${MAX_DEPTH} levels deep`);
    const ref = await requireConnection(database(ctx.env), caller.ref.row.environmentId, call.providerConfigKey, call.connectionId);
    const { result } = await runAction(ctx, {
        ref,
        environmentName: caller.environmentName,
        actionName: call.actionName,
        input: call.input,
        caller: { operationId: caller.operationId, depth: caller.depth + 1, timeoutMs: Math.max(caller.deadline - Date.now(), 1000) }
    });
    if (result.ok) return result.output;
    throw new Error(`${result.error.type}: ${result.error.message}`);
}
