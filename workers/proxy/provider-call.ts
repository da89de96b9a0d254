import type { RetryHeader } from '../../functions-runtime/host-contract.js';
import type { ResolvedProvider } from '../catalog/provider-registry.js';
import { canRefresh } from '../../durable-objects/refresh-policy.js';
import { type ConnectionRef, connectionStorage, credentialsForCall } from '../connections/connections.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import { recordOperation } from '../operations/operation-log.js';
import { decodedFetch } from '../upstream/decoded-fetch.js';
import { authenticatedRequest } from '../upstream/upstream-request.js';
import { fillPlaceholders } from './credential-placeholders.js';
import type { EgressSettings } from './egress-settings.js';
import { assertOverrideAllowed, hasSecrets, providerHosts } from './egress-policy.js';
import { backoffMs, isRetryable, requestedWaitMs } from './retry-policy.js';

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
    /** Keep the request's headers (auth included) when the provider redirects to another origin. */
    forwardHeadersOnRedirect?: boolean;
    /** Another base URL, with the environment's egress settings that decide whether it may be used. */
    baseUrlOverride?: { url: string; egress: EgressSettings } | undefined;
}

/** Who calls and on whose behalf; the same for every call of a run or request. */
export interface CallScope {
    env: Env;
    db: Database;
    ref: ConnectionRef;
    provider: ResolvedProvider;
    /** Function code sends credential placeholders; requests from the API carry none. */
    fillPlaceholders: boolean;
    /** The function run the call belongs to, in the operation log. */
    parentOperationId?: number;
    /** Runs work after the answer (the operation log write). */
    defer: (work: Promise<unknown>) => void;
}

const TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One call to the connection's provider, as the proxy and functions make it: fresh credentials
 * injected per the provider's template, the connection's rate limit respected, retries on
 * network errors and retryable statuses with the waits the provider asks for, one operation logged.
 */
export async function callProvider(scope: CallScope, call: ProviderCall): Promise<Response> {
    const { env, ref, provider } = scope;
    const startedAt = Date.now();
    const baseMs = Number(env.PROXY_RETRY_BASE_MS ?? 3000);
    let force = false;
    let forced = false;
    for (let attempt = 0; ; attempt++) {
        const { secrets, rateLimitedUntil } = await credentialsForCall(scope.db, env, ref, { force, provider });
        forced ||= force;
        force = false;
        const target = { provider: provider.provider, credentials: secrets.credentials, connectionConfig: { ...ref.row.connectionConfig, ...secrets.secretConfig } };
        const override = call.baseUrlOverride;
        if (override) {
            assertOverrideAllowed(override.url, override.egress, env, { providerName: provider.name, hosts: providerHosts(target), carriesSecrets: hasSecrets(secrets) });
        }
        if (rateLimitedUntil > Date.now()) await sleep(rateLimitedUntil - Date.now());
        const request = authenticatedRequest(env, target, {
            method: call.method,
            endpoint: scope.fillPlaceholders ? fillPlaceholders(call.endpoint, secrets) : call.endpoint,
            headers: scope.fillPlaceholders ? withPlaceholdersFilled(call.headers, secrets) : call.headers,
            body: scope.fillPlaceholders && typeof call.body === 'string' ? fillPlaceholders(call.body, secrets) : call.body,
            ...(override && { baseUrl: override.url })
        });
        let response: Response | null = null;
        let failure: string | null = null;
        try {
            response = await decodedFetch(request, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        } catch (error) {
            failure = (error as Error).message;
        }
        const now = Date.now();
        const asked = response ? requestedWaitMs(provider.provider, response, now, call.retryHeader) : null;
        if (response?.status === 429) {
            // Every caller of this connection waits, not only this one.
            await connectionStorage(env, ref.row).reportRateLimit(now + (asked ?? backoffMs(baseMs, attempt)));
        }
        // A 401 is worth another attempt only with new credentials: once per call, and not for credentials that can't refresh.
        const hopeless401 = response?.status === 401 && (forced || !canRefresh(secrets.credentials));
        const retry = attempt < call.retries && !hopeless401 && (response === null || isRetryable(provider.provider, response, call));
        if (!retry) {
            logCall(scope, call, request.url, startedAt, attempt + 1, response?.status ?? null, failure);
            if (!response) throw new ApiError(502, 'upstream_unreachable', `The provider could not be reached: ${failure}`);
            return response;
        }
        await response?.body?.cancel();
        // A 401 with a token we think is valid: it may have been revoked early, so refresh before retrying.
        if (response?.status === 401) force = true;
        // After a 429 the rate limit above already makes the next attempt wait.
        if (response?.status !== 429) await sleep(asked ?? backoffMs(baseMs, attempt));
    }
}

function withPlaceholdersFilled(headers: Headers, secrets: Parameters<typeof fillPlaceholders>[1]): Headers {
    const filled = new Headers();
    headers.forEach((value, name) => filled.set(name, fillPlaceholders(value, secrets)));
    return filled;
}

function logCall(scope: CallScope, call: ProviderCall, url: string, startedAt: number, attempts: number, status: number | null, failure: string | null) {
    const target = new URL(url);
    const failed = status === null || status >= 400;
    scope.defer(
        recordOperation(scope.db, {
            environmentId: scope.ref.row.environmentId,
            type: 'proxy',
            action: call.method.toLowerCase(),
            status: failed ? 'failed' : 'success',
            integrationKey: scope.ref.integration.uniqueKey,
            connectionId: scope.ref.row.connectionId,
            ...(status !== null && { httpStatus: status }),
            ...(failed && { error: { code: status === null ? 'upstream_unreachable' : `upstream_${status}`, message: failure ?? `The provider answered ${status}` } }),
            // The endpoint without its query: query strings may carry secrets the provider template put there.
            meta: { upstream: target.origin, endpoint: call.endpoint.split('?')[0], attempts },
            ...(scope.parentOperationId !== undefined && { parentId: scope.parentOperationId }),
            startedAt,
            endedAt: Date.now()
        }).catch((error: unknown) => console.error('could not log a provider call', error))
    );
}
