import { z } from 'zod';
import {
    type ConnectionRequest,
    type ConnectionView,
    type EnvironmentVariable,
    type HostFetchRequest,
    type HostProxyRequest,
    type HostResponse,
    type IntegrationInclude,
    type IntegrationView,
    type QueryParams,
    queryEntries,
    type SyncControl,
    type SyncRunFlags
} from '../host-contract.js';
import type { ResolvedProvider } from '../../workers/catalog/provider-registry.js';
import { ApiError } from '../../workers/http/api-error.js';
import { type ConnectionRef, credentialsForCall, requireConnection } from '../../workers/connections/connections.js';
import { database } from '../../workers/db.js';
import { listVariables } from '../../workers/environments/environment-variables.js';
import { requireIntegration, resolveIntegrationProvider } from '../../workers/integrations/integrations.js';
import { recordOperation } from '../../workers/operations/operation-log.js';
import { fillPlaceholders, hasPlaceholder } from '../../workers/proxy/credential-placeholders.js';
import { assertEgressAllowed, credentialsEgressDenied, providerHosts } from '../../workers/proxy/egress-policy.js';
import { callProvider } from '../../workers/proxy/provider-call.js';
import type { ScheduleRow } from '../../workers/syncs/apply-schedules.js';
import { setScheduleStatus, targetOf, triggerTargets } from '../../workers/syncs/sync-control.js';
import { targetSchedules } from '../../workers/syncs/sync-targets.js';
import { decodedFetch } from '../../workers/upstream/decoded-fetch.js';
import { connectionView } from './connection-view.js';
import type { HostProps } from './host-props.js';
import { integrationView } from './integration-view.js';

// What the sandbox sends is checked here: it is function code's, and the host is its only way out.
const includeSchema = z.array(z.enum(['webhook', 'credentials'])).max(2);
const syncControlSchema = z.object({
    providerConfigKey: z.string().min(1),
    connectionId: z.string().min(1).optional(),
    syncs: z.array(z.object({ name: z.string().min(1), variant: z.string().min(1).optional() })).max(256)
});
const runFlagsSchema = z.object({ reset: z.boolean().optional(), emptyCache: z.boolean().optional() });
const lockKeySchema = z.string().min(1).max(255);
const lockTtlSchema = z.number().positive().finite();

const MAX_RESPONSE_BYTES = 25 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

/**
 * What both hosts (the run host and the dry-run host) do the same way: calls to the outside world
 * on the connection's behalf, and reads of the connection and the environment.
 */
export class HostCore {
    readonly db: ReturnType<typeof database>;

    constructor(
        private readonly env: Env,
        readonly props: HostProps,
        private readonly defer: (work: Promise<unknown>) => void
    ) {
        this.db = database(env);
    }

    /** A run that outlived its time limit may not act any more. */
    checkDeadline(): void {
        if (Date.now() > this.props.deadline) throw new Error('execution_timeout: the run exceeded its time limit');
    }

    async proxy(request: HostProxyRequest): Promise<HostResponse> {
        this.checkDeadline();
        const { ref, provider } = await this.target(request.providerConfigKey, request.connectionId);
        const headers = new Headers(request.headers);
        const body = encodeBody(request.data, headers);
        let response: Response;
        try {
            response = await callProvider(
                { env: this.env, db: this.db, ref, provider, fillPlaceholders: true, parentOperationId: this.props.operationId, defer: this.defer },
                {
                    method: request.method,
                    endpoint: withParams(request.endpoint, request.params),
                    headers,
                    body,
                    retries: Math.min(Math.max(request.retries ?? 0, 0), 10),
                    retryOn: request.retryOn ?? [],
                    ...(request.retryHeader && { retryHeader: request.retryHeader }),
                    ...(request.forwardHeadersOnRedirect !== undefined && { forwardHeadersOnRedirect: request.forwardHeadersOnRedirect }),
                    baseUrlOverride: request.baseUrlOverride ? { url: request.baseUrlOverride, egress: this.props.egress } : undefined
                }
            );
        } catch (error) {
            throw withCode(error);
        }
        return toHostResponse(response);
    }

