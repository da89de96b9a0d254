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
import { DryRunCollector } from './dry-run-collector.js';
import { HostCore } from './host-core.js';
import type { HostProps } from './host-props.js';
import { RecordAccess } from './record-access.js';

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

    readonly collected: DryRunCollector;
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
        this.collected = new DryRunCollector(start);
    }

    proxy(request: HostProxyRequest): Promise<HostResponse> {
        return this.collected.traced(request.method, request.endpoint, () => this.core.proxy(request));
    }

    uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        return this.collected.traced(request.method ?? 'GET', request.url, () => this.core.uncontrolledFetch(request));
    }

    async getConnection(options?: ConnectionRequest): Promise<ConnectionView> {
        const view = await this.core.getConnection(options);
        const own = !options?.connectionId && !options?.providerConfigKey;
        const { metadata } = this.collected;
        return own && metadata !== null ? { ...view, metadata } : view;
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
        this.collected.logs.push({ level: 'info', message: `dry run: would ${verb} ${syncs.join(', ') || 'no syncs'} on ${connections} connection(s)`, payload: { syncs, connections, flags }, at: Date.now() });
    }

    /** In memory (see DryRunCollector); within the run they behave as on the platform. */
    async tryAcquireLock(key: string, ttlMs: number): Promise<boolean> {
        return this.collected.locks.acquire(this.core.lockKey(key), this.core.lockTtl(ttlMs));
    }

    async releaseLock(key: string): Promise<boolean> {
        return this.collected.locks.release(this.core.lockKey(key));
    }

    async releaseAllLocks(): Promise<void> {
        this.collected.locks.releaseAll();
    }

    async setMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.collected.metadata = metadata;
    }

    async updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.collected.mergeMetadata(metadata, this.props.ref.row.metadata);
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        return this.collected.checkpoint;
    }

    /** A dry run is never cut short: it reports what one uninterrupted invocation does. */
    async saveCheckpoint(checkpoint: Checkpoint): Promise<boolean> {
        this.collected.checkpoint = checkpoint;
        return false;
    }

    async clearCheckpoint(): Promise<void> {
        this.collected.checkpoint = null;
    }

    async log(entry: LogEntry): Promise<void> {
        this.collected.logs.push(entry);
    }

    /** The action runs as a dry run too, from what it would find; its log lines and HTTP calls join this run's. */
    async triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown> {
        let sameConnection = false;
        const ctx = { env: this.env, exports: this.exports, waitUntil: this.defer };
        const report = await runNestedAction(ctx, this.props, { providerConfigKey, connectionId, actionName, input }, async (ref) => {
            sameConnection = ref.row.uid === this.props.ref.row.uid;
            const stored = await this.env.CONNECTION.getByName(ref.row.uid).getCheckpoint(checkpointKey('action', actionName));
            const { metadata } = this.collected;
            return { checkpoint: stored === null ? null : (JSON.parse(stored) as Checkpoint), ...(sameConnection && metadata !== null && { metadata }) };
        });
        this.collected.join(report.dryRun!, sameConnection);
        return nestedOutput(report);
    }

    async batchSave(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.#access().scope(model);
        this.collected.save(model, records, options);
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        this.#access().scope(model);
        this.collected.delete(model, records);
    }

    async batchUpdate(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.#access().scope(model);
        this.collected.update(model, records, options);
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
        this.collected.trackDeletesStart(model);
    }

    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        const access = this.#access();
        access.scope(model);
        return this.collected.trackDeletesEnd(model, (cursor) => access.list(model, cursor === undefined ? {} : { cursor }));
    }

    #access(): RecordAccess {
        return new RecordAccess(this.env, this.props);
    }
}
