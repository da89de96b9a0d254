import type { Provider } from '../../providers/schema.js';
import { templateVariables, type TemplateValues } from '../../providers/templates.js';
import type { Credentials } from '../connections/credentials.js';
import { utf8Base64 } from '../crypto/encoding.js';
import { assertUpstreamUrl } from '../oauth/egress.js';
import { fillMap, providerBaseUrl } from '../oauth/provider-urls.js';
import { netsuiteHostLabel } from './netsuite-account.js';
import { type Consumer, signedAuthorization, signsRequests } from './request-signing.js';

export interface UpstreamTarget {
    provider: Provider;
    credentials: Credentials;
    connectionConfig: Record<string, unknown>;
    /** OAUTH1 and TBA: the consumer that signs with the connection's token (see signingConsumer). */
    consumer?: Consumer | undefined;
}

export interface UpstreamCall {
    method: string;
    /** Path (and query) below the provider's base URL, starting with `/`. */
    endpoint: string;
    headers?: Record<string, string> | Headers;
    body?: BodyInit | null;
    /** Replaces the provider's base URL (verification calls, `Base-Url-Override`). */
    baseUrl?: string;
}

export function templateValues(target: UpstreamTarget): TemplateValues {
    const c = target.credentials;
    const accessToken = c.type === 'OAUTH2' || c.type === 'APP' ? c.access_token : c.type === 'OAUTH2_CC' ? c.token : undefined;
    return { connectionConfig: hostConfig(target), credentials: c as unknown as Record<string, unknown>, ...(accessToken && { accessToken }) };
}

/** NetSuite's API hosts spell the account id their own way (the signature's realm keeps the typed one). */
function hostConfig({ credentials, connectionConfig }: UpstreamTarget): Record<string, unknown> {
    const accountId = connectionConfig['accountId'];
    return credentials.type === 'TBA' && typeof accountId === 'string' ? { ...connectionConfig, accountId: netsuiteHostLabel(accountId) } : connectionConfig;
}

/**
 * A request to the provider with the connection's credentials injected: through the provider's
 * templated headers and query when it declares them, else by auth mode (Bearer token, Basic, an
 * RFC 5849 signature over the method, URL, query and form body).
 */
export async function authenticatedRequest(env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }, target: UpstreamTarget, call: UpstreamCall): Promise<Request> {
    const values = templateValues(target);
    const proxy = target.provider.proxy;
    const base = (call.baseUrl ?? providerBaseUrl(target.provider, values)).replace(/\/+$/, '');
    const url = assertUpstreamUrl(base + call.endpoint, env);
    for (const [name, value] of Object.entries(fillMap(proxy?.query, values))) url.searchParams.set(name, value);

    const headers = new Headers(call.headers);
    for (const [name, value] of Object.entries(fillMap(proxy?.headers, values))) headers.set(name, value);
    let body = call.body ?? null;
    if (!injectsCredentials(proxy) && !headers.has('authorization')) {
        if (signsRequests(target.credentials)) {
            // A form body's parameters are part of the signature, so it is read (and sent) as text.
            const isForm = headers.get('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded') ?? false;
            if (isForm && body !== null && typeof body !== 'string') body = await new Response(body).text();
            headers.set('authorization', await signedAuthorization(target, call.method, url, isForm ? (body as string | null) : null));
        } else {
            const authorization = defaultAuthorization(target.credentials);
            if (authorization) headers.set('authorization', authorization);
        }
    }
    return new Request(url, { method: call.method, headers, body });
}

/** Whether the provider's own headers or query already carry the credentials. */
function injectsCredentials(proxy: Provider['proxy']): boolean {
    const templates = [...Object.values(proxy?.headers ?? {}), ...Object.values(proxy?.query ?? {})];
    return templates.some((t) => templateVariables(t).some((v) => v.scope === 'accessToken' || v.scope === 'credentials'));
}

function defaultAuthorization(c: Credentials): string | null {
    switch (c.type) {
        case 'OAUTH2':
        case 'APP':
            return `Bearer ${c.access_token}`;
        case 'OAUTH2_CC':
            return `Bearer ${c.token}`;
        case 'BASIC':
            return `Basic ${utf8Base64(`${c.username}:${c.password}`)}`;
        default:
            return null;
    }
}
