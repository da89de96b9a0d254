import type {
    Checkpoint,
    ConnectionView,
    EnvironmentVariable,
    FunctionHost,
    HostFetchRequest,
    HostProxyRequest,
    HostResponse,
    IntegrationView,
    LogEntry,
    StoredRecord,
    SyncRecord
} from '../../../functions-runtime/host-contract.js';
import type { RecordedTraffic } from './recorded-traffic.js';
import { ReplayRecords, type RecordsByModel } from './replay-records.js';
import { fetchIdentity, proxyIdentity } from './request-matching.js';
import { RunLocks } from '../../../functions-runtime/host/run-locks.js';

/**
 * The host of `spoke test`: upstream calls are answered from a test file's recordings, and
 * everything the function changes (records, metadata, checkpoint, logs) is kept in memory for
 * the test to compare.
 */
export class ReplayHost implements FunctionHost {
    readonly saved: RecordsByModel = {};
    /** batchDelete's records, and `{ id }` for each record trackDeletesEnd deleted. */
    readonly deleted: RecordsByModel = {};
    readonly updated: RecordsByModel = {};
    readonly logs: LogEntry[] = [];
    metadata: Record<string, unknown> | null;
    checkpoint: Checkpoint | null;
    readonly #records: ReplayRecords;
    readonly #locks = new RunLocks();

    constructor(
        private readonly traffic: RecordedTraffic,
        private readonly connection: ConnectionView,
        private readonly state: { checkpoint: Checkpoint | null; environmentVariables: EnvironmentVariable[]; storedRecords: RecordsByModel }
    ) {
        this.metadata = connection.metadata;
        this.checkpoint = state.checkpoint;
        this.#records = new ReplayRecords(state.storedRecords);
    }

    async proxy(request: HostProxyRequest): Promise<HostResponse> {
        return this.answer('proxy', proxyIdentity(request));
    }

    async uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        return this.answer('fetch', fetchIdentity(request));
    }

    private answer(kind: 'proxy' | 'fetch', identity: ReturnType<typeof proxyIdentity>): HostResponse {
        const response = this.traffic.answer(kind, identity);
        if (!response) throw new Error(`spoke test: ${this.traffic.misses.at(-1)}`);
        return response;
    }

    async getConnection(): Promise<ConnectionView> {
        return structuredClone({ ...this.connection, metadata: this.metadata });
    }

    async setMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.metadata = structuredClone(metadata);
    }

    async updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.metadata = { ...this.metadata, ...structuredClone(metadata) };
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        return structuredClone(this.checkpoint);
    }

    /** A test run has no time budget to spend, so it is never interrupted. */
    async saveCheckpoint(checkpoint: Checkpoint): Promise<boolean> {
        this.checkpoint = structuredClone(checkpoint);
        return false;
    }

    async clearCheckpoint(): Promise<void> {
        this.checkpoint = null;
    }

    async getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return structuredClone(this.state.environmentVariables);
    }

    async getIntegration(): Promise<IntegrationView> {
        throw new Error('spoke test cannot answer nango.getIntegration() or getWebhookURL(): a test file records no integration');
    }

    /** A test replays one function: the syncs it would start don't run. */
    async triggerSync(): Promise<void> {}

    async startSync(): Promise<void> {}

    /** One run, so one owner: locks are only ever free or this run's. */
    async tryAcquireLock(key: string, ttlMs: number): Promise<boolean> {
        return this.#locks.acquire(key, ttlMs);
    }

    async releaseLock(key: string): Promise<boolean> {
        return this.#locks.release(key);
    }

    async releaseAllLocks(): Promise<void> {
        this.#locks.releaseAll();
    }

    async triggerAction(_providerConfigKey: string, _connectionId: string, actionName: string): Promise<unknown> {
        throw new Error(`spoke test cannot run nango.triggerAction("${actionName}"): a test replays one function, and its file records no other function's output`);
    }

    async log(entry: LogEntry): Promise<void> {
        this.logs.push(entry);
    }

    async batchSave(model: string, records: SyncRecord[]): Promise<void> {
        append(this.saved, model, records);
        this.#records.save(model, records);
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        append(this.deleted, model, records);
        this.#records.delete(model, records);
    }

    async batchUpdate(model: string, records: SyncRecord[]): Promise<void> {
        append(this.updated, model, records);
    }

    async getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        return this.#records.byIds(model, ids);
    }

    async listRecords(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
        return this.#records.list(model, options);
    }

    async trackDeletesStart(model: string): Promise<void> {
        this.#records.trackStart(model);
    }

    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        const ids = this.#records.trackEnd(model);
        append(this.deleted, model, ids.map((id) => ({ id })));
        return { deletedIds: ids.map(String) };
    }
}

function append(target: RecordsByModel, model: string, records: SyncRecord[]): void {
    (target[model] ??= []).push(...structuredClone(records));
}
