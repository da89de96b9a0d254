import { z } from 'zod';
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
} from '../../../functions-runtime/host-contract.js';
import { integrationCredentialsView } from '../../../functions-runtime/host/credentials-view.js';
import { DryRunCollector } from '../../../functions-runtime/host/dry-run-collector.js';
import { encodeBody, withParams } from '../../../functions-runtime/host/proxy-request.js';
import { fillPlaceholders, hasPlaceholder } from '../../../workers/proxy/credential-placeholders.js';
import { type SecretValues, secretValues } from '../../../workers/proxy/secret-values.js';
import type { DryrunReport } from '../platform/api-types.js';
import { type PlatformClient, PlatformError } from '../platform/client.js';
import { type PlatformConnection, readConnection } from './platform-connection.js';

const PAGE = 1000;
// Node's fetch has already decoded the body these headers describe.
const DECODED_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding']);

const recordsPageSchema = z.object({ records: z.array(z.record(z.string(), z.unknown())), next_cursor: z.string().nullable() });
const variablesSchema = z.array(z.object({ name: z.string(), value: z.string() }));
const integrationSchema = z.looseObject({ unique_key: z.string(), credentials: z.record(z.string(), z.string().nullable()).nullable().optional() });

export interface LocalRunScope {
    integration: string;
    connectionId: string;
    functionName: string;
    /** For syncs and their webhook handlers: the models they declare, the only ones they read and write. */
    models: string[] | null;
    /** Runs an action `nango.triggerAction` names, as a local dry run. */
    runNested: (call: NestedDryrun) => Promise<DryrunReport>;
}

export interface NestedDryrun {
    providerConfigKey: string;
    connectionId: string;
    actionName: string;
    input?: unknown;
    /** The caller's metadata, when it runs on the same connection and changed it. */
    metadata?: Record<string, unknown>;
}

/**
 * The host of `spoke dryrun` when the function runs in a local workerd: what a function reads and
 * the calls to its provider go to the platform's public API with the environment's secret key,
 * like the platform's dry-run host (functions-runtime/host/dry-run-host.ts) nothing is persisted:
 * records, metadata and checkpoint writes, locks and sync control stay here, for the report.
 * The sandbox only ever gets placeholders for the connection's secrets; this host fills them in
 * towards the platform's proxy and takes echoed secrets out of the provider's answers, as the platform does.
 */
export class LocalDryRunHost implements FunctionHost {
    readonly collected: DryRunCollector;
    /** The connections the function proxies through, read once, with their secrets as an answer may echo them. */
    readonly #connections = new Map<string, Promise<ProxiedConnection>>();

    constructor(
        private readonly client: PlatformClient,
        private readonly scope: LocalRunScope,
        private readonly connection: PlatformConnection,
        start: { checkpoint: Checkpoint | null; metadata?: Record<string, unknown> }
    ) {
        this.collected = new DryRunCollector(start);
        this.#connections.set(this.#connectionKey(scope.integration, scope.connectionId), Promise.resolve(proxied(connection)));
    }

    async proxy(request: HostProxyRequest): Promise<HostResponse> {
        const integration = request.providerConfigKey ?? this.scope.integration;
        const connectionId = request.connectionId ?? this.scope.connectionId;
        const { secrets, echoed } = await this.#connection(integration, connectionId);
        const fill = (text: string) => fillPlaceholders(text, secrets);
        const given = new Headers();
        for (const [name, value] of Object.entries(request.headers ?? {})) given.set(name, fill(value));
        const body = encodeBody(request.data, given);
        const headers = new Headers({ 'connection-id': connectionId, 'provider-config-key': integration });
        given.forEach((value, name) => headers.set(name === 'content-type' ? name : `nango-proxy-${name}`, value));
        if (request.retries) headers.set('retries', String(Math.min(Math.max(request.retries, 0), 10)));
        if (request.retryOn?.length) headers.set('retry-on', request.retryOn.join(','));
        if (request.baseUrlOverride) headers.set('base-url-override', request.baseUrlOverride);
        if (request.decompress) headers.set('decompress', 'true');
        if (request.forwardHeadersOnRedirect) headers.set('forward-headers-on-redirect', 'true');
        const endpoint = fill(withParams(request.endpoint, request.params));
        return this.collected.traced(request.method, request.endpoint, async () => {
            const response = await this.client.fetch(`/proxy${endpoint}`, { method: request.method, headers, body: typeof body === 'string' ? fill(body) : body });
            return hostResponse(response, echoed);
        });
    }

