import { DurableObject } from 'cloudflare:workers';
import type { ConnectionSecrets, CredentialsResult } from '../workers/connections/credentials.js';
import { keyringFor } from '../workers/crypto/keyring.js';
import { database } from '../workers/db.js';
import { TokenRequestError } from '../workers/oauth/token-request.js';
import { type ConnectionKey, loadRefreshContext } from './refresh-context.js';
import { recordRefreshDue, recordRefreshFailure, recordRefreshSuccess } from './refresh-outcome.js';
import { dueForRefresh, type FailureState, inBackoff, MAX_REFRESH_FAILURES, NO_FAILURES, stillValid, SWEEP_LOOKAHEAD_MS, sweepDueAt } from './refresh-policy.js';
import { CONNECTION_LOCKS_MIGRATIONS, ConnectionLocks } from './connection-locks.js';
import { refreshUpstream } from './refresh-upstream.js';
import { SEEN_RECORDS_MIGRATIONS, SeenRecords } from './seen-records.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { SYNC_SCHEDULER_MIGRATIONS, SyncScheduler } from './sync-scheduler.js';
import type { AppliedSchedule, InvocationGrant, RunEnd, RunFlags, ScheduleConfig, ScheduleSnapshot } from './sync-types.js';

const MIGRATIONS = [
    `CREATE TABLE secrets (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        connection_uid TEXT NOT NULL,
        ciphertext TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    )`,
    `CREATE TABLE refresh_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL,
        last_failure_at INTEGER,
        last_error TEXT,
        exhausted INTEGER NOT NULL
    )`,
    `CREATE TABLE checkpoints (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    )`,
    ...SYNC_SCHEDULER_MIGRATIONS,
    ...SEEN_RECORDS_MIGRATIONS,
    ...CONNECTION_LOCKS_MIGRATIONS
] as const;

const aad = (uid: string) => `connection:${uid}`;

const MISSING: CredentialsResult = { ok: false, error: { status: 500, code: 'missing_credentials', message: 'The connection has no stored credentials' } };

export interface CredentialsOptions {
    /** Refresh now, even if the token is fresh, exhausted or backing off. */
    force: boolean;
    /** Refresh when the token expires within this window (15 minutes, or the provider's own). */
    marginMs: number;
}

/**
 * One per connection, named by the connection's uid. The only place its credentials exist: they
 * are sealed with the platform keyring (AES-256-GCM) and bound to the uid, and each write or read
 * through an older key moves them to the current one.
 *
 * It also keeps them fresh. A Durable Object handles one event at a time, but lets others in
 * while it waits on the provider; so concurrent readers that find the token due for refresh share
 * one upstream call (`inflight`) instead of racing each other and the provider's token rotation.
 */
export class ConnectionDO extends DurableObject<Env> {
    private migrated = false;
    /** The last secrets decrypted, with the ciphertext they came from. */
    private cache: { ciphertext: string; secrets: ConnectionSecrets } | null = null;
    private inflight: Promise<CredentialsResult> | null = null;
    /**
     * Counts the times the secrets were replaced (a save) or wiped (a purge); resealing them under
     * a newer key changes nothing. A refresh that started before either stores and counts nothing.
     * In memory: a refresh under way keeps the object alive, and dies with it.
     */
    private generation = 0;
    /**
     * The per-connection rate limit: once the provider answers 429 with a wait, every caller of
     * this connection waits for it, instead of each one hitting the provider again. Kept in memory:
     * a limit lasts seconds, and losing it with the object only costs one more 429.
     */
    private rateLimitedUntil = 0;

    private get sql(): SqlStorage {
        if (!this.migrated) {
            migrateSqlite(this.ctx.storage, MIGRATIONS);
            this.migrated = true;
        }
        return this.ctx.storage.sql;
    }

    /**
     * Stores new credentials (`secretsJson`: ConnectionSecrets as JSON) and forgets earlier refresh
     * failures. A refresh of the old ones still under way no longer concerns later readers.
     */
    async saveSecrets(uid: string, secretsJson: string): Promise<void> {
        await this.store(uid, JSON.parse(secretsJson) as ConnectionSecrets);
        this.generation++;
        this.inflight = null;
        this.sql.exec('DELETE FROM refresh_state');
    }

