import { fillTemplate } from '../../providers/templates.js';
import type { ConnectionSecrets } from '../connections/credentials.js';
import { ApiError } from '../http/api-error.js';
import { loopbackHttpAllowed } from '../oauth/egress.js';
import { isBodyHeader } from '../upstream/redirects.js';
import { templateValues, type UpstreamTarget } from '../upstream/upstream-request.js';
import type { EgressSettings } from './egress-settings.js';
import { isPrivateHost } from './private-network.js';
import type { SecretValues } from './secret-values.js';

/**
 * Where a caller-chosen URL may point (a base URL override, `uncontrolledFetch`): http(s) only,
 * and not into private networks unless the environment allows it (loopback is also allowed in
 * local development).
 */
export function assertEgressAllowed(raw: string, settings: EgressSettings, env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }): URL {
    const url = parseCallerUrl(raw);
    assertReachable(url, settings, env);
    return url;
}

/** The hosts of the provider's API for a connection: every base URL candidate, and the catalog's other API hosts. */
export interface ProviderHosts {
    has(host: string): boolean;
}

/** Where the connection's secrets may go. */
export function providerHosts(target: UpstreamTarget): ProviderHosts {
    const values = templateValues(target);
    const proxy = target.provider.proxy;
    const bases = proxy ? (Array.isArray(proxy.base_url) ? proxy.base_url : [proxy.base_url]) : [];
    const exact = new Set<string>();
    for (const base of bases) {
        const filled = fillTemplate(base, values, { encode: true });
        if (filled && URL.canParse(filled)) exact.add(new URL(filled).host);
    }
    const patterns = proxy?.api_hosts ?? [];
    return {
        has: (host) => exact.has(host) || patterns.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p))
    };
}

/** Whether a connection holds anything a provider call would carry that its caller must not send just anywhere. */
export const hasSecrets = (secrets: ConnectionSecrets) => secrets.credentials.type !== 'NONE' || Object.keys(secrets.secretConfig).length > 0;

export const credentialsEgressDenied = (providerName: string, host: string) =>
    new ApiError(400, 'credentials_egress_denied', `The connection's credentials go only to ${providerName}'s API, not to ${host}`);

/**
 * Where a base URL override may send a call to the connection's provider. Its own API hosts are
 * always fine: that is no more than the call without the override (and link pagination turns the
 * provider's absolute links into overrides). Any other host is refused to calls that carry the
 * connection's secrets: function code holds placeholders, not credentials, and neither it nor an
 * upstream's Link header may have the platform send them elsewhere. Calls without secrets follow
 * the environment's egress settings.
 */
export function assertOverrideAllowed(
    raw: string,
    settings: EgressSettings,
    env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string },
    target: { providerName: string; hosts: ProviderHosts; carriesSecrets: boolean }
): URL {
    const url = parseCallerUrl(raw);
    if (target.hosts.has(url.host)) return url;
    assertReachable(url, settings, env);
    if (!settings.allow_base_url_override) throw new ApiError(400, 'base_url_override_not_allowed', "This environment allows base URL overrides only to the provider's own API hosts");
    if (target.carriesSecrets) throw credentialsEgressDenied(target.providerName, url.host);
    return url;
}

/**
 * Where a redirect may lead a call that may have carried the connection's secrets, when it leaves
 * the provider's API hosts: the egress policy applies as to a URL the caller chose, and neither
 * the URL the upstream named nor a body sent again may carry a secret.
 */
export function assertRedirectAllowed(
    url: URL,
    body: string | ArrayBuffer | null,
    settings: EgressSettings,
    env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string },
    target: { providerName: string; secrets: SecretValues }
): void {
    assertEgressAllowed(url.href, settings, env);
    const bodyText = body === null ? '' : typeof body === 'string' ? body : new TextDecoder().decode(body);
    if (target.secrets.foundIn(url.href) || target.secrets.foundIn(bodyText)) throw credentialsEgressDenied(target.providerName, url.host);
}

// Headers that carry credentials whoever set them.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * The headers a redirect leaving the provider's API hosts carries: never a credential (the usual
 * credential headers, those the provider's template sets, any with a secret value or a
 * placeholder), and only the body's own headers unless the caller asked to forward the others
 * (`Forward-Headers-On-Redirect`).
 */
export function headersElsewhere(headers: Headers, target: UpstreamTarget, secrets: SecretValues, forward: boolean): Headers {
    const templated = new Set(Object.keys(target.provider.proxy?.headers ?? {}).map((name) => name.toLowerCase()));
    const out = new Headers();
    headers.forEach((value, name) => {
        if (CREDENTIAL_HEADERS.has(name) || templated.has(name) || secrets.foundIn(value)) return;
        if (forward || isBodyHeader(name)) out.set(name, value);
    });
    return out;
}

function parseCallerUrl(raw: string): URL {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new ApiError(400, 'invalid_url', `Not a valid URL: ${raw.slice(0, 200)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiError(400, 'invalid_url', 'Only http and https URLs are allowed');
    if (url.username || url.password) throw new ApiError(400, 'invalid_url', 'URLs may not carry credentials');
    return url;
}

function assertReachable(url: URL, settings: EgressSettings, env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }): void {
    if (isPrivateHost(url.hostname) && !settings.allow_private_network && !loopbackHttpAllowed(env)) {
        throw new ApiError(400, 'egress_denied', `Requests to private or loopback addresses (${url.hostname}) are not allowed in this environment`);
    }
}
