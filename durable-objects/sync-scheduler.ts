import type { SeenRecords } from './seen-records.js';
import { checkpointKey } from '../functions-runtime/checkpoint-key.js';
import type { JobMessage } from '../workers/jobs/job-messages.js';
import type { AppliedSchedule, InvocationGrant, LostRun, RunEnd, RunFlags, ScheduleConfig, ScheduleSnapshot, SyncInvocationMessage } from './sync-types.js';

/** Appended to the ConnectionDO's migrations. */
export const SYNC_SCHEDULER_MIGRATIONS = [
    `CREATE TABLE sync_state (
        sync_name TEXT NOT NULL,
        variant TEXT NOT NULL,
        integration_key TEXT NOT NULL,
        frequency_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        anchor INTEGER NOT NULL,
        next_run_at INTEGER,
        removed INTEGER NOT NULL DEFAULT 0,
        run_id TEXT,
        run_started_at INTEGER,
        run_flags TEXT,
        run_operation_id INTEGER,
        invocation INTEGER,
        invocation_started INTEGER,
        lease_until INTEGER,
        checkpoint_from TEXT,
        pending TEXT,
        last_sync_date INTEGER,
        PRIMARY KEY (sync_name, variant)
    )`,
    `CREATE TABLE sync_owner (id INTEGER PRIMARY KEY CHECK (id = 1), environment_id TEXT NOT NULL, uid TEXT NOT NULL)`
] as const;

// A run waiting in the queue may wait behind others; one under way ends within its hard limit
// (14 minutes, workers/functions/run-limits.ts) or is lost.
const QUEUED_LEASE_MS = 60 * 60_000;
const RUNNING_LEASE_MS = 16 * 60_000;

interface StateRow {
    sync_name: string;
    variant: string;
    integration_key: string;
    frequency_ms: number;
    status: string;
    anchor: number;
    next_run_at: number | null;
    removed: number;
    run_id: string | null;
    run_started_at: number | null;
    run_flags: string | null;
    run_operation_id: number | null;
    invocation: number | null;
    invocation_started: number | null;
    lease_until: number | null;
    checkpoint_from: string | null;
    pending: string | null;
    last_sync_date: number | null;
    [key: string]: SqlStorageValue;
}

/** The first slot of the schedule's grid (anchor + k × frequency) after `now`: missed slots are skipped, never queued. */
export function nextSlot(anchor: number, frequencyMs: number, now: number): number {
    if (anchor > now) return anchor;
    return anchor + (Math.floor((now - anchor) / frequencyMs) + 1) * frequencyMs;
}

const checkpointKeyOf = (syncName: string, variant: string) => checkpointKey('sync', syncName, variant);

/** Flags asked for by several triggers: a run that does what any of them asked. */
const mergeFlags = (a: RunFlags, b: RunFlags): RunFlags => ({
    ...((a.reset || b.reset) && { reset: true }),
    ...((a.emptyCache || b.emptyCache) && { emptyCache: true })
});

/**
 * A connection's sync schedules and the runs they start, inside its Durable Object. One run per
 * (sync, variant) at a time: a run holds the slot from its start until its last invocation
 * reports back, and a lease frees the slot of an invocation that never does. The object's alarm
 * fires due runs and expired leases; runs themselves execute from the queue.
 */
export class SyncScheduler {
    constructor(
        private readonly sql: SqlStorage,
        private readonly storage: DurableObjectStorage,
        private readonly jobs: Queue,
        private readonly seen: SeenRecords
    ) {}