    /** The stored secrets as JSON, without refreshing; null when there are none. */
    async readSecrets(uid: string): Promise<string | null> {
        const secrets = await this.load(uid);
        return secrets && JSON.stringify(secrets);
    }

    /** Credentials that are fresh, refreshing first when due, with the rate limit. Returns a CredentialsResult as JSON. */
    async credentials(key: ConnectionKey, options: CredentialsOptions): Promise<string> {
        const result = await this.fresh(key, options);
        return JSON.stringify(result.ok ? { ...result, rateLimitedUntil: this.rateLimitedUntil > Date.now() ? this.rateLimitedUntil : 0 } : result);
    }

    /**
     * The refresh sweep's visit: refreshes when the token expires within the sweep's lookahead.
     * When it does not (backing off, given up, nothing to refresh with, or not due after all), the
     * index learns from this object's state when to come back, so no connection stays selected
     * for nothing.
     */
    async refreshForSweep(key: ConnectionKey): Promise<void> {
        const result = await this.fresh(key, { force: false, marginMs: SWEEP_LOOKAHEAD_MS });
        if (result.ok && result.refreshed) return;
        // After a purge, reading would create the tables again.
        const secrets = result.ok ? result.secrets : this.migrated ? await this.load(key.uid) : null;
        if (secrets) await recordRefreshDue(database(this.env), key, sweepDueAt(secrets.credentials, this.failureState()));
    }

    /** The provider said to wait until `untilMs`; every caller of this connection will. */
    async reportRateLimit(untilMs: number): Promise<void> {
        this.rateLimitedUntil = Math.max(this.rateLimitedUntil, untilMs);
    }

    /**
     * A function's checkpoint on this connection (`sync:<name>:<variant>`, `action:<name>`), as
     * JSON. Written at once, so a checkpoint saved before a failure survives it.
     */
    async getCheckpoint(key: string): Promise<string | null> {
        return this.sql.exec<{ value: string }>('SELECT value FROM checkpoints WHERE key = ?', key).toArray()[0]?.value ?? null;
    }

    async saveCheckpoint(key: string, valueJson: string): Promise<void> {
        this.sql.exec(
            'INSERT INTO checkpoints (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
            key,
            valueJson,
            Date.now()
        );
    }

    async clearCheckpoint(key: string): Promise<void> {
        this.sql.exec('DELETE FROM checkpoints WHERE key = ?', key);
    }

    // Sync schedules and runs (sync-scheduler.ts) and delete tracking (seen-records.ts).

    async applySchedules(environmentId: string, uid: string, configs: ScheduleConfig[]): Promise<AppliedSchedule[]> {
        return this.scheduler().apply(environmentId, uid, configs, Date.now());
    }

    async triggerSync(syncName: string, variant: string, flags: RunFlags): Promise<boolean> {
        return this.scheduler().trigger(syncName, variant, flags, Date.now());
    }

    async beginSyncInvocation(syncName: string, variant: string, runId: string, invocation: number): Promise<InvocationGrant | null> {
        return this.scheduler().begin(syncName, variant, runId, invocation, Date.now());
    }

    async attachSyncOperation(syncName: string, variant: string, runId: string, operationId: number): Promise<void> {
        this.scheduler().attachOperation(syncName, variant, runId, operationId);
    }

    async continueSyncRun(syncName: string, variant: string, runId: string, invocation: number): Promise<boolean> {
        return this.scheduler().continueRun(syncName, variant, runId, invocation, Date.now());
    }

    async finishSyncRun(syncName: string, variant: string, runId: string, succeeded: boolean): Promise<RunEnd | null> {
        return this.scheduler().finish(syncName, variant, runId, succeeded, Date.now());
    }

    async syncSnapshot(syncName: string, variant: string): Promise<ScheduleSnapshot | null> {
        return this.scheduler().snapshot(syncName, variant);
    }

    async trackDeletesStart(syncName: string, model: string, variant: string): Promise<void> {
        this.seen().start(syncName, model, variant, Date.now());
    }

    async isTrackingDeletes(model: string, variant: string): Promise<boolean> {
        return this.seen().isTracking(model, variant);
    }

    async markSeen(model: string, variant: string, ids: string[]): Promise<void> {
        this.seen().mark(model, variant, ids);
    }

