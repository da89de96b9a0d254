// An in-memory FunctionHost: these tests exercise the sandbox code alone, so the platform side is
// a fake that records every call and answers proxy requests from a handler the test gives.
import { RpcTarget } from 'cloudflare:workers';
import type {
    BatchOptions,
    Checkpoint,
    ConnectionView,
    EnvironmentVariable,
    FunctionHost,
    HostFetchRequest,
    HostProxyRequest,
    HostResponse,
    IntegrationInclude,
    IntegrationView,
    InvocationContext,
    LogEntry,
    StoredRecord,
    SyncControl,
    SyncRecord,
    SyncRunFlags
} from '../../../functions-runtime/host-contract.js';

export type Responder = (request: HostProxyRequest, index: number) => HostResponse;

export function respond(data: unknown, { status = 200, headers = {} }: { status?: number; headers?: Record<string, string> } = {}): HostResponse {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    return { status, statusText: status < 300 ? 'OK' : 'Error', headers: { 'content-type': 'application/json', ...headers }, body: new TextEncoder().encode(text).buffer as ArrayBuffer };
}

export function context(overrides: Partial<InvocationContext> = {}): InvocationContext {
    return {
        runId: 'run-1',
        environmentId: 'env-1',
        environmentName: 'dev',
        providerConfigKey: 'github',
        connectionId: 'conn-1',
        provider: 'github',
        dryRun: false,
        ...overrides
    };
}

export interface RecordCall {
    operation: 'batchSave' | 'batchUpdate' | 'batchDelete';
    model: string;
    records: SyncRecord[];
    /** Only when the sandbox sent some. */
    options?: BatchOptions;
}

/** An RpcTarget, so the same fake can also be handed to a dynamic Worker over RPC. */
export class MemoryHost extends RpcTarget implements FunctionHost {
    readonly requests: HostProxyRequest[] = [];
    readonly fetches: HostFetchRequest[] = [];
    readonly logs: LogEntry[] = [];
    readonly recordCalls: RecordCall[] = [];
    /** By `model:id`, in the order they were first saved; deletes remove them. */
    readonly stored = new Map<string, SyncRecord>();
    readonly listCalls: { model: string; cursor?: string; limit?: number }[] = [];
    /** Per tracked model, the ids saved since trackDeletesStart. */
    readonly tracking = new Map<string, Set<string>>();
    /** What saveCheckpoint answers: true once the sync run has spent its time budget. */
    budgetSpent = false;
    readonly metadataWrites: { mode: 'set' | 'update'; metadata: Record<string, unknown> }[] = [];
    readonly triggered: unknown[][] = [];
    checkpoint: Checkpoint | null = null;
    readonly connectionRequests: Parameters<FunctionHost['getConnection']>[0][] = [];
    readonly integrationRequests: IntegrationInclude[][] = [];
    readonly syncControls: { method: 'triggerSync' | 'startSync'; control: SyncControl; flags?: SyncRunFlags }[] = [];
    /** Held locks: key → expiry (Unix ms); one owner, the run. */
    readonly locks = new Map<string, number>();

    constructor(
        private readonly responder: Responder = () => respond({}),
        readonly connection: ConnectionView = connectionView()
    ) {
        super();
    }

