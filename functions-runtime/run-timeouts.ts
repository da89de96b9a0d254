import type { Invocation } from './host-contract.js';

// How long one invocation may take. Actions answer an HTTP caller or run from the queue, whose
// consumer may take 15 minutes; a sync invocation stops a minute short of that, so its end is
// always recorded (durable-objects/sync-scheduler.ts leases a slot for 16 minutes); event
// functions hold up a connection's creation or deletion. Local dry runs keep the same limits.
export const DEFAULT_RUN_SECONDS: Record<Invocation['kind'], number> = { action: 15 * 60, sync: 14 * 60, webhook: 14 * 60, 'on-event': 5 * 60 };
