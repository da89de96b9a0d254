import { z } from 'zod';
import type { Checkpoint, Invocation } from '../../../functions-runtime/host-contract.js';
import { DEFAULT_RUN_SECONDS } from '../../../functions-runtime/run-timeouts.js';
import { BUILT_IN_PROVIDERS } from '../../../providers/catalog/index.js';
import type { DryrunReport } from '../platform/api-types.js';
import { type PlatformClient, PlatformError } from '../platform/client.js';
import { type CompiledFunction, compileProject } from '../project/compile.js';
import { oneFunctionNamed } from '../project/select.js';
import { LocalDryRunHost, type NestedDryrun } from './local-host.js';
import { runInLocalWorkerd } from './local-workerd.js';
import { readConnection } from './platform-connection.js';

const syncStatusSchema = z.object({ syncs: z.array(z.object({ variant: z.string().optional(), checkpoint: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable() })) });

export interface LocalDryrun {
    fn: CompiledFunction['entry'];
    connectionId: string;
    environment: string;
    input?: unknown;
    metadata?: Record<string, unknown>;
    checkpoint?: Checkpoint;
    /** The platform's limit for the function's kind when absent. */
    timeoutSeconds?: number;
    /** Where the project is: an action the function triggers is compiled from it. */
    projectDir: string;
    /** How many triggerAction calls led to this run. */
    depth?: number;
}

/** As on the platform (functions-runtime/nested-action.ts). */
const MAX_DEPTH = 3;

/**
 * Runs a function in a workerd on this machine against a connection of the platform, as the
 * platform's `POST /functions/dryrun` would run it there, and reports the same things.
 */
export async function runLocalDryrun(client: PlatformClient, run: LocalDryrun): Promise<DryrunReport> {
    const { fn } = run;
    const kind: Invocation['kind'] = fn.type === 'on-event' ? 'on-event' : fn.type === 'action' ? 'action' : run.input === undefined ? 'sync' : 'webhook';
    const syncs = kind === 'sync' || kind === 'webhook';
    const connection = await readConnection(client, fn.integration, run.connectionId);
    const checkpoint = run.checkpoint ?? (syncs ? await storedSyncCheckpoint(client, fn.integration, run.connectionId, fn.name) : null);
    const models = syncs ? Object.keys((fn.config as { models?: Record<string, unknown> }).models ?? {}) : null;
    const timeoutMs = (run.timeoutSeconds ?? DEFAULT_RUN_SECONDS[kind]) * 1000;
    const deadline = Date.now() + timeoutMs;
    const runNested = (call: NestedDryrun) => runNestedDryrun(client, run, call, Math.max(deadline - Date.now(), 1000));
    const host = new LocalDryRunHost(client, { integration: fn.integration, connectionId: run.connectionId, functionName: fn.name, models, runNested }, connection, {
        checkpoint,
        ...(run.metadata && { metadata: run.metadata })
    });
    const { view } = connection;
    const paginate = BUILT_IN_PROVIDERS[view.provider]?.proxy?.paginate as Record<string, unknown> | undefined;
    const invocation: Invocation = {
        kind,
        ...(run.input !== undefined && { input: run.input }),
        context: {
            runId: `spoke-dryrun:${fn.integration}/${fn.name}`,
            environmentId: run.environment,
            environmentName: run.environment,
            providerConfigKey: fn.integration,
            connectionId: view.connection_id,
            connectionNumber: view.id,
            provider: view.provider,
            functionName: fn.name,
            config: fn.config,
            ...(paginate && { paginate }),
            ...(syncs && { syncName: fn.name, variant: 'base' }),
            dryRun: true
        }
    };
    const result = await runInLocalWorkerd(fn.bundle, invocation, host, timeoutMs);
    return { result, ...host.collected.outcome(view.metadata) };
}

/** `nango.triggerAction` in a local dry run: the project's version of that action, run the same way, within the caller's time left. */
async function runNestedDryrun(client: PlatformClient, caller: LocalDryrun, call: NestedDryrun, timeoutMs: number): Promise<DryrunReport> {
    const depth = (caller.depth ?? 0) + 1;
    if (depth > MAX_DEPTH) throw new Error(`trigger_action_depth: actions may trigger actions at most ${MAX_DEPTH} levels deep`);
    const [compiled] = await compileProject(caller.projectDir, { typecheck: false, select: (sources) => [oneFunctionNamed(sources, call.actionName, call.providerConfigKey)] });
    const { entry } = compiled!;
    if (entry.type !== 'action') throw new Error(`unknown_action: ${call.providerConfigKey}/${call.actionName} is not an action of this project`);
    return runLocalDryrun(client, {
        fn: entry,
        connectionId: call.connectionId,
        environment: caller.environment,
        input: call.input,
        ...(call.metadata && { metadata: call.metadata }),
        timeoutSeconds: timeoutMs / 1000,
        projectDir: caller.projectDir,
        depth
    });
}

/** The sync's stored checkpoint, as `GET /sync/status` shows it; none for a sync not deployed on the connection. Actions' checkpoints are not in the API. */
async function storedSyncCheckpoint(client: PlatformClient, integration: string, connectionId: string, name: string): Promise<Checkpoint | null> {
    const query = new URLSearchParams({ syncs: name, provider_config_key: integration, connection_id: connectionId });
    try {
        const { syncs } = await client.getPlain(`/sync/status?${query}`, syncStatusSchema);
        return syncs.find((s) => (s.variant ?? 'base') === 'base')?.checkpoint ?? null;
    } catch (error) {
        if (error instanceof PlatformError && error.code === 'no_syncs_found') return null;
        throw error;
    }
}
