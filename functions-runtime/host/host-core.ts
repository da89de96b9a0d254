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
import { assertEgressAllowed } from '../../workers/proxy/egress-policy.js';
import { callProvider } from '../../workers/proxy/provider-call.js';
import type { SecretValues } from '../../workers/proxy/secret-values.js';
import type { ScheduleRow } from '../../workers/syncs/apply-schedules.js';
import { setScheduleStatus, targetOf, triggerTargets } from '../../workers/syncs/sync-control.js';
import { targetSchedules } from '../../workers/syncs/sync-targets.js';
import { DECODED_ENCODINGS } from '../../workers/upstream/decoded-fetch.js';
import { connectionView } from './connection-view.js';
import type { HostProps } from './host-props.js';
import { integrationView } from './integration-view.js';
import { encodeBody, withParams } from './proxy-request.js';
import { uncontrolledFetch } from './uncontrolled-fetch.js';

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
        // Answers the platform can decode, and so check for echoed credentials.
        headers.set('accept-encoding', DECODED_ENCODINGS);
        const body = encodeBody(request.data, headers);
        let answer: Awaited<ReturnType<typeof callProvider>>;
        try {
            answer = await callProvider(
                { env: this.env, db: this.db, ref, provider, fillPlaceholders: true, egress: async () => this.props.egress, parentOperationId: this.props.operationId, defer: this.defer },
                {
                    method: request.method,
                    endpoint: withParams(request.endpoint, request.params),
                    headers,
                    body,
                    retries: Math.min(Math.max(request.retries ?? 0, 0), 10),
                    retryOn: request.retryOn ?? [],
                    ...(request.retryHeader && { retryHeader: request.retryHeader }),
                    ...(request.forwardHeadersOnRedirect !== undefined && { forwardHeadersOnRedirect: request.forwardHeadersOnRedirect }),
                    baseUrlOverride: request.baseUrlOverride || undefined
                }
            );
        } catch (error) {
            throw withCode(error);
        }
        return toHostResponse(answer.response, answer.secrets());
    }

    /** A request anywhere the egress policy allows, without the proxy's auth or retries (see uncontrolled-fetch.ts). */
    async uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        this.checkDeadline();
        const method = request.method ?? 'GET';
        const startedAt = Date.now();
        let url: URL | null = null;
        let answer: Awaited<ReturnType<typeof uncontrolledFetch>>;
        try {
            url = assertEgressAllowed(request.url, this.props.egress, this.env);
            answer = await uncontrolledFetch(this.env, this.db, this.props, request, url);
        } catch (error) {
            // Refused requests are logged too (a string that is no URL is no request).
            const logged = url ?? (URL.canParse(request.url) ? new URL(request.url) : null);
            if (logged) this.logFetch(logged, method, startedAt, { error });
            throw withCode(error);
        }
        this.logFetch(url, method, startedAt, { status: answer.response.status });
        return toHostResponse(answer.response, answer.secrets);
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

    /** With the request's outcome: the upstream's status, or why there was none. */
    private logFetch(url: URL, method: string, startedAt: number, outcome: { status: number } | { error: unknown }) {
        const { ref } = this.props;
        const status = 'status' in outcome ? outcome.status : null;
        const error = fetchFailure(outcome);
        this.defer(
            recordOperation(this.db, {
                environmentId: ref.row.environmentId,
                type: 'proxy',
                action: 'uncontrolled_fetch',
                status: error ? 'failed' : 'success',
                integrationKey: ref.integration.uniqueKey,
                connectionId: ref.row.connectionId,
                ...(status !== null && { httpStatus: status }),
                ...(error && { error }),
                meta: { upstream: url.origin, endpoint: url.pathname, method },
                parentId: this.props.operationId,
                startedAt,
                endedAt: Date.now()
            }).catch((error: unknown) => console.error('could not log a fetch', error))
        );
    }
}

/** Why an `uncontrolledFetch` failed, for the operation log; null when the upstream answered with a success. */
function fetchFailure(outcome: { status: number } | { error: unknown }): { code: string; message: string } | null {
    if ('status' in outcome) return outcome.status >= 400 ? { code: `upstream_${outcome.status}`, message: `The upstream answered ${outcome.status}` } : null;
    if (outcome.error instanceof ApiError) return { code: outcome.error.code, message: outcome.error.message };
    return { code: 'upstream_unreachable', message: `The request failed: ${(outcome.error as Error).message}` };
}

/** An API error as function code sees it: only an error's message crosses to the sandbox, so it leads with the stable code. */
function withCode(error: unknown): unknown {
    return error instanceof ApiError ? new Error(`${error.code}: ${error.message}`) : error;
}

/**
 * The answer as function code gets it. Any of the connection's secrets the upstream echoed (an API
 * key in a Link header's query, an error body quoting the Authorization header) are replaced by
 * their placeholders: the sandbox never holds a credential, and a placeholder still works towards
 * the provider.
 */
async function toHostResponse(response: Response, secrets: SecretValues | null): Promise<HostResponse> {
    const declared = Number(response.headers.get('content-length'));
    if (declared > MAX_RESPONSE_BYTES) {
        await response.body?.cancel();
        throw new Error(`response_too_large: the provider's answer is ${declared} bytes; functions can read at most ${MAX_RESPONSE_BYTES}`);
    }
    const encoding = response.headers.get('content-encoding');
    if (secrets && !secrets.none && encoding && encoding.trim().toLowerCase() !== 'identity') {
        await response.body?.cancel();
        throw new Error(`unsupported_encoding: the answer is ${encoding}-encoded, which the platform can't check for echoed credentials`);
    }
    const raw = await response.arrayBuffer();
    if (raw.byteLength > MAX_RESPONSE_BYTES) throw new Error(`response_too_large: functions can read at most ${MAX_RESPONSE_BYTES} bytes`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
        headers[name] = secrets ? secrets.redact(value) : value;
    });
    const body = secrets ? secrets.redactBytes(raw) : raw;
    return { status: response.status, statusText: secrets ? secrets.redact(response.statusText) : response.statusText, headers, body };
}