    /** Makes the schedules exactly these (the control plane's list for this connection). */
    async apply(environmentId: string, uid: string, configs: ScheduleConfig[], now: number): Promise<AppliedSchedule[]> {
        this.sql.exec(
            'INSERT INTO sync_owner (id, environment_id, uid) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET environment_id = excluded.environment_id, uid = excluded.uid',
            environmentId,
            uid
        );
        const wanted = new Set(configs.map((c) => `${c.syncName}\u0000${c.variant}`));
        for (const row of this.rows()) {
            if (wanted.has(`${row.sync_name}\u0000${row.variant}`)) continue;
            if (row.run_id) this.sql.exec('UPDATE sync_state SET removed = 1 WHERE sync_name = ? AND variant = ?', row.sync_name, row.variant);
            else this.drop(row.sync_name, row.variant);
        }
        for (const config of configs) {
            const row = this.row(config.syncName, config.variant);
            if (!row) {
                this.sql.exec(
                    'INSERT INTO sync_state (sync_name, variant, integration_key, frequency_ms, status, anchor, next_run_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
                    config.syncName,
                    config.variant,
                    config.integrationKey,
                    config.frequencyMs,
                    config.status,
                    now,
                    config.status === 'RUNNING' ? now : null
                );
                continue;
            }
            const changed = row.frequency_ms !== config.frequencyMs || row.status !== config.status || row.removed === 1;
            const next = config.status === 'RUNNING' && !row.run_id ? (changed || row.next_run_at === null ? nextSlot(row.anchor, config.frequencyMs, now) : row.next_run_at) : null;
            this.sql.exec(
                'UPDATE sync_state SET integration_key = ?, frequency_ms = ?, status = ?, removed = 0, next_run_at = ? WHERE sync_name = ? AND variant = ?',
                config.integrationKey,
                config.frequencyMs,
                config.status,
                next,
                config.syncName,
                config.variant
            );
        }
        await this.rearm(now);
        return this.rows()
            .filter((row) => !row.removed)
            .map((row) => ({ syncName: row.sync_name, variant: row.variant, nextRunAt: row.next_run_at }));
    }

    /** Runs the sync now, or right after the run under way. Returns false when the connection has no such schedule. */
    async trigger(syncName: string, variant: string, flags: RunFlags, now: number): Promise<boolean> {
        const row = this.row(syncName, variant);
        if (!row || row.removed) return false;
        if (row.run_id) {
            // Triggers during a run make one follow-up run that does what any of them asked.
            const pending = mergeFlags(row.pending ? (JSON.parse(row.pending) as RunFlags) : {}, flags);
            this.sql.exec('UPDATE sync_state SET pending = ? WHERE sync_name = ? AND variant = ?', JSON.stringify(pending), syncName, variant);
            return true;
        }
        await this.start(row, flags, now);
        await this.rearm(now);
        return true;
    }

    /** Lets the invocation run once: a second delivery of the same message gets null. */
    begin(syncName: string, variant: string, runId: string, invocation: number, now: number): InvocationGrant | null {
        const row = this.row(syncName, variant);
        if (!row || row.run_id !== runId || row.invocation !== invocation || row.invocation_started) return null;
        this.sql.exec('UPDATE sync_state SET invocation_started = 1, lease_until = ? WHERE sync_name = ? AND variant = ?', now + RUNNING_LEASE_MS, syncName, variant);
        const flags = row.run_flags ? (JSON.parse(row.run_flags) as RunFlags) : {};
        if (flags.reset && invocation === 1) {
            this.storage.sql.exec('DELETE FROM checkpoints WHERE key = ?', checkpointKeyOf(syncName, variant));
            this.seen.forgetSync(syncName, variant);
        }
        return {
            integrationKey: row.integration_key,
            runStartedAt: row.run_started_at!,
            flags,
            lastSyncDate: flags.reset ? null : row.last_sync_date,
            operationId: row.run_operation_id,
            checkpointFrom: row.checkpoint_from
        };
    }

    attachOperation(syncName: string, variant: string, runId: string, operationId: number): void {
        this.sql.exec('UPDATE sync_state SET run_operation_id = ? WHERE sync_name = ? AND variant = ? AND run_id = ?', operationId, syncName, variant, runId);
    }

    /** The invocation spent its time budget at a checkpoint: the next one starts at once, keeping the slot. */
    async continueRun(syncName: string, variant: string, runId: string, invocation: number, now: number): Promise<boolean> {
        const row = this.row(syncName, variant);
        if (!row || row.run_id !== runId || row.invocation !== invocation) return false;
        this.sql.exec(
            'UPDATE sync_state SET invocation = ?, invocation_started = 0, lease_until = ? WHERE sync_name = ? AND variant = ?',
            invocation + 1,
            now + QUEUED_LEASE_MS,
            syncName,
            variant
        );
        await this.sendRun(row, runId, invocation + 1, () =>
            this.sql.exec('UPDATE sync_state SET invocation = ?, invocation_started = 1 WHERE sync_name = ? AND variant = ?', invocation, syncName, variant)
        );
        await this.rearm(now);
        return true;
    }