    /**
     * A request anywhere the egress policy allows, without the proxy's auth or retries. Credential
     * placeholders are filled only when the request goes to the provider's own API hosts.
     */
    async uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        this.checkDeadline();
        const url = assertEgressAllowed(request.url, this.props.egress, this.env);
        let target = request.url;
        const headers = new Headers(request.headers);
        let body = request.body ?? null;
        const carriesPlaceholder = [request.url, ...Object.values(request.headers ?? {}), typeof body === 'string' ? body : ''].some(hasPlaceholder);
        if (carriesPlaceholder) {
            const { ref, provider } = this.props;
            const { secrets } = await credentialsForCall(this.db, this.env, ref, { provider });
            const hosts = providerHosts({ provider: provider.provider, credentials: secrets.credentials, connectionConfig: { ...ref.row.connectionConfig, ...secrets.secretConfig } });
            if (!hosts.has(url.host)) throw withCode(credentialsEgressDenied(provider.name, url.host));
            target = fillPlaceholders(target, secrets);
            headers.forEach((value, name) => headers.set(name, fillPlaceholders(value, secrets)));
            if (typeof body === 'string') body = fillPlaceholders(body, secrets);
        }
        const startedAt = Date.now();
        let response: Response;
        try {
            response = await decodedFetch(new Request(target, { method: request.method ?? 'GET', headers, body }), { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        } finally {
            this.logFetch(url, request.method ?? 'GET', startedAt);
        }
        return toHostResponse(response);
    }

    async getConnection(options: ConnectionRequest = {}): Promise<ConnectionView> {
        this.checkDeadline();
        const { ref, provider } = await this.target(options.providerConfigKey, options.connectionId, true);
        const { secrets } = await credentialsForCall(this.db, this.env, ref, { force: options.forceRefresh === true, provider });
        return connectionView(ref, secrets, { includeRefreshToken: options.refreshToken === true });
    }

    /** The run's integration, read again: it may have changed since the run started. */
    async getIntegration(include: IntegrationInclude[]): Promise<IntegrationView> {
        const wanted = includeSchema.parse(include);
        const own = this.props.ref.integration;
        try {
            const row = await requireIntegration(this.db, own.environmentId, own.uniqueKey);
            return await integrationView(this.env, row, this.props.provider, this.props.publicUrl, wanted);
        } catch (error) {
            throw withCode(error);
        }
    }

    /** The schedules a sync-control call is about, found as `POST /sync/trigger` finds them (with its errors for unknown ones). */
    async syncTargets(control: SyncControl): Promise<ScheduleRow[]> {
        const { providerConfigKey, connectionId, syncs } = syncControlSchema.parse(control);
        try {
            return await targetSchedules(this.db, this.props.ref.row.environmentId, { integrationKey: providerConfigKey, connectionId, syncs });
        } catch (error) {
            throw withCode(error);
        }
    }

    async triggerSync(control: SyncControl, flags: SyncRunFlags): Promise<void> {
        const runFlags = runFlagsSchema.parse(flags);
        const rows = await this.syncTargets(control);
        await triggerTargets(this.db, this.env, this.props.ref.row.environmentId, rows.map(targetOf), runFlags);
    }

    async startSync(control: SyncControl): Promise<void> {
        await setScheduleStatus(this.db, this.env, this.props.ref.row.environmentId, await this.syncTargets(control), 'RUNNING');
    }

    /** A lock key from function code, checked. */
    lockKey(key: unknown): string {
        const parsed = lockKeySchema.safeParse(key);
        if (!parsed.success) throw new Error('invalid_lock: a lock key is a string of 1 to 255 characters');
        return parsed.data;
    }

    /** A lock's ttl from function code, checked. */
    lockTtl(ttlMs: unknown): number {
        const parsed = lockTtlSchema.safeParse(ttlMs);
        if (!parsed.success) throw new Error("invalid_lock: a lock's ttl is a positive number of milliseconds");
        return parsed.data;
    }

    async getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return listVariables(this.db, this.env, this.props.ref.row.environmentId);
    }

    /** The run's connection, or another connection of the same environment; `fresh` re-reads the index row (metadata may have changed). */
    async target(integrationKey?: string, connectionId?: string, fresh = false): Promise<{ ref: ConnectionRef; provider: ResolvedProvider }> {
        const own = this.props.ref;
        const key = integrationKey ?? own.integration.uniqueKey;
        const id = connectionId ?? own.row.connectionId;
        if (!fresh && key === own.integration.uniqueKey && id === own.row.connectionId) return { ref: own, provider: this.props.provider };
        const ref = await requireConnection(this.db, own.row.environmentId, key, id);
        return { ref, provider: ref.integration.id === own.integration.id ? this.props.provider : await resolveIntegrationProvider(this.db, ref.integration) };
    }

    private logFetch(url: URL, method: string, startedAt: number) {
        const { ref } = this.props;
        this.defer(
            recordOperation(this.db, {
                environmentId: ref.row.environmentId,
                type: 'proxy',
                action: 'uncontrolled_fetch',
                status: 'success',
                integrationKey: ref.integration.uniqueKey,
                connectionId: ref.row.connectionId,
                meta: { upstream: url.origin, endpoint: url.pathname, method },
                parentId: this.props.operationId,
                startedAt,
                endedAt: Date.now()
            }).catch((error: unknown) => console.error('could not log a fetch', error))
        );
    }
}

/** An API error as function code sees it: only an error's message crosses to the sandbox, so it leads with the stable code. */
function withCode(error: unknown): unknown {
    return error instanceof ApiError ? new Error(`${error.code}: ${error.message}`) : error;
}

/** Function code's `params`: an object (arrays comma-joined, undefined dropped) or a raw query string. */
function withParams(endpoint: string, params: QueryParams | undefined): string {
    const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
    if (!params) return path;
    const [base, existing = ''] = path.split('?', 2) as [string, string?];
    const search = new URLSearchParams(queryEntries(params, existing)).toString();
    return search ? `${base}?${search}` : base!;
}

/** `data`: a string as is, bytes as they are, anything else as JSON. */
function encodeBody(data: unknown, headers: Headers): string | ArrayBuffer | null {
    if (data === undefined || data === null) return null;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return data;
    if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return JSON.stringify(data);
}

async function toHostResponse(response: Response): Promise<HostResponse> {
    const declared = Number(response.headers.get('content-length'));
    if (declared > MAX_RESPONSE_BYTES) {
        await response.body?.cancel();
        throw new Error(`response_too_large: the provider's answer is ${declared} bytes; functions can read at most ${MAX_RESPONSE_BYTES}`);
    }
    const body = await response.arrayBuffer();
    if (body.byteLength > MAX_RESPONSE_BYTES) throw new Error(`response_too_large: functions can read at most ${MAX_RESPONSE_BYTES} bytes`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
        headers[name] = value;
    });
    return { status: response.status, statusText: response.statusText, headers, body };
}
