import { checkpointKey } from './checkpoint-key.js';
import type { Invocation, RunError } from './host-contract.js';
import type { DryRunCollector } from './host/dry-run-collector.js';
import { DryRunHost, type DryRunStart } from './host/dry-run-host.js';
import type { HostProps } from './host/host-props.js';
import { lockOwner } from './host/lock-owner.js';
import { type LoadableFunction, loadSandbox } from './loader.js';
import type { ConnectionRef } from '../workers/connections/connections.js';
import { database } from '../workers/db.js';
import type { FunctionType } from '../workers/functions/function-config.js';
import { resolveIntegrationProvider } from '../workers/integrations/integrations.js';
import { finishOperation, startOperation } from '../workers/operations/operation-log.js';
import type { OperationType } from '../workers/operations/operation-draft.js';
import { configuredPublicUrl } from '../workers/http/public-url.js';
import { getEgressSettings } from '../workers/proxy/egress-settings.js';
import { scheduleId } from '../workers/syncs/schedule-status.js';

export interface RunContext {
    env: Env;
    exports: Cloudflare.Exports;
    waitUntil: (work: Promise<unknown>) => void;
    /** The origin of the request that starts the run, if one does: the platform's URL when SPOKE_SERVER_URL is unset. */
    publicUrl?: string;
}

export interface FunctionRef extends LoadableFunction {
    integrationKey: string;
    name: string;
    type: FunctionType;
    /** The deployed configuration. */
    config: Record<string, unknown>;
}

export interface Execution {
    kind: Invocation['kind'];
    fn: FunctionRef;
    ref: ConnectionRef;
    environmentName: string;
    input?: unknown;
    timeoutMs: number;
    /** `triggerAction` nesting. */
    depth?: number;
    parentOperationId?: number;
    /** Present for a dry run: where it starts from; nothing is persisted. */
    dryRun?: DryRunStart;
    /** A sync (or webhook) run: its records scope and time budget. */
    sync?: SyncExecution;
    /**
     * The operation this invocation belongs to (a sync run spanning invocations); the caller
     * completes it. Without it, the invocation is an operation of its own.
     */
    operationId?: number;
}

export interface SyncExecution {
    /** Counts of the run's record writes are kept under this id. */
    runId: string | null;
    variant: string;
    /** The models the deployed sync declares: the only ones its host writes. */
    models: string[];
    lastSyncDate: number | null;
    /** Unix ms after which the next checkpoint ends the invocation, to be continued. */
    interruptAt: number | null;
    /** The run was triggered with `emptyCache`. */
    emptyCache?: boolean;
}

export type ExecutionError = RunError | { type: 'timeout' | 'output_too_large'; message: string };
export type ExecutionResult = { ok: true; output: unknown; interrupted?: true } | { ok: false; error: ExecutionError };

export interface ExecutionReport {
    result: ExecutionResult;
    operationId: number;
    /** What a dry run collected. */
    dryRun?: DryRunCollector;
}

/** Action outputs are answered as JSON and stored for async callers; a D1 row holds at most 2,000,000 bytes. */
export const MAX_ACTION_OUTPUT_BYTES = 1_900_000;

const OPERATION_TYPE: Record<Invocation['kind'], OperationType> = { action: 'action', sync: 'sync', webhook: 'sync', 'on-event': 'event' };

/** The stable API code of a failed run (also the operation's error code). */
export function executionErrorCode(error: ExecutionError): string {
    switch (error.type) {
        case 'http_error':
            return 'script_http_error';
        case 'invalid_input':
            return 'invalid_action_input';
        case 'invalid_output':
            return 'invalid_action_output';
        case 'timeout':
            return 'execution_timeout';
        case 'output_too_large':
            return 'action_output_too_large';
        case 'runtime_error':
            return error.code ?? 'action_script_failure';
        default:
            return 'action_script_failure';
    }
}

/**
 * Runs a function in its sandbox for one connection: logs the run as an operation, hands the
 * sandbox a host scoped to this run, and stops waiting at the time limit (after which the host
 * refuses the run's calls, so a runaway function can't act any more).
 */
