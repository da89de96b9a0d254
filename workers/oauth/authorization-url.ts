import type { Provider } from '../../providers/schema.js';
import { assertUpstreamUrl } from './egress.js';
import { fillMap, providerUrl } from './provider-urls.js';

export interface AuthorizationRequest {
    provider: Provider;
    clientId: string;
    redirectUri: string;
    state: string;
    /** S256 challenge, unless the provider opts out of PKCE. */
    codeChallenge?: string;
    scopes: string[];
    userScope?: string;
    /** Overrides the provider's own authorization params (session defaults, then the request), not the protocol's. */
    authorizationParams: Record<string, string>;
    connectionConfig: Record<string, unknown>;
}

export function buildAuthorizationUrl(env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }, r: AuthorizationRequest): string {
    const oauth = r.provider.oauth!;
    const url = assertUpstreamUrl(providerUrl(oauth.authorization_url!, { connectionConfig: r.connectionConfig }, 'authorization URL'), env);
    const params: Record<string, string> = {
        ...fillMap(oauth.authorization_params, { connectionConfig: r.connectionConfig }),
        ...r.authorizationParams,
        // Last: custom params (partly from the browser) must not redirect the code elsewhere, swap
        // the client, the state or the PKCE challenge, or change the scopes the integration asks for.
        response_type: 'code',
        client_id: r.clientId,
        redirect_uri: r.redirectUri,
        state: r.state,
        ...(r.scopes.length && { scope: r.scopes.join(oauth.scope_separator ?? ' ') }),
        ...(r.codeChallenge && { code_challenge: r.codeChallenge, code_challenge_method: 'S256' }),
        ...(r.userScope && { user_scope: r.userScope })
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
}

/** The scopes to request: the provider's defaults plus the integration's (or the session's override). */
export function requestedScopes(provider: Provider, integrationScopes: string | null | undefined, override: unknown): string[] {
    const configured = typeof override === 'string' ? override : (integrationScopes ?? '');
    const split = configured.split(/[,\s]+/).filter(Boolean);
    return [...new Set([...(provider.oauth?.default_scopes ?? []), ...split])];
}