    async proxy(request: HostProxyRequest): Promise<HostResponse> {
        this.requests.push(request);
        return this.responder(request, this.requests.length - 1);
    }
    async uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        this.fetches.push(request);
        return respond({ fetched: request.url }, { headers: { 'x-test': '1' } });
    }
    async getConnection(options?: Parameters<FunctionHost['getConnection']>[0]): Promise<ConnectionView> {
        this.connectionRequests.push(options);
        return structuredClone(this.connection);
    }
    async getIntegration(include: IntegrationInclude[]): Promise<IntegrationView> {
        this.integrationRequests.push(include);
        return {
            unique_key: 'github',
            provider: 'github',
            display_name: 'GitHub',
            logo: 'https://spoke.test/images/github.svg',
            forward_webhooks: true,
            integration_config: null,
            created_at: '2026-01-01T00:00:00.000Z',
            updated_at: '2026-01-01T00:00:00.000Z',
            ...(include.includes('webhook') && { webhook_url: 'https://spoke.test/webhook/env-1/github' })
        };
    }
    async triggerSync(control: SyncControl, flags: SyncRunFlags): Promise<void> {
        this.syncControls.push({ method: 'triggerSync', control, flags });
    }
    async startSync(control: SyncControl): Promise<void> {
        this.syncControls.push({ method: 'startSync', control });
    }
    async tryAcquireLock(key: string, ttlMs: number): Promise<boolean> {
        this.locks.set(key, Date.now() + ttlMs);
        return true;
    }
    async releaseLock(key: string): Promise<boolean> {
        return this.locks.delete(key);
    }
    async releaseAllLocks(): Promise<void> {
        this.locks.clear();
    }
    async setMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.metadataWrites.push({ mode: 'set', metadata });
        this.connection.metadata = metadata;
    }
    async updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.metadataWrites.push({ mode: 'update', metadata });
        this.connection.metadata = { ...this.connection.metadata, ...metadata };
    }
    async getCheckpoint(): Promise<Checkpoint | null> {
        return this.checkpoint;
    }
    async saveCheckpoint(checkpoint: Checkpoint): Promise<boolean> {
        this.checkpoint = checkpoint;
        return this.budgetSpent;
    }
    async clearCheckpoint(): Promise<void> {
        this.checkpoint = null;
    }
    async getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return [{ name: 'REGION', value: 'eu' }];
    }
    async triggerAction(...args: unknown[]): Promise<unknown> {
        this.triggered.push(args);
        return { triggered: args[2] };
    }
    async log(entry: LogEntry): Promise<void> {
        this.logs.push(entry);
    }
    async batchSave(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.recordCalls.push({ operation: 'batchSave', model, records, ...(options && { options }) });
        for (const record of records) {
            this.stored.set(`${model}:${record.id}`, record);
            this.tracking.get(model)?.add(String(record.id));
        }
    }
    async batchDelete(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.recordCalls.push({ operation: 'batchDelete', model, records, ...(options && { options }) });
        for (const record of records) this.stored.delete(`${model}:${record.id}`);
    }
    async batchUpdate(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.recordCalls.push({ operation: 'batchUpdate', model, records, ...(options && { options }) });
    }
    async getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        return ids.flatMap((id) => this.stored.get(`${model}:${id}`) ?? []);
    }
    /** Pages of the model's stored records; the cursor is the position after the page. */
    async listRecords(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
        this.listCalls.push({ model, ...options });
        const all = this.recordsOf(model);
        const start = Number(options.cursor ?? 0);
        const end = start + (options.limit ?? 100);
        const records = all.slice(start, end).map((record, index) => ({ ...record, _nango_metadata: metadata(String(start + index + 1)) }));
        return { records, nextCursor: end < all.length ? String(end) : null };
    }
    async trackDeletesStart(model: string): Promise<void> {
        if (!this.tracking.has(model)) this.tracking.set(model, new Set());
    }
    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        const saved = this.tracking.get(model);
        if (!saved) throw new Error(`track_deletes_not_started: trackDeletesEnd("${model}") without trackDeletesStart`);
        this.tracking.delete(model);
        const deletedIds = this.recordsOf(model).map((record) => String(record.id)).filter((id) => !saved.has(id));
        for (const id of deletedIds) this.stored.delete(`${model}:${id}`);
        return { deletedIds };
    }

    private recordsOf(model: string): SyncRecord[] {
        return [...this.stored].filter(([key]) => key.startsWith(`${model}:`)).map(([, record]) => record);
    }
}

function metadata(cursor: string): StoredRecord['_nango_metadata'] {
    const at = '2026-01-01T00:00:00.000Z';
    return { first_seen_at: at, last_modified_at: at, last_action: 'ADDED', deleted_at: null, pruned_at: null, cursor };
}

export function connectionView(credentials: Record<string, unknown> = { type: 'OAUTH2', access_token: 'spoke-credential-placeholder:access_token' }): ConnectionView {
    return {
        id: 1,
        connection_id: 'conn-1',
        provider_config_key: 'github',
        provider: 'github',
        connection_config: {},
        metadata: { region: 'eu' },
        end_user: null,
        tags: {},
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
        credentials
    };
}

/** Drains an async generator of pages. */
export async function collect<T>(pages: AsyncGenerator<T[], unknown, void>): Promise<T[][]> {
    const out: T[][] = [];
    for await (const page of pages) out.push(page);
    return out;
}