export async function executeFunction(ctx: RunContext, e: Execution): Promise<ExecutionReport> {
    const db = database(ctx.env);
    const startedAt = Date.now();
    const { ref } = e;
    const startMeta = { function: e.fn.name, kind: e.kind, bundle: e.fn.bundleHash.slice(0, 12), ...(e.dryRun && { dry_run: true }) };
    // Read first: an operation started before a failed read would stay `running` for ever.
    const [provider, egress, syncId] = await Promise.all([
        resolveIntegrationProvider(db, ref.integration),
        getEgressSettings(db, ref.row.environmentId),
        e.sync ? scheduleId(db, ref.row.uid, e.fn.name, e.sync.variant) : null
    ]);
    const operationId =
        e.operationId ??
        (await startOperation(db, {
            environmentId: ref.row.environmentId,
            type: OPERATION_TYPE[e.kind],
            action: e.fn.name,
            integrationKey: ref.integration.uniqueKey,
            connectionId: ref.row.connectionId,
            meta: startMeta,
            ...(e.parentOperationId !== undefined && { parentId: e.parentOperationId }),
            startedAt
        }));
    const variant = e.sync?.variant ?? 'base';
    const props: HostProps = {
        operationId,
        environmentName: e.environmentName,
        ref,
        provider,
        egress,
        functionName: e.fn.name,
        checkpointKey: checkpointKey(e.kind, e.fn.name, variant),
        deadline: startedAt + e.timeoutMs,
        publicUrl: configuredPublicUrl(ctx.env) ?? ctx.publicUrl ?? null,
        depth: e.depth ?? 0,
        ...(e.sync && { sync: { syncName: e.fn.name, runId: e.sync.runId, variant, models: e.sync.models, interruptAt: e.sync.interruptAt } })
    };
    const dryRun = e.dryRun ? new DryRunHost(ctx.env, ctx.exports, props, e.dryRun, ctx.waitUntil) : undefined;
    const host = dryRun ?? ctx.exports.FunctionHost({ props });
    const invocation: Invocation = {
        kind: e.kind,
        ...(e.input !== undefined && { input: e.input }),
        context: {
            runId: String(operationId),
            environmentId: ref.row.environmentId,
            environmentName: e.environmentName,
            providerConfigKey: ref.integration.uniqueKey,
            connectionId: ref.row.connectionId,
            connectionNumber: ref.row.id,
            provider: ref.integration.provider,
            functionName: e.fn.name,
            config: e.fn.config,
            ...(syncId && { syncId }),
            ...(e.sync?.runId && { syncJobId: e.sync.runId }),
            ...(e.sync?.emptyCache && { emptyCache: true }),
            ...(provider.provider.proxy?.paginate && { paginate: provider.provider.proxy.paginate as Record<string, unknown> }),
            ...(e.kind !== 'action' && e.kind !== 'on-event' && { syncName: e.fn.name, variant }),
            ...(e.sync?.lastSyncDate && { lastSyncDate: new Date(e.sync.lastSyncDate).toISOString() }),
            dryRun: !!e.dryRun
        }
    };

    let result: ExecutionResult;
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
        const timedOut = new Promise<ExecutionResult>((resolve) => {
            timer = setTimeout(() => resolve({ ok: false, error: { type: 'timeout', message: `The function did not finish within ${Math.round(e.timeoutMs / 1000)} s` } }), e.timeoutMs);
        });
        result = await Promise.race([loadSandbox(ctx.env, db, e.fn).run(host, invocation), timedOut]);
    } catch (error) {
        // The sandbox itself failed (it exceeded its CPU limit, the bundle doesn't load…).
        result = { ok: false, error: { type: 'runtime_error', message: error instanceof Error ? error.message : String(error) } };
    } finally {
        clearTimeout(timer);
    }
    // The run's locks go with it; an invocation that hands its sync run on to a continuation keeps them for it.
    if (!dryRun && !(result.ok && result.interrupted)) {
        // A lock left behind only lasts until its ttl: not a reason to lose the run's result.
        await ctx.env.CONNECTION.getByName(ref.row.uid)
            .releaseAllLocks(lockOwner(operationId))
            .catch((error: unknown) => console.error(`could not release the locks of run ${operationId}`, error));
    }
    if (result.ok && e.kind === 'action') result = withinOutputLimit(result.output);
    if (e.operationId === undefined) {
        await finishOperation(db, operationId, {
            status: result.ok ? 'success' : 'failed',
            ...(!result.ok && { error: { code: executionErrorCode(result.error), message: result.error.message } }),
            ...(!result.ok && 'stack' in result.error && result.error.stack && { meta: { ...startMeta, stack: result.error.stack } }),
            startedAt
        });
    }
    return { result, operationId, ...(dryRun && { dryRun: dryRun.collected }) };
}

function withinOutputLimit(output: unknown): ExecutionResult {
    const bytes = output === undefined ? 0 : new TextEncoder().encode(JSON.stringify(output)).byteLength;
    if (bytes <= MAX_ACTION_OUTPUT_BYTES) return { ok: true, output };
    return { ok: false, error: { type: 'output_too_large', message: `The action output is ${bytes} bytes of JSON; at most ${MAX_ACTION_OUTPUT_BYTES} are allowed` } };
}
