import type { Invocation } from './host-contract.js';

// On its own, so that the sync scheduler can name a checkpoint without importing the executor.

/** Where a function's checkpoint lives in its connection's ConnectionDO: per action, or per sync and variant. */
export function checkpointKey(kind: Invocation['kind'], name: string, variant = 'base'): string {
    return kind === 'action' || kind === 'on-event' ? `action:${name}` : `sync:${name}:${variant}`;
}
