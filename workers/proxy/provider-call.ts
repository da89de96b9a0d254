import type { RetryHeader } from '../../functions-runtime/host-contract.js';
import type { ResolvedProvider } from '../catalog/provider-registry.js';
import { canRefresh } from '../../durable-objects/refresh-policy.js';
import { type ConnectionRef, connectionStorage, credentialsForCall } from '../connections/connections.js';
import type { ConnectionSecrets } from '../connections/credentials.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import { recordOperation } from '../operations/operation-log.js';
import { fetchFollowingRedirects, hopHeaders, type Redirect } from '../upstream/redirects.js';
import { signingConsumer } from '../upstream/request-signing.js';
import { authenticatedRequest, type UpstreamTarget } from '../upstream/upstream-request.js';
import { fillPlaceholders } from './credential-placeholders.js';
import type { EgressSettings } from './egress-settings.js';
import { assertOverrideAllowed, assertRedirectAllowed, hasSecrets, headersElsewhere, type ProviderHosts, providerHosts } from './egress-policy.js';
import { backoffMs, isRetryable, requestedWaitMs } from './retry-policy.js';
import { lazySecretValues, type SecretValues } from './secret-values.js';

export interface ProviderCall {
    method: string;
    /** Path and query below the provider's base URL. */
    endpoint: string;
    headers: Headers;
    /** A stream is sent once: it can't be replayed, so it only goes with `retries: 0`. */
    body: ArrayBuffer | ReadableStream | string | null;
    retries: number;
    retryOn: number[];
    /** Response headers that say how long to wait before a retry, instead of the provider's own. */
    retryHeader?: RetryHeader;
    /** Another base URL (the environment's egress settings decide whether it may be used). */
    baseUrlOverride?: string | undefined;
    /** A redirect leaving the provider's API hosts carries the caller's headers (never credentials), not only the body's. */
    forwardHeadersOnRedirect?: boolean;
    /** `false` passes compressed answers on as they came, under their `Content-Encoding`. Default: decoded. */
    decompress?: boolean;
}

/** Who calls and on whose behalf; the same for every call of a run or request. */
export interface CallScope {
    env: Env;
    db: Database;
    ref: ConnectionRef;
    provider: ResolvedProvider;
    /** Function code sends credential placeholders; requests from the API carry none. */
    fillPlaceholders: boolean;
    /** The environment's egress settings, read only when a call leaves the provider's API hosts. */
    egress: () => Promise<EgressSettings>;
    /** The function run the call belongs to, in the operation log. */
    parentOperationId?: number;
    /** Runs work after the answer (the operation log write). */
    defer: (work: Promise<unknown>) => void;
}

const TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The provider's answer, and the secrets the call carried (to keep them out of what function code gets). */
export interface ProviderAnswer {
    response: Response;
    /** Worked out on first use: the API's proxy never needs them unless a redirect leaves the provider's hosts. */
    secrets: () => SecretValues;
}

/**
 * One call to the connection's provider, as the proxy and functions make it: fresh credentials
 * injected per the provider's template, the connection's rate limit respected, retries on
 * network errors and retryable statuses with the waits the provider asks for, redirects followed
 * with the credentials only towards the provider's API hosts, one operation logged.
 */
export async function callProvider(scope: CallScope, call: ProviderCall): Promise<ProviderAnswer> {
    const { env, ref, provider } = scope;
    const startedAt = Date.now();
    const baseMs = Number(env.PROXY_RETRY_BASE_MS ?? 3000);
    let force = false;
    let forced = false;
    // Read once: a retry's fresh credentials keep the integration's consumer.
    let consumer: ReturnType<typeof signingConsumer> | undefined;
    for (let attempt = 0; ; attempt++) {
        const secrets = await credentialsOnceAllowed(scope, force);
        forced ||= force;
        force = false;
        const target = {
            provider: provider.provider,
            credentials: secrets.credentials,
            connectionConfig: { ...ref.row.connectionConfig, ...secrets.secretConfig },
            consumer: await (consumer ??= signingConsumer(env, ref.integration, secrets.credentials))
        };
        const hosts = providerHosts(target);
        const override = call.baseUrlOverride;
        if (override) {
            assertOverrideAllowed(override, await scope.egress(), env, { providerName: provider.name, hosts, carriesSecrets: hasSecrets(secrets) });
        }
        const sent: SentCall = {
            target,
            hosts,
            secrets: lazySecretValues(secrets),
            headers: scope.fillPlaceholders ? withPlaceholdersFilled(call.headers, secrets) : call.headers,
            body: scope.fillPlaceholders && typeof call.body === 'string' ? fillPlaceholders(call.body, secrets) : call.body
        };
        const request = await authenticatedRequest(env, target, {
            method: call.method,
            endpoint: scope.fillPlaceholders ? fillPlaceholders(call.endpoint, secrets) : call.endpoint,
            headers: sent.headers,
            body: sent.body,
            ...(override && { baseUrl: override })
        });
        let response: Response | null = null;
        let failure: string | null = null;
        try {
            response = await fetchFollowingRedirects(request, (redirect) => nextHop(scope, call, sent, redirect), {
                signal: AbortSignal.timeout(TIMEOUT_MS),
                decode: call.decompress ?? true
            });
        } catch (error) {
            if (error instanceof ApiError) {
                logCall(scope, call, request.url, startedAt, attempt + 1, null, error);
                throw error;
            }
            failure = (error as Error).message;
        }
        const now = Date.now();
        const asked = response ? requestedWaitMs(provider.provider, response, now, call.retryHeader) : null;
        // Every caller of this connection waits as long as the provider asked, not only this one. A 429
        // that doesn't say how long holds up only its own caller, and only if that one retries.
        const sharedWait = response?.status === 429 && asked !== null;
        if (sharedWait) await connectionStorage(env, ref.row).reportRateLimit(now + asked);
        // A 401 is worth another attempt only with new credentials: once per call, and not for credentials that can't refresh.
        const hopeless401 = response?.status === 401 && (forced || !canRefresh(secrets.credentials));
        const retry = attempt < call.retries && !hopeless401 && (response === null || isRetryable(provider.provider, response, call));
        if (!retry) {
            const unreachable = response ? null : new ApiError(502, 'upstream_unreachable', `The provider could not be reached: ${failure}`);
            logCall(scope, call, request.url, startedAt, attempt + 1, response?.status ?? null, unreachable);
            if (!response) throw unreachable;
            return { response, secrets: sent.secrets };
        }
        await response?.body?.cancel();
        // A 401 with a token we think is valid: it may have been revoked early, so refresh before retrying.
        if (response?.status === 401) force = true;
        // After a shared wait, the connection's rate limit makes the next attempt wait.
        if (!sharedWait) await sleep(asked ?? backoffMs(baseMs, attempt));
    }
}