    /** From this machine, as the platform would send it from its own: no auth, so no placeholders either. */
    async uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        const texts = [request.url, ...Object.values(request.headers ?? {}), typeof request.body === 'string' ? request.body : ''];
        if (texts.some(hasPlaceholder)) {
            throw new Error('dry_run_unsupported: a local dry run sends uncontrolledFetch() without credentials; use nango.proxy(), or spoke dryrun --remote');
        }
        const method = request.method ?? 'GET';
        return this.collected.traced(method, request.url, async () => hostResponse(await fetch(request.url, { method, headers: request.headers ?? {}, body: request.body ?? null }), null));
    }

    async getConnection(options?: ConnectionRequest): Promise<ConnectionView> {
        const integration = options?.providerConfigKey ?? this.scope.integration;
        const connectionId = options?.connectionId ?? this.scope.connectionId;
        const { view } = await this.#platform(() =>
            readConnection(this.client, integration, connectionId, { ...(options?.forceRefresh && { forceRefresh: true }), ...(options?.refreshToken && { refreshToken: true }) })
        );
        const own = integration === this.scope.integration && connectionId === this.scope.connectionId;
        const { metadata } = this.collected;
        return own && metadata !== null ? { ...view, metadata } : view;
    }

    async getIntegration(include: IntegrationInclude[]): Promise<IntegrationView> {
        const query = include.length ? `?include=${include.join(',')}` : '';
        const integration = await this.#platform(() => this.client.get(`/integrations/${encodeURIComponent(this.scope.integration)}${query}`, integrationSchema));
        const view = integration as unknown as IntegrationView;
        if (integration.credentials) view.credentials = integrationCredentialsView(integration.credentials);
        return view;
    }

    getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return this.#platform(() => this.client.getPlain('/environment-variables', variablesSchema));
    }

    /** The project's own version of the action, run locally as a dry run too; its logs and calls join this run's report. */
    async triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown> {
        const sameConnection = providerConfigKey === this.scope.integration && connectionId === this.scope.connectionId;
        const { metadata } = this.collected;
        const report = await this.scope.runNested({ providerConfigKey, connectionId, actionName, input, ...(sameConnection && metadata !== null && { metadata }) });
        this.collected.join(report, sameConnection);
        if (report.result.ok) return report.result.output;
        throw new Error(`${report.result.error.type}: ${report.result.error.message}`);
    }

    /** Only logged: a dry run starts nothing. */
    async triggerSync(control: SyncControl, flags: SyncRunFlags): Promise<void> {
        this.#logSyncControl('trigger', control, flags);
    }

    async startSync(control: SyncControl): Promise<void> {
        this.#logSyncControl('start', control, {});
    }

    #logSyncControl(verb: string, control: SyncControl, flags: SyncRunFlags) {
        const syncs = control.syncs.map((s) => (s.variant && s.variant !== 'base' ? `${s.name}::${s.variant}` : s.name));
        const where = control.connectionId ? `connection ${control.connectionId}` : `every connection of ${control.providerConfigKey}`;
        this.collected.logs.push({ level: 'info', message: `dry run: would ${verb} ${syncs.join(', ') || 'every sync'} on ${where}`, payload: { syncs, connection_id: control.connectionId ?? null, flags }, at: Date.now() });
    }

    /** In memory, as in the platform's dry runs (see DryRunCollector). */
    async tryAcquireLock(key: string, ttlMs: number): Promise<boolean> {
        return this.collected.locks.acquire(key, ttlMs);
    }

    async releaseLock(key: string): Promise<boolean> {
        return this.collected.locks.release(key);
    }

    async releaseAllLocks(): Promise<void> {
        this.collected.locks.releaseAll();
    }

    async setMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.collected.metadata = metadata;
    }

    async updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        this.collected.mergeMetadata(metadata, this.connection.view.metadata);
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        return this.collected.checkpoint;
    }

    /** A dry run is never cut short. */
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

    async batchSave(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.collected.save(this.#model(model), records, options);
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        this.collected.delete(this.#model(model), records);
    }

    async batchUpdate(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        this.collected.update(this.#model(model), records, options);
    }

    // Reads see the connection's stored records (`GET /records`): what the run would find, before its own writes.

    async getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        if (ids.length === 0) return [];
        const found: Record<string, unknown>[] = [];
        for (let i = 0; i < ids.length; i += 100) {
            const query = new URLSearchParams({ model: this.#model(model), limit: '100' });
            for (const id of ids.slice(i, i + 100)) query.append('ids', String(id));
            const page = await this.#records(query);
            found.push(...page.records.map(({ _nango_metadata: _, ...payload }) => payload));
        }
        return found;
    }

    async listRecords(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
        const query = new URLSearchParams({ model: this.#model(model), limit: String(Math.min(Math.max(options.limit ?? PAGE, 1), PAGE)) });
        if (options.cursor) query.set('cursor', options.cursor);
        const page = await this.#records(query);
        return { records: page.records as StoredRecord[], nextCursor: page.next_cursor };
    }

    async trackDeletesStart(model: string): Promise<void> {
        this.collected.trackDeletesStart(this.#model(model));
    }

    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        return this.collected.trackDeletesEnd(this.#model(model), (cursor) => this.listRecords(model, cursor === undefined ? {} : { cursor }));
    }

    /** The model, if the run may have records of it (the platform's rules). */
    #model(model: string): string {
        if (!this.scope.models) throw new Error('records_unavailable: only syncs and their webhook handlers have records');
        if (!this.scope.models.includes(model)) throw new Error(`unknown_model: "${model}" is not a model of the sync ${this.scope.functionName}`);
        return model;
    }

    #records(query: URLSearchParams) {
        return this.#platform(() =>
            this.client.getPlain(`/records?${query}`, recordsPageSchema, { 'connection-id': this.scope.connectionId, 'provider-config-key': this.scope.integration })
        );
    }

    #connection(integration: string, connectionId: string): Promise<ProxiedConnection> {
        const key = this.#connectionKey(integration, connectionId);
        let connection = this.#connections.get(key);
        if (!connection) this.#connections.set(key, (connection = this.#platform(() => readConnection(this.client, integration, connectionId)).then(proxied)));
        return connection;
    }

    #connectionKey(integration: string, connectionId: string): string {
        return JSON.stringify([integration, connectionId]);
    }

    /** A platform error as function code sees one on the platform: its stable code, then its message. */
    async #platform<T>(call: () => Promise<T>): Promise<T> {
        try {
            return await call();
        } catch (error) {
            throw error instanceof PlatformError ? new Error(`${error.code}: ${error.message}`) : error;
        }
    }
}

interface ProxiedConnection {
    secrets: PlatformConnection['secrets'];
    echoed: SecretValues;
}

const proxied = ({ secrets }: PlatformConnection): ProxiedConnection => ({ secrets, echoed: secretValues(secrets) });

/** The answer as function code gets it, with any secret the provider echoed replaced by its placeholder. */
async function hostResponse(response: Response, secrets: SecretValues | null): Promise<HostResponse> {
    const raw = await response.arrayBuffer();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
        if (!DECODED_HEADERS.has(name)) headers[name] = secrets ? secrets.redact(value) : value;
    });
    return { status: response.status, statusText: secrets ? secrets.redact(response.statusText) : response.statusText, headers, body: secrets ? secrets.redactBytes(raw) : raw };
}