    async seenAmong(model: string, variant: string, ids: string[]): Promise<string[]> {
        return this.seen().seenAmong(model, variant, ids);
    }

    async trackDeletesStop(model: string, variant: string): Promise<void> {
        this.seen().stop(model, variant);
    }

    // Functions' locks on this connection (connection-locks.ts), owned by a function run.

    async tryAcquireLock(owner: string, key: string, ttlMs: number): Promise<boolean> {
        return new ConnectionLocks(this.sql).tryAcquire(owner, key, ttlMs, Date.now());
    }

    async releaseLock(owner: string, key: string): Promise<boolean> {
        return new ConnectionLocks(this.sql).release(owner, key, Date.now());
    }

    async releaseAllLocks(owner: string): Promise<void> {
        new ConnectionLocks(this.sql).releaseAll(owner, Date.now());
    }

    override async alarm(): Promise<void> {
        await this.scheduler().alarm(Date.now());
    }

    /** Deletes everything this connection stored. */
    async purge(): Promise<void> {
        await this.ctx.storage.deleteAlarm();
        await this.ctx.storage.deleteAll();
        this.migrated = false;
        this.cache = null;
        this.generation++;
        this.inflight = null;
    }

    private scheduler(): SyncScheduler {
        return new SyncScheduler(this.sql, this.ctx.storage, this.env.JOBS, this.seen());
    }

    private seen(): SeenRecords {
        return new SeenRecords(this.sql);
    }

    private async fresh(key: ConnectionKey, options: CredentialsOptions): Promise<CredentialsResult> {
        if (this.inflight) return this.inflight;
        // Taken before reading, so a save that lands while we decrypt counts as newer.
        const generation = this.generation;
        const secrets = await this.load(key.uid);
        if (!secrets) return MISSING;
        // A refresh may have started while we were decrypting.
        if (this.inflight) return this.inflight;
        const now = Date.now();
        if (!dueForRefresh(secrets.credentials, options.force, options.marginMs, now)) return { ok: true, secrets, refreshed: false, rateLimitedUntil: 0 };
        if (!options.force) {
            const state = this.failureState();
            if (state.exhausted) {
                return this.fallBack(secrets, 'invalid_credentials', `Automatic refresh stopped after ${state.failures} failures (${state.lastError}); reconnect, or retry with force_refresh`);
            }
            if (inBackoff(state, now)) {
                return this.fallBack(secrets, 'connection_refresh_backoff', `Refreshing failed recently (${state.lastError}); it will be retried shortly`);
            }
        }
        const inflight = this.refresh(key, secrets, generation, options.force).finally(() => {
            // A save or a purge may have let a newer refresh take the slot.
            if (this.inflight === inflight) this.inflight = null;
        });
        this.inflight = inflight;
        return inflight;
    }

    /**
     * Refreshes the secrets of `generation`. The provider is slow enough for the connection to be
     * purged or given new credentials meanwhile; then the outcome is dropped, neither stored nor
     * counted: it must not bring back a deleted connection's credentials, replace newer ones, or
     * mark them as failing.
     */
    private async refresh(key: ConnectionKey, secrets: ConnectionSecrets, generation: number, force: boolean): Promise<CredentialsResult> {
        const db = database(this.env);
        const startedAt = Date.now();
        const context = await loadRefreshContext(db, key);
        let refreshed: ConnectionSecrets;
        try {
            refreshed = await refreshUpstream(this.env, context, secrets);
        } catch (error) {
            if (this.generation !== generation) return this.current(key.uid);
            const message = error instanceof Error ? error.message : String(error);
            const permanent = error instanceof TokenRequestError && error.isPermanent;
            const state = this.recordFailure(message, permanent);
            await recordRefreshFailure(db, this.env, key, context, { credentials: secrets.credentials, state, message, startedAt });
            const explanation = `The provider did not refresh the token: ${message}`;
            return force ? this.failure('invalid_credentials', explanation) : this.fallBack(secrets, 'invalid_credentials', explanation);
        }
        const ciphertext = await this.seal(key.uid, refreshed);
        if (this.generation !== generation) return this.current(key.uid);
        this.write(key.uid, ciphertext, refreshed);
        this.sql.exec('DELETE FROM refresh_state');
        await recordRefreshSuccess(db, key, context, refreshed.credentials, startedAt);
        return { ok: true, secrets: refreshed, refreshed: true, rateLimitedUntil: 0 };
    }

