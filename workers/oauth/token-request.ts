import type { Provider } from '../../providers/schema.js';
import { assertUpstreamUrl } from './egress.js';
import { fillMap, providerUrl } from './provider-urls.js';
import { utf8Base64 } from '../crypto/encoding.js';

export interface OAuthClient {
    clientId: string;
    clientSecret: string;
}

export type TokenGrant =
    | { grant_type: 'authorization_code'; code: string; redirect_uri: string; code_verifier?: string }
    | { grant_type: 'refresh_token'; refresh_token: string }
    | { grant_type: 'client_credentials'; scope?: string };

/** The provider refused or failed a token request. `error` is the OAuth error code when it gave one. */
export class TokenRequestError extends Error {
    override name = 'TokenRequestError';
    constructor(
        message: string,
        readonly status: number | null,
        readonly error: string | null
    ) {
        super(message);
    }

    /** The refresh token (or client) is no longer accepted: retrying cannot help. */
    get isPermanent(): boolean {
        return this.error === 'invalid_grant' || this.error === 'invalid_client' || this.error === 'unauthorized_client';
    }
}

const TIMEOUT_MS = 30_000;

/**
 * One request to the provider's token endpoint, with the catalog's quirks: client authentication
 * in a Basic header or in the body, a form or JSON body, a separate refresh URL, extra params.
 */
export async function requestToken(
    env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string },
    provider: Provider,
    client: OAuthClient,
    grant: TokenGrant,
    connectionConfig: Record<string, unknown>
): Promise<Record<string, unknown>> {
    const oauth = provider.oauth;
    if (!oauth) throw new TokenRequestError('This provider has no OAuth configuration', null, null);
    const template = grant.grant_type === 'refresh_token' && oauth.refresh_url ? oauth.refresh_url : oauth.token_url;
    const url = assertUpstreamUrl(providerUrl(template, { connectionConfig }, 'token URL'), env);
    const extra = grant.grant_type === 'refresh_token' ? (oauth.refresh_params ?? oauth.token_params) : oauth.token_params;
    const grantParams = Object.entries(grant).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const params: Record<string, string> = { ...fillMap(extra, { connectionConfig }), ...Object.fromEntries(grantParams) };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (oauth.token_request_auth_method === 'basic') {
        headers['authorization'] = `Basic ${utf8Base64(`${client.clientId}:${client.clientSecret}`)}`;
    } else {
        params['client_id'] = client.clientId;
        params['client_secret'] = client.clientSecret;
    }
    let body: string;
    if (oauth.body_format === 'json') {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(params);
    } else {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(params).toString();
    }

    let res: Response;
    try {
        res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
        throw new TokenRequestError(`The token endpoint could not be reached: ${(error as Error).message}`, null, null);
    }
    const text = await res.text();
    const parsed = parseBody(text);
    // Some providers answer 200 with an error (GitHub's `error`, Slack's `ok: false`).
    const error = typeof parsed['error'] === 'string' ? parsed['error'] : parsed['ok'] === false ? 'provider_error' : null;
    if (!res.ok || error) {
        const description = [parsed['error_description'], parsed['message']].find((v) => typeof v === 'string') as string | undefined;
        const reason = [error && error !== 'provider_error' ? error : null, description?.slice(0, 300)].filter(Boolean).join(': ');
        throw new TokenRequestError(
            `The provider rejected the token request (HTTP ${res.status}${reason ? `, ${reason}` : ''})`,
            res.status,
            error ?? (res.status === 400 || res.status === 401 ? 'invalid_request' : null)
        );
    }
    return parsed;
}

function parseBody(text: string): Record<string, unknown> {
    try {
        const json = JSON.parse(text) as unknown;
        return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
    } catch {
        // Form-encoded answers exist (GitHub without an Accept header, older providers).
        return Object.fromEntries(new URLSearchParams(text));
    }
}

/** Client-credentials tokens without a stated lifetime are treated as living this long. */
export const OAUTH_CLIENT_CREDENTIALS_LIFETIME_MS = 55 * 60_000;
