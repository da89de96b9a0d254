import type { Invocation } from '../../functions-runtime/host-contract.js';

// How long one invocation may take. Actions answer an HTTP caller or run from the queue, whose
// consumer may take 15 minutes; a sync invocation stops a minute short of that, so its end is
// always recorded (durable-objects/sync-scheduler.ts leases a slot for 16 minutes); event
// functions hold up a connection's creation or deletion.
const DEFAULT_SECONDS: Record<Invocation['kind'], number> = { action: 15 * 60, sync: 14 * 60, webhook: 14 * 60, 'on-event': 5 * 60 };
const DEFAULT_SYNC_BUDGET_MS = 5 * 60_000;

export function runTimeoutMs(env: Env, kind: Invocation['kind']): number {
    const override = kind === 'action' ? Number(env.ACTION_TIMEOUT_SECONDS) : NaN;
    return (Number.isFinite(override) && override > 0 ? override : DEFAULT_SECONDS[kind]) * 1000;
}

/**
 * A sync invocation's time budget: past it, the next `saveCheckpoint` ends the invocation and a
 * continuation starts from that checkpoint, so a run of any length fits the platform's limits.
 */
export function syncBudgetMs(env: Env): number {
    const configured = Number(env.SYNC_TIME_BUDGET_MS);
    return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_SYNC_BUDGET_MS;
}
