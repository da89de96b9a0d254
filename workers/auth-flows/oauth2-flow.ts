import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { publicBaseUrl } from '../http/public-url.js';
import { type IntegrationRow, openCredentials } from '../integrations/integrations.js';
import { buildAuthorizationUrl, requestedScopes } from '../oauth/authorization-url.js';
import { createPkcePair } from '../oauth/pkce.js';
import { type OAuthClient, requestToken, TokenRequestError } from '../oauth/token-request.js';
import { parseTokenResponse } from '../oauth/token-response.js';
import type { AuthAttempt } from './auth-attempt.js';
import { bracketParams, requestedAuthorizationParams } from './bracket-params.js';
import type { OAuthSessionPayload } from './oauth-sessions.js';
import { CALLBACK_PATH, type CallbackQuery, type FlowResult, type FlowStart } from './popup-flow.js';

/**
 * The OAuth app to authorize with: the integration's, or a per-connection app the caller passed
 * as `credentials[oauth_client_id_override]` and `[oauth_client_secret_override]`.
 */
async function oauthClient(env: Env, integration: IntegrationRow, override: OAuthClient | null) {
    const credentials = await openCredentials(env, integration);
    const scopes = credentials?.type === 'OAUTH2' ? credentials.scopes : undefined;
    if (override) return { client: override, scopes };
    if (credentials?.type !== 'OAUTH2') {
        throw new ApiError(400, 'missing_oauth_client', `Integration "${integration.uniqueKey}" has no OAuth client id and secret; add them with PATCH /integrations`);
    }
    return { client: { clientId: credentials.client_id, clientSecret: credentials.client_secret }, scopes };
}

/** The authorization code flow, with PKCE unless the provider opts out. */
export async function beginOAuth2(c: Context<AppEnv>, attempt: AuthAttempt, userScope: string | undefined): Promise<FlowStart> {
    const url = new URL(c.req.url);
    const given = bracketParams(url, 'credentials');
    const override =
        given['oauth_client_id_override'] && given['oauth_client_secret_override']
            ? { clientId: given['oauth_client_id_override'], clientSecret: given['oauth_client_secret_override'] }
            : null;
    const { client, scopes } = await oauthClient(c.env, attempt.integration, override);
    const provider = attempt.provider.provider;
    const pkce = provider.oauth?.pkce === false ? null : await createPkcePair();
    const redirectUri = publicBaseUrl(c) + CALLBACK_PATH;
    const payload: OAuthSessionPayload = {
        mode: 'OAUTH2',
        connectionId: attempt.connectionId,
        reconnecting: attempt.reconnecting,
        redirectUri,
        connectionConfig: attempt.connectionConfig,
        ...(pkce && { codeVerifier: pkce.verifier }),
        ...(override && { clientOverride: override })
    };
    const location = (state: string) =>
        buildAuthorizationUrl(c.env, {
            provider,
            clientId: client.clientId,
            redirectUri,
            state,
            ...(pkce && { codeChallenge: pkce.challenge }),
            scopes: requestedScopes(provider, scopes, attempt.defaults.connection_config?.['oauth_scopes_override']),
            ...((attempt.defaults.user_scopes ?? userScope) && { userScope: attempt.defaults.user_scopes ?? userScope }),
            authorizationParams: requestedAuthorizationParams(url, attempt.defaults.authorization_params),
            connectionConfig: attempt.connectionConfig
        });
    return { payload, location, returnPaths: [CALLBACK_PATH] };
}

export async function completeOAuth2(env: Env, attempt: AuthAttempt, payload: OAuthSessionPayload, query: CallbackQuery): Promise<FlowResult> {
    if (query['error']) {
        const reason = query['error_description'] ? `${query['error_description']} (${query['error']})` : query['error'];
        throw new ApiError(400, 'oauth_error', `The provider did not authorize the connection: ${reason}`);
    }
    if (!query['code']) throw new ApiError(400, 'oauth_error', 'The provider returned without an authorization code');
    const provider = attempt.provider.provider;
    const { client } = await oauthClient(env, attempt.integration, payload.clientOverride ?? null);
    const raw = await requestToken(
        env,
        provider,
        client,
        { grant_type: 'authorization_code', code: query['code'], redirect_uri: payload.redirectUri, ...(payload.codeVerifier && { code_verifier: payload.codeVerifier }) },
        payload.connectionConfig
    ).catch((error: unknown) => {
        // The provider's refusal; our own errors (a config field missing from the token URL…) keep their codes.
        throw error instanceof TokenRequestError ? new ApiError(400, 'oauth_error', error.message) : error;
    });
    const token = parseTokenResponse(provider, raw);
    const fromCallback = Object.fromEntries((provider.oauth?.redirect_uri_metadata ?? []).flatMap((k) => (query[k] ? [[k, query[k]]] : [])));
    return {
        credentials: {
            type: 'OAUTH2',
            access_token: token.accessToken,
            ...(token.refreshToken && { refresh_token: token.refreshToken }),
            ...(token.expiresAt && { expires_at: token.expiresAt }),
            raw,
            ...(payload.clientOverride && { config_override: { client_id: payload.clientOverride.clientId, client_secret: payload.clientOverride.clientSecret } })
        },
        config: { ...token.metadata, ...fromCallback }
    };
}
