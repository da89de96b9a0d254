import { ApiError } from '../http/api-error.js';
import { loopbackHttpAllowed } from '../oauth/egress.js';
import type { EgressSettings } from './egress-settings.js';
import { isPrivateHost } from './private-network.js';

/**
 * Where a caller-chosen URL may point (a base URL override, `uncontrolledFetch`): http(s) only,
 * and not into private networks unless the environment allows it (loopback is also allowed in
 * local development).
 */
export function assertEgressAllowed(raw: string, settings: EgressSettings, env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }): URL {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new ApiError(400, 'invalid_url', `Not a valid URL: ${raw.slice(0, 200)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiError(400, 'invalid_url', 'Only http and https URLs are allowed');
    if (url.username || url.password) throw new ApiError(400, 'invalid_url', 'URLs may not carry credentials');
    if (isPrivateHost(url.hostname) && !settings.allow_private_network && !loopbackHttpAllowed(env)) {
        throw new ApiError(400, 'egress_denied', `Requests to private or loopback addresses (${url.hostname}) are not allowed in this environment`);
    }
    return url;
}

export function assertOverrideAllowed(raw: string, settings: EgressSettings, env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }): URL {
    if (!settings.allow_base_url_override) throw new ApiError(400, 'base_url_override_not_allowed', 'This environment does not allow overriding the base URL');
    return assertEgressAllowed(raw, settings, env);
}