/**
 * The connection's credentials once its rate limit has passed. Woken, a caller asks again: a 429
 * that came back while it slept (from a call already under way) may have moved the limit further.
 */
async function credentialsOnceAllowed(scope: CallScope, force: boolean): Promise<ConnectionSecrets> {
    for (let refresh = force; ; refresh = false) {
        const { secrets, rateLimitedUntil } = await credentialsForCall(scope.db, scope.env, scope.ref, { force: refresh, provider: scope.provider });
        const wait = rateLimitedUntil - Date.now();
        if (wait <= 0) return secrets;
        await sleep(wait);
    }
}

/** What the first hop of a call sent, for the hops its redirects lead to. */
interface SentCall {
    target: UpstreamTarget;
    hosts: ProviderHosts;
    secrets: () => SecretValues;
    /** The caller's headers (placeholders filled), without the ones the credentials add. */
    headers: Headers;
    body: ProviderCall['body'];
}

/**
 * The request a redirect leads to. On the provider's API hosts it is the same call, with the
 * credentials injected again (the template may put them in the query, which the redirect's URL
 * doesn't carry). Anywhere else, the egress policy applies and no credential goes along.
 */
async function nextHop(scope: CallScope, call: ProviderCall, sent: SentCall, redirect: Redirect): Promise<Request | null> {
    const body = redirect.keepsBody ? sent.body : null;
    // Already sent, and not to be had again: the caller gets the redirect.
    if (body instanceof ReadableStream) return null;
    if (sent.hosts.has(redirect.url.host)) {
        return authenticatedRequest(scope.env, sent.target, {
            method: redirect.method,
            endpoint: redirect.url.pathname + redirect.url.search,
            headers: hopHeaders(redirect, sent.headers),
            body,
            baseUrl: redirect.url.origin
        });
    }
    const secrets = sent.secrets();
    assertRedirectAllowed(redirect.url, body, await scope.egress(), scope.env, { providerName: scope.provider.name, secrets });
    const headers = headersElsewhere(sent.headers, sent.target, secrets, call.forwardHeadersOnRedirect === true);
    return new Request(redirect.url, { method: redirect.method, headers: hopHeaders(redirect, headers), body });
}

function withPlaceholdersFilled(headers: Headers, secrets: Parameters<typeof fillPlaceholders>[1]): Headers {
    const filled = new Headers();
    headers.forEach((value, name) => filled.set(name, fillPlaceholders(value, secrets)));
    return filled;
}

function logCall(scope: CallScope, call: ProviderCall, url: string, startedAt: number, attempts: number, status: number | null, failure: ApiError | null) {
    const target = new URL(url);
    const failed = failure !== null || status === null || status >= 400;
    scope.defer(
        recordOperation(scope.db, {
            environmentId: scope.ref.row.environmentId,
            type: 'proxy',
            action: call.method.toLowerCase(),
            status: failed ? 'failed' : 'success',
            integrationKey: scope.ref.integration.uniqueKey,
            connectionId: scope.ref.row.connectionId,
            ...(status !== null && { httpStatus: status }),
            ...(failed && { error: failure ? { code: failure.code, message: failure.message } : { code: `upstream_${status}`, message: `The provider answered ${status}` } }),
            // The endpoint without its query: query strings may carry secrets the provider template put there.
            meta: { upstream: target.origin, endpoint: call.endpoint.split('?')[0], attempts },
            ...(scope.parentOperationId !== undefined && { parentId: scope.parentOperationId }),
            startedAt,
            endedAt: Date.now()
        }).catch((error: unknown) => console.error('could not log a provider call', error))
    );
}
