// Runs one invocation of a function definition against a host. The sandbox's entrypoint calls it
// inside the dynamic Worker; `spoke test` calls it in Node, so nothing here needs workerd.
import type { FunctionHost, Invocation, RunResult } from '../host-contract.js';
import { withConsoleCapture } from './console-capture.js';
import { checkedDefinition, type LoadedDefinition } from './definition.js';
import { Interruption } from './interruption.js';
import { SandboxNangoAction } from './nango-action.js';
import { SandboxNangoSync } from './nango-sync.js';
import { toPlainData } from './plain-data.js';
import { toRunError } from './run-error.js';

export async function runFunction(definition: unknown, host: FunctionHost, invocation: Invocation): Promise<RunResult> {
    const interruption = new Interruption();
    let result: RunResult;
    try {
        const checked = checkedDefinition(definition, invocation.kind);
        const run = checked.type === 'action' ? runAction : runOther;
        result = await withConsoleCapture(host, () => run(checked, host, invocation, interruption));
    } catch (error) {
        result = { ok: false, error: toRunError(error) };
    }
    // An interrupted run ends as such whatever the function did next: returned after catching the
    // interruption, or failed on a refused call. The platform continues it from its checkpoint.
    return interruption.interrupted ? { ok: true, output: undefined, interrupted: true } : result;
}

async function runOther(definition: LoadedDefinition, host: FunctionHost, invocation: Invocation, interruption: Interruption): Promise<RunResult> {
    const { context } = invocation;
    if (definition.type === 'on-event') {
        await definition.exec(new SandboxNangoAction(host, context, interruption, 'on-event'));
    } else {
        const nango = new SandboxNangoSync(host, context, definition.models ?? {}, interruption, invocation.kind === 'webhook' ? 'webhook' : 'sync');
        await (invocation.kind === 'webhook' ? definition.onWebhook?.(nango, invocation.input) : definition.exec(nango));
    }
    return { ok: true, output: undefined };
}

async function runAction(definition: LoadedDefinition, host: FunctionHost, invocation: Invocation, interruption: Interruption): Promise<RunResult> {
    const input = definition.input?.safeParse(invocation.input);
    if (input && !input.success) {
        return { ok: false, error: { type: 'invalid_input', message: 'The action input does not match its schema', payload: toPlainData(input.error.issues) } };
    }
    // Function code gets the input as sent, as in Nango; the schema only validates it.
    const output = await definition.exec(new SandboxNangoAction(host, invocation.context, interruption), invocation.input);
    const checked = definition.output?.safeParse(output);
    if (checked && !checked.success) {
        return { ok: false, error: { type: 'invalid_output', message: 'The action output does not match its schema', payload: toPlainData(checked.error.issues) } };
    }
    return jsonOutput(output);
}

/** The output crosses RPC and is stored as JSON, so it must survive a JSON round trip. */
function jsonOutput(output: unknown): RunResult {
    if (output === undefined) return { ok: true, output: undefined };
    let json: string | undefined;
    try {
        json = JSON.stringify(output);
    } catch (error) {
        return { ok: false, error: { type: 'invalid_output', message: `The action output is not JSON-serialisable: ${(error as Error).message}` } };
    }
    if (json === undefined) return { ok: false, error: { type: 'invalid_output', message: `The action output is not JSON-serialisable (a ${typeof output})` } };
    return { ok: true, output: JSON.parse(json) };
}
