import type {
    Checkpoint,
    ConnectionView,
    EnvironmentVariable,
    FunctionHost,
    HostFetchRequest,
    HostProxyRequest,
    HostResponse,
    LogEntry,
    SyncRecord
} from '../../../functions-runtime/host-contract.js';
import type { RecordedTraffic } from './recorded-traffic.js';
import { fetchIdentity, proxyIdentity } from './request-matching.js';

export type RecordsByModel = Record<string, SyncRecord[]>;

/**
 * The host of `spoke test`: upstream calls are answered from a test file's recordings, and
 * everything the function changes (records, metadata, checkpoint, logs) is kept in memory for
 * the test to compare.
 */
export class ReplayHost implements FunctionHost {
    readonly saved: RecordsByModel = {};
    readonly deleted: RecordsByModel = {};
    readonly updated: RecordsByModel = {};
    readonly logs: LogEntry[] = [];
    metadata: Record<string, unknown> | null;
    checkpoint: Checkpoint | null;

    constructor(
        private readonly traffic: RecordedTraffic,
        private readonly connection: ConnectionView,
        private readonly state: { checkpoint: Checkpoint | null; environmentVariables: EnvironmentVariable[]; storedRecords: RecordsByModel }
    ) {
        this.metadata = connection.metadata;
        this.checkpoint = state.checkpoint;
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

    async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
        this.checkpoint = structuredClone(checkpoint);
    }

    async clearCheckpoint(): Promise<void> {
        this.checkpoint = null;
    }

    async getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return structuredClone(this.state.environmentVariables);
    }

    async triggerAction(_providerConfigKey: string, _connectionId: string, actionName: string): Promise<unknown> {
        throw new Error(`spoke test cannot run nango.triggerAction("${actionName}"): a test replays one function, and its file records no other function's output`);
    }

    async log(entry: LogEntry): Promise<void> {
        this.logs.push(entry);
    }

    async batchSave(model: string, records: SyncRecord[]): Promise<void> {
        append(this.saved, model, records);
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        append(this.deleted, model, records);
    }

    async batchUpdate(model: string, records: SyncRecord[]): Promise<void> {
        append(this.updated, model, records);
    }

    /** The file's stored records, and those saved so far in this run, which take precedence. */
    async getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        const byId = new Map<string, SyncRecord>();
        for (const record of [...(this.state.storedRecords[model] ?? []), ...(this.saved[model] ?? [])]) byId.set(String(record.id), record);
        return ids.flatMap((id) => {
            const record = byId.get(String(id));
            return record ? [structuredClone(record)] : [];
        });
    }
}

function append(target: RecordsByModel, model: string, records: SyncRecord[]): void {
    (target[model] ??= []).push(...structuredClone(records));
}
