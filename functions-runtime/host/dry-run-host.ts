import { RpcTarget } from 'cloudflare:workers';
import type {
    BatchOptions,
    Checkpoint,
    ConnectionRequest,
    ConnectionView,
    EnvironmentVariable,
    FunctionHost,
    HostFetchRequest,
    HostProxyRequest,
    HostResponse,
    IntegrationInclude,
    IntegrationView,
    LogEntry,
    StoredRecord,
    SyncControl,
    SyncRecord,
    SyncRunFlags
} from '../host-contract.js';
import { checkpointKey } from '../checkpoint-key.js';
import { nestedOutput, runNestedAction } from '../nested-action.js';
import { guardDeadline } from './deadline-guard.js';
import type { DryRunCall } from './dry-run-call.js';
import { DeleteTracker } from './delete-tracker.js';
import { HostCore } from './host-core.js';
import type { HostProps } from './host-props.js';
import { RecordAccess } from './record-access.js';
import { RunLocks } from './run-locks.js';

export interface DryRunStart {
    checkpoint?: Record<string, string | number | boolean> | null;
    /** Replaces the connection's metadata for this run. */
    metadata?: Record<string, unknown>;
}

/**
 * The host of `spoke dryrun`: real calls to the provider with the connection's credentials, but
 * nothing persisted. Records, metadata and checkpoint writes and log lines are collected for the
 * developer to read.
 */
export class DryRunHost extends RpcTarget implements FunctionHost {
    static {
        guardDeadline(this.prototype, (host) => host.core.checkDeadline());
    }

    readonly logs: LogEntry[] = [];
    readonly http: DryRunCall[] = [];
    readonly records: Record<string, SyncRecord[]> = {};
    readonly deletes: Record<string, SyncRecord[]> = {};
    /** Per model, the records the sandbox refused (they failed the model's schema). */
    readonly rejected: Record<string, number> = {};
    private readonly tracking = new DeleteTracker();
    /** Only the dry run sees them. */
    private readonly locks = new RunLocks();
    checkpoint: Checkpoint | null;
    metadata: Record<string, unknown> | null;
    private readonly core: HostCore;

    constructor(
        private readonly env: Env,
        private readonly exports: Cloudflare.Exports,
        private readonly props: HostProps,
        start: DryRunStart,
        private readonly defer: (work: Promise<unknown>) => void
    ) {
        super();
        this.core = new HostCore(env, props, defer);
        this.checkpoint = start.checkpoint ?? null;
        this.metadata = start.metadata ?? null;
    }

    proxy(request: HostProxyRequest): Promise<HostResponse> {
        return this.#traced(request.method, request.endpoint, () => this.core.proxy(request));
    }

    uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        return this.#traced(request.method ?? 'GET', request.url, () => this.core.uncontrolledFetch(request));
    }

    async #traced(method: string, url: string, call: () => Promise<HostResponse>): Promise<HostResponse> {
        const startedAt = Date.now();
        let status = 0;
        try {
            const response = await call();
            status = response.status;
            return response;
        } finally {
            this.http.push({ method, url, status, duration_ms: Date.now() - startedAt });
        }
    }

    async getConnection(options?: ConnectionRequest): Promise<ConnectionView> {
        const view = await this.core.getConnection(options);
        const own = !options?.connectionId && !options?.providerConfigKey;
        return own && this.metadata !== null ? { ...view, metadata: this.metadata } : view;
    }

    getIntegration(include: IntegrationInclude[]): Promise<IntegrationView> {
        return this.core.getIntegration(include);
    }

    getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return this.core.getEnvironmentVariables();
    }

    /** Checked as the platform would (unknown syncs fail), then only logged: a dry run starts nothing. */
    async triggerSync(control: SyncControl, flags: SyncRunFlags): Promise<void> {
        this.#logSyncControl('trigger', await this.core.syncTargets(control), flags);
    }

    async startSync(control: SyncControl): Promise<void> {
        this.#logSyncControl('start', await this.core.syncTargets(control), {});
    }

    #logSyncControl(verb: string, rows: { syncName: string; variant: string; connectionUid: string }[], flags: SyncRunFlags) {
        const syncs = [...new Set(rows.map((r) => (r.variant === 'base' ? r.syncName : `${r.syncName}::${r.variant}`)))];
        const connections = new Set(rows.map((r) => r.connectionUid)).size;
        this.logs.push({ level: 'info', message: `dry run: would ${verb} ${syncs.join(', ') || 'no syncs'} on ${connections} connection(s)`, payload: { syncs, connections, flags }, at: Date.now() });
    }

    /**
     * Locks of a dry run stay in memory: it neither takes nor sees the locks of real runs. Within the
     * run they behave as on the platform.
     */
    async tryAcquireLock(key: string, ttlMs: number): Promise<boolean> {
        return this.locks.acquire(this.core.lockKey(key), this.core.lockTtl(ttlMs));
    }

    async releaseLock(key: string): Promise<boolean> {
        return this.locks.release(this.core.lockKey(key));
    }

    async releaseAllLocks(): Promise<void> {
        this.locks.releaseAll();
    }

    async setMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.metadata = metadata;
    }

    async updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.metadata = { ...(this.metadata ?? this.props.ref.row.metadata), ...metadata };
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        return this.checkpoint;
    }

    /** A dry run is never cut short: it reports what one uninterrupted invocation does. */
    async saveCheckpoint(checkpoint: Checkpoint): Promise<boolean> {
        this.checkpoint = checkpoint;
        return false;
    }

    async clearCheckpoint(): Promise<void> {
        this.checkpoint = null;
    }

    async log(entry: LogEntry): Promise<void> {
        this.logs.push(entry);
    }

    /** The action runs as a dry run too, from what it would find; its log lines and HTTP calls join this run's. */
    async triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown> {
        let sameConnection = false;
        const ctx = { env: this.env, exports: this.exports, waitUntil: this.defer };
        const report = await runNestedAction(ctx, this.props, { providerConfigKey, connectionId, actionName, input }, async (ref) => {
            sameConnection = ref.row.uid === this.props.ref.row.uid;
            const stored = await this.env.CONNECTION.getByName(ref.row.uid).getCheckpoint(checkpointKey('action', actionName));
            return { checkpoint: stored === null ? null : (JSON.parse(stored) as Checkpoint), ...(sameConnection && this.metadata !== null && { metadata: this.metadata }) };
        });
        const nested = report.dryRun!;
        this.logs.push(...nested.logs);
        this.http.push(...nested.http);
        // Its metadata writes are this connection's, as the rest of the run would see them.
        if (sameConnection && nested.metadata !== null) this.metadata = nested.metadata;
        return nestedOutput(report);
    }

    async batchSave(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.#collect(model, records, options);
        this.tracking.saved(model, records);
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        this.#access().scope(model);
        (this.deletes[model] ??= []).push(...records);
    }

    /** Nothing is stored in a dry run, so an update shows as what it would save; as on the platform, it does not count for delete tracking. */
    async batchUpdate(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.#collect(model, records, options);
    }

    // Reads see the connection's stored records: what the run would find, before its own writes.

    getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        return this.#access().byIds(model, ids);
    }

    listRecords(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
        return this.#access().list(model, options);
    }

    async trackDeletesStart(model: string): Promise<void> {
        this.#access().scope(model);
        this.tracking.start(model);
    }

    /**
     * Reports as deletes the stored records not saved since the start, deleting nothing; records
     * this run already deleted are left out, as the platform would find them deleted.
     */
    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        this.#access().scope(model);
        const kept = this.tracking.end(model);
        for (const record of this.deletes[model] ?? []) kept.add(String(record.id));
        const deletedIds: string[] = [];
        let cursor: string | undefined;
        do {
            const page = await this.#access().list(model, cursor === undefined ? {} : { cursor });
            deletedIds.push(...page.records.map((r) => String(r.id)).filter((id) => !kept.has(id)));
            cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        (this.deletes[model] ??= []).push(...deletedIds.map((id) => ({ id })));
        return { deletedIds };
    }

    #collect(model: string, records: SyncRecord[], options: BatchOptions | undefined) {
        this.#access().scope(model);
        (this.records[model] ??= []).push(...records);
        if (options?.rejected) this.rejected[model] = (this.rejected[model] ?? 0) + options.rejected;
    }

    #access(): RecordAccess {
        return new RecordAccess(this.env, this.props);
    }
}
