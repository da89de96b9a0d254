import type { HostFetchRequest } from '../host-contract.js';
import type { ConnectionSecrets } from '../../workers/connections/credentials.js';
import { credentialsForCall } from '../../workers/connections/connections.js';
import type { Database } from '../../workers/db.js';
import { fillPlaceholders, hasPlaceholder } from '../../workers/proxy/credential-placeholders.js';
import { assertEgressAllowed, assertRedirectAllowed, credentialsEgressDenied, type ProviderHosts, providerHosts } from '../../workers/proxy/egress-policy.js';
import { type SecretValues, secretValues } from '../../workers/proxy/secret-values.js';
import { DECODED_ENCODINGS } from '../../workers/upstream/decoded-fetch.js';
import { fetchFollowingRedirects, hopHeaders, type Redirect } from '../../workers/upstream/redirects.js';
import type { HostProps } from './host-props.js';

const TIMEOUT_MS = 120_000;

/** The answer, and the connection's secrets when the request carried some (to keep them out of what function code gets). */
export interface FetchAnswer {
    response: Response;
    secrets: SecretValues | null;
}

/**
 * `nango.uncontrolledFetch()` to a URL the egress policy has allowed: no auth, no retries.
 * Credential placeholders are filled only on requests to the provider's own API hosts. Redirects
 * are followed hop by hop, each checked as the first: the egress policy again, and a request that
 * carried placeholders goes on without them (and without a body with secrets in it) only to
 * hosts other than the provider's.
 */
export async function uncontrolledFetch(env: Env, db: Database, props: HostProps, request: HostFetchRequest, url: URL): Promise<FetchAnswer> {
    const given = new Headers(request.headers);
    const givenBody = request.body ?? null;
    let filling: { secrets: ConnectionSecrets; values: SecretValues; hosts: ProviderHosts } | null = null;
    if ([request.url, ...Object.values(request.headers ?? {}), typeof givenBody === 'string' ? givenBody : ''].some(hasPlaceholder)) {
        const { ref, provider } = props;
        const { secrets } = await credentialsForCall(db, env, ref, { provider });
        const hosts = providerHosts({ provider: provider.provider, credentials: secrets.credentials, connectionConfig: { ...ref.row.connectionConfig, ...secrets.secretConfig } });
        if (!hosts.has(url.host)) throw credentialsEgressDenied(provider.name, url.host);
        filling = { secrets, values: secretValues(secrets), hosts };
    }
    const fill = (text: string) => (filling ? fillPlaceholders(text, filling.secrets) : text);
    const headers = new Headers();
    given.forEach((value, name) => headers.set(name, fill(value)));
    // Answers the platform can decode, and so check for echoed credentials.
    if (filling) headers.set('accept-encoding', DECODED_ENCODINGS);
    const body = typeof givenBody === 'string' ? fill(givenBody) : givenBody;

    const next = (redirect: Redirect) => {
        assertEgressAllowed(redirect.url.href, props.egress, env);
        const hopBody = redirect.keepsBody ? body : null;
        if (!filling || filling.hosts.has(redirect.url.host)) return new Request(redirect.url, { method: redirect.method, headers: hopHeaders(redirect, headers), body: hopBody });
        assertRedirectAllowed(redirect.url, hopBody, props.egress, env, { providerName: props.provider.name, secrets: filling.values });
        const kept = new Headers();
        given.forEach((value, name) => {
            if (!hasPlaceholder(value)) kept.set(name, value);
        });
        return new Request(redirect.url, { method: redirect.method, headers: hopHeaders(redirect, kept), body: hopBody });
    };
    const first = new Request(fill(request.url), { method: request.method ?? 'GET', headers, body });
    return { response: await fetchFollowingRedirects(first, next, { signal: AbortSignal.timeout(TIMEOUT_MS) }), secrets: filling?.values ?? null };
}
