import { RpcTarget } from 'cloudflare:workers';
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
} from '../host-contract.js';
import { triggerNestedAction } from '../nested-action.js';
import { HostCore } from './host-core.js';
import type { HostProps } from './host-props.js';

/** An upstream call of a dry run, for the developer to read; status 0 when it did not get an answer. */
export interface DryRunCall {
    method: string;
    url: string;
    status: number;
    duration_ms: number;
}

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
    readonly logs: LogEntry[] = [];
    readonly http: DryRunCall[] = [];
    readonly records: Record<string, SyncRecord[]> = {};
    readonly deletes: Record<string, SyncRecord[]> = {};
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
        return this.traced(request.method, request.endpoint, () => this.core.proxy(request));
    }

    uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        return this.traced(request.method ?? 'GET', request.url, () => this.core.uncontrolledFetch(request));
    }

    private async traced(method: string, url: string, call: () => Promise<HostResponse>): Promise<HostResponse> {
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

    async getConnection(options?: { providerConfigKey?: string; connectionId?: string; forceRefresh?: boolean }): Promise<ConnectionView> {
        const view = await this.core.getConnection(options);
        const own = !options?.connectionId && !options?.providerConfigKey;
        return own && this.metadata !== null ? { ...view, metadata: this.metadata } : view;
    }

    getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return this.core.getEnvironmentVariables();
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

    async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
        this.checkpoint = checkpoint;
    }

    async clearCheckpoint(): Promise<void> {
        this.checkpoint = null;
    }

    async log(entry: LogEntry): Promise<void> {
        this.logs.push(entry);
    }

    triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown> {
        return triggerNestedAction({ env: this.env, exports: this.exports, waitUntil: this.defer }, this.props, { providerConfigKey, connectionId, actionName, input });
    }

    async batchSave(model: string, records: SyncRecord[]): Promise<void> {
        (this.records[model] ??= []).push(...records);
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        (this.deletes[model] ??= []).push(...records);
    }

    async batchUpdate(model: string, records: SyncRecord[]): Promise<void> {
        // Nothing is stored in a dry run, so an update shows as what it would save.
        (this.records[model] ??= []).push(...records);
    }

    async getRecordsByIds(): Promise<Record<string, unknown>[]> {
        // A dry run reads no stored records: it starts from an empty cache, as a first run would.
        return [];
    }
}
