import type { Invocation } from '../../functions-runtime/host-contract.js';

// How long a run may take. Actions answer an HTTP caller (or run from the queue, whose consumer
// may take 15 minutes); event functions hold up a connection's creation or deletion.
const DEFAULT_SECONDS: Record<Invocation['kind'], number> = { action: 15 * 60, sync: 15 * 60, webhook: 15 * 60, 'on-event': 5 * 60 };

export function runTimeoutMs(env: Env, kind: Invocation['kind']): number {
    const override = kind === 'action' ? Number(env.ACTION_TIMEOUT_SECONDS) : NaN;
    return (Number.isFinite(override) && override > 0 ? override : DEFAULT_SECONDS[kind]) * 1000;
}