    /** A refresh lost its race with a save or a purge: answer with what is stored now. */
    private async current(uid: string): Promise<CredentialsResult> {
        // After a purge, reading would create the tables again.
        const secrets = this.migrated ? await this.load(uid) : null;
        return secrets ? { ok: true, secrets, refreshed: false, rateLimitedUntil: 0 } : MISSING;
    }

    /** A token that still works is better than an error, even if refreshing it failed. */
    private fallBack(secrets: ConnectionSecrets, code: string, message: string): CredentialsResult {
        return stillValid(secrets.credentials, Date.now()) ? { ok: true, secrets, refreshed: false, rateLimitedUntil: 0 } : this.failure(code, message);
    }

    private failure(code: string, message: string): CredentialsResult {
        return { ok: false, error: { status: 424, code, message } };
    }

    private failureState(): FailureState {
        const row = this.sql
            .exec<{ failures: number; last_failure_at: number | null; last_error: string | null; exhausted: number }>('SELECT * FROM refresh_state WHERE id = 1')
            .toArray()[0];
        return row
            ? { failures: row.failures, lastFailureAt: row.last_failure_at, lastError: row.last_error, exhausted: row.exhausted === 1 }
            : NO_FAILURES;
    }

    private recordFailure(message: string, permanent: boolean): FailureState {
        const previous = this.failureState();
        const failures = previous.failures + 1;
        const state: FailureState = { failures, lastFailureAt: Date.now(), lastError: message.slice(0, 500), exhausted: permanent || failures >= MAX_REFRESH_FAILURES };
        this.sql.exec(
            `INSERT INTO refresh_state (id, failures, last_failure_at, last_error, exhausted) VALUES (1, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, last_error = excluded.last_error, exhausted = excluded.exhausted`,
            state.failures,
            state.lastFailureAt,
            state.lastError,
            state.exhausted ? 1 : 0
        );
        return state;
    }

    private async store(uid: string, secrets: ConnectionSecrets): Promise<void> {
        this.write(uid, await this.seal(uid, secrets), secrets);
    }

    private async seal(uid: string, secrets: ConnectionSecrets): Promise<string> {
        return (await keyringFor(this.env)).encryptJson(secrets, aad(uid));
    }

    private write(uid: string, ciphertext: string, secrets: ConnectionSecrets): void {
        this.sql.exec(
            `INSERT INTO secrets (id, connection_uid, ciphertext, updated_at) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET connection_uid = excluded.connection_uid, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
            uid,
            ciphertext,
            Date.now()
        );
        this.cache = { ciphertext, secrets };
    }

    private async load(uid: string): Promise<ConnectionSecrets | null> {
        const keyring = await keyringFor(this.env);
        for (;;) {
            const row = this.storedRow();
            if (!row) return null;
            if (row.connection_uid !== uid) throw new Error('connection storage belongs to another connection');
            let secrets: ConnectionSecrets;
            if (this.cache?.ciphertext === row.ciphertext) {
                secrets = this.cache.secrets;
            } else {
                const plaintext = await keyring.decrypt(row.ciphertext, aad(uid));
                // Written again while we decrypted (a save or a refresh): read the newer one.
                if (this.storedRow()?.ciphertext !== row.ciphertext) continue;
                secrets = JSON.parse(plaintext) as ConnectionSecrets;
                this.cache = { ciphertext: row.ciphertext, secrets };
            }
            if (keyring.isStale(row.ciphertext)) await this.reseal(uid, secrets, row.ciphertext);
            return secrets;
        }
    }

    /** Moves secrets sealed with an older key to the current one, unless a newer write got there first. */
    private async reseal(uid: string, secrets: ConnectionSecrets, from: string): Promise<void> {
        const resealed = await (await keyringFor(this.env)).encryptJson(secrets, aad(uid));
        if (this.sql.exec('UPDATE secrets SET ciphertext = ? WHERE id = 1 AND ciphertext = ?', resealed, from).rowsWritten) {
            this.cache = { ciphertext: resealed, secrets };
        }
    }

    private storedRow() {
        return this.sql.exec<{ connection_uid: string; ciphertext: string }>('SELECT connection_uid, ciphertext FROM secrets WHERE id = 1').toArray()[0];
    }
}