    /** The run is over: frees the slot and schedules the next run (at once if a trigger came in meanwhile). */
    async finish(syncName: string, variant: string, runId: string, succeeded: boolean, now: number): Promise<RunEnd | null> {
        const row = this.row(syncName, variant);
        if (!row || row.run_id !== runId) return null;
        const checkpointTo = this.checkpoint(syncName, variant);
        this.release(syncName, variant, runId, succeeded ? row.run_started_at : row.last_sync_date);
        let nextRunAt: number | null = null;
        if (row.removed) {
            this.drop(syncName, variant);
        } else if (row.pending) {
            nextRunAt = now;
            // If the queue refuses the follow-up, it stays pending and due: the alarm starts it.
            await this.start(this.row(syncName, variant)!, JSON.parse(row.pending) as RunFlags, now).catch((error: unknown) => {
                console.error(`sync ${syncName}:${variant}: the queued follow-up run could not start yet`, error);
                this.sql.exec('UPDATE sync_state SET next_run_at = ? WHERE sync_name = ? AND variant = ?', now, syncName, variant);
            });
        } else if (row.status === 'RUNNING') {
            nextRunAt = nextSlot(row.anchor, row.frequency_ms, now);
            this.sql.exec('UPDATE sync_state SET next_run_at = ? WHERE sync_name = ? AND variant = ?', nextRunAt, syncName, variant);
        }
        await this.rearm(now);
        return { nextRunAt, checkpointTo, invocations: row.invocation ?? 1 };
    }

    snapshot(syncName: string, variant: string): ScheduleSnapshot | null {
        const row = this.row(syncName, variant);
        if (!row) return null;
        return { running: row.run_id !== null, nextRunAt: row.next_run_at, checkpoint: this.checkpoint(syncName, variant) };
    }

    /** Frees the slots of lost runs (reported to the queue, which records their failure), then starts due runs. */
    async alarm(now: number): Promise<void> {
        const owner = this.owner();
        for (const row of this.rows()) {
            if (!row.run_id || row.lease_until === null || row.lease_until > now) continue;
            const flags = row.run_flags ? (JSON.parse(row.run_flags) as RunFlags) : {};
            const lost: LostRun = {
                syncName: row.sync_name,
                variant: row.variant,
                integrationKey: row.integration_key,
                runId: row.run_id,
                runStartedAt: row.run_started_at!,
                flags,
                initial: row.last_sync_date === null || flags.reset === true,
                operationId: row.run_operation_id,
                checkpointFrom: row.checkpoint_from,
                checkpointTo: this.checkpoint(row.sync_name, row.variant),
                // A trigger that came in during the lost run runs at once; otherwise the next slot.
                nextRunAt: row.removed ? null : row.pending ? now : row.status === 'RUNNING' ? nextSlot(row.anchor, row.frequency_ms, now) : null
            };
            // Reported before the slot is freed: if the queue refuses, the next alarm finds the run again.
            if (owner) await this.jobs.send({ type: 'sync_run_lost', environmentId: owner.environment_id, uid: owner.uid, ...lost } satisfies JobMessage);
            this.release(row.sync_name, row.variant, row.run_id, row.last_sync_date);
            if (row.removed) this.drop(row.sync_name, row.variant);
            else this.sql.exec('UPDATE sync_state SET next_run_at = ? WHERE sync_name = ? AND variant = ?', lost.nextRunAt, row.sync_name, row.variant);
        }
        for (const row of this.rows()) {
            if (row.status === 'RUNNING' || row.pending) {
                if (!row.run_id && !row.removed && row.next_run_at !== null && row.next_run_at <= now) await this.start(row, row.pending ? (JSON.parse(row.pending) as RunFlags) : {}, now);
            }
        }
        await this.rearm(now);
    }

