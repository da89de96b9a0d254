import type { JobMessage } from '../workers/jobs/job-messages.js';

/** How often and whether a sync runs for one connection, as the control plane (D1) says. */
export interface ScheduleConfig {
    syncName: string;
    variant: string;
    integrationKey: string;
    frequencyMs: number;
    status: 'RUNNING' | 'PAUSED';
}

/** What a run was asked to do beyond an ordinary scheduled run. */
export interface RunFlags {
    /** Start from scratch: no checkpoint, no `lastSyncDate`. */
    reset?: boolean;
    /** Delete the sync's records before the run. */
    emptyCache?: boolean;
}

/** The queue message that runs one invocation of a sync run. */
export type SyncInvocationMessage = Extract<JobMessage, { type: 'run_sync' }>;

/** What the consumer needs to run an invocation it was allowed to start. */
export interface InvocationGrant {
    integrationKey: string;
    runStartedAt: number;
    flags: RunFlags;
    /** Start of the last successful run, unless the run resets. */
    lastSyncDate: number | null;
    /** The run's operation, created by its first invocation. */
    operationId: number | null;
    /** The checkpoint the run started from (JSON), for the run's report. */
    checkpointFrom: string | null;
}

/** A run the Durable Object gave up on (its invocation never reported back in time), as its queue message carries it. */
export type LostRun = Omit<Extract<JobMessage, { type: 'sync_run_lost' }>, 'type' | 'environmentId' | 'uid'>;

export interface RunEnd {
    nextRunAt: number | null;
    /** The checkpoint the run ended with (JSON). */
    checkpointTo: string | null;
    /** How many invocations the run took (more than one when it was continued). */
    invocations: number;
}

/** The schedule as reported by `GET /sync/status`. */
export interface ScheduleSnapshot {
    running: boolean;
    nextRunAt: number | null;
    checkpoint: string | null;
}

/** Where a schedule stands after `applySchedules`. */
export interface AppliedSchedule {
    syncName: string;
    variant: string;
    nextRunAt: number | null;
}
