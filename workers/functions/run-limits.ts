import type { Invocation } from '../../functions-runtime/host-contract.js';
import { DEFAULT_RUN_SECONDS } from '../../functions-runtime/run-timeouts.js';

const DEFAULT_SYNC_BUDGET_MS = 5 * 60_000;

export function runTimeoutMs(env: Env, kind: Invocation['kind']): number {
    const override = kind === 'action' ? Number(env.ACTION_TIMEOUT_SECONDS) : NaN;
    return (Number.isFinite(override) && override > 0 ? override : DEFAULT_RUN_SECONDS[kind]) * 1000;
}

/**
 * A sync invocation's time budget: past it, the next `saveCheckpoint` ends the invocation and a
 * continuation starts from that checkpoint, so a run of any length fits the platform's limits.
 */
export function syncBudgetMs(env: Env): number {
    const configured = Number(env.SYNC_TIME_BUDGET_MS);
    return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_SYNC_BUDGET_MS;
}