    private async start(row: StateRow, flags: RunFlags, now: number): Promise<void> {
        const runId = crypto.randomUUID();
        // A reset run starts without the checkpoint, which `begin` deletes once the run really starts.
        const checkpointFrom = flags.reset ? null : this.checkpoint(row.sync_name, row.variant);
        this.sql.exec(
            `UPDATE sync_state SET run_id = ?, run_started_at = ?, run_flags = ?, run_operation_id = NULL, invocation = 1, invocation_started = 0,
             lease_until = ?, checkpoint_from = ?, pending = NULL, next_run_at = NULL WHERE sync_name = ? AND variant = ?`,
            runId,
            now,
            JSON.stringify(flags),
            now + QUEUED_LEASE_MS,
            checkpointFrom,
            row.sync_name,
            row.variant
        );
        await this.sendRun(row, runId, 1, () => {
            // Put back what the run would have done, with any trigger that came in meanwhile.
            const meanwhile = this.row(row.sync_name, row.variant)?.pending;
            const pending = row.pending || meanwhile ? JSON.stringify(mergeFlags(row.pending ? (JSON.parse(row.pending) as RunFlags) : {}, meanwhile ? (JSON.parse(meanwhile) as RunFlags) : {})) : null;
            this.release(row.sync_name, row.variant, runId, row.last_sync_date);
            this.sql.exec('UPDATE sync_state SET next_run_at = ?, pending = ? WHERE sync_name = ? AND variant = ?', row.next_run_at ?? now, pending, row.sync_name, row.variant);
        });
    }

    /** Sends the invocation's message; if the queue refuses it, `undo` puts the state back and the error propagates (an alarm retries). */
    private async sendRun(row: StateRow, runId: string, invocation: number, undo: () => void): Promise<void> {
        const owner = this.owner();
        if (!owner) throw new Error('sync schedules were never applied to this connection');
        const message: SyncInvocationMessage = { type: 'run_sync', environmentId: owner.environment_id, uid: owner.uid, syncName: row.sync_name, variant: row.variant, runId, invocation };
        try {
            await this.jobs.send(message);
        } catch (error) {
            undo();
            throw error;
        }
    }

    /** Frees the slot of this run only: a run started since keeps it. */
    private release(syncName: string, variant: string, runId: string, lastSyncDate: number | null): void {
        this.sql.exec(
            `UPDATE sync_state SET run_id = NULL, run_started_at = NULL, run_flags = NULL, run_operation_id = NULL, invocation = NULL, invocation_started = NULL,
             lease_until = NULL, checkpoint_from = NULL, last_sync_date = ? WHERE sync_name = ? AND variant = ? AND run_id = ?`,
            lastSyncDate,
            syncName,
            variant,
            runId
        );
    }

    private drop(syncName: string, variant: string): void {
        this.sql.exec('DELETE FROM sync_state WHERE sync_name = ? AND variant = ?', syncName, variant);
        this.sql.exec('DELETE FROM checkpoints WHERE key = ?', checkpointKeyOf(syncName, variant));
        this.seen.forgetSync(syncName, variant);
    }

    /** The alarm fires at the earliest due run or lease expiry. */
    private async rearm(now: number): Promise<void> {
        const { at } = this.sql
            .exec<{ at: number | null }>(
                `SELECT MIN(CASE WHEN run_id IS NOT NULL THEN lease_until WHEN status = 'RUNNING' AND removed = 0 THEN next_run_at END) AS at FROM sync_state`
            )
            .one();
        if (at === null) await this.storage.deleteAlarm();
        else await this.storage.setAlarm(Math.max(at, now));
    }

    private checkpoint(syncName: string, variant: string): string | null {
        return this.storage.sql.exec<{ value: string }>('SELECT value FROM checkpoints WHERE key = ?', checkpointKeyOf(syncName, variant)).toArray()[0]?.value ?? null;
    }

    private owner() {
        return this.sql.exec<{ environment_id: string; uid: string }>('SELECT environment_id, uid FROM sync_owner WHERE id = 1').toArray()[0] ?? null;
    }

    private row(syncName: string, variant: string): StateRow | null {
        return this.sql.exec<StateRow>('SELECT * FROM sync_state WHERE sync_name = ? AND variant = ?', syncName, variant).toArray()[0] ?? null;
    }

    private rows(): StateRow[] {
        return this.sql.exec<StateRow>('SELECT * FROM sync_state').toArray();
    }
}
