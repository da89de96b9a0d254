import { ApiError } from '../http/api-error.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a loopback `http://` URL is acceptable: only where SPOKE_ALLOW_LOOPBACK_HTTP is on (local development). */
export const loopbackHttpAllowed = (env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }) => env.SPOKE_ALLOW_LOOPBACK_HTTP === 'true';

export function isAllowedUpstreamUrl(url: URL, allowLoopbackHttp: boolean): boolean {
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
}

/**
 * Credentials only ever travel to https URLs. A provider URL is checked when the entry is saved,
 * but a variable can still supply a whole base URL (Salesforce's instance_url), so every request
 * carrying credentials is checked again here.
 */
export function assertUpstreamUrl(raw: string, env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }): URL {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new ApiError(400, 'invalid_upstream_url', 'The provider URL is not a valid URL; check the connection config');
    }
    if (!isAllowedUpstreamUrl(url, loopbackHttpAllowed(env))) {
        throw new ApiError(400, 'invalid_upstream_url', `Refusing to send credentials to ${url.origin}: provider URLs must use https`);
    }
    return url;
}
