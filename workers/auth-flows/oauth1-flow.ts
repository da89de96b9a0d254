import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { publicBaseUrl } from '../http/public-url.js';
import { requestedScopes } from '../oauth/authorization-url.js';
import { assertUpstreamUrl } from '../oauth/egress.js';
import { fillMap, providerUrl } from '../oauth/provider-urls.js';
import { type Oauth1Signing, oauth1Authorization } from '../upstream/oauth1-signature.js';
import { integrationConsumer } from '../upstream/request-signing.js';
import type { AuthAttempt } from './auth-attempt.js';
import { requestedAuthorizationParams } from './bracket-params.js';
import type { OAuthSessionPayload } from './oauth-sessions.js';
import { CALLBACK_PATH, type CallbackQuery, type FlowResult, type FlowStart } from './popup-flow.js';

const TIMEOUT_MS = 30_000;

/** One signed step of the three-legged flow; the provider answers form-encoded tokens. */
async function signedTokenCall(env: Env, template: string, connectionConfig: Record<string, unknown>, signing: Omit<Oauth1Signing, 'method' | 'url'>, what: string) {
    const url = assertUpstreamUrl(providerUrl(template, { connectionConfig }, `${what} URL`), env);
    let res: Response;
    try {
        res = await fetch(url, { method: 'POST', headers: { authorization: await oauth1Authorization({ ...signing, method: 'POST', url: url.toString() }) }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
        throw new ApiError(400, 'oauth_error', `The provider's ${what} endpoint could not be reached: ${(error as Error).message}`);
    }
    // Form-encoded, which workerd's text() warns about.
    const text = new TextDecoder().decode(await res.arrayBuffer());
    const answer = Object.fromEntries(new URLSearchParams(text));
    if (!res.ok || !answer['oauth_token'] || !answer['oauth_token_secret']) {
        throw new ApiError(400, 'oauth_error', `The provider refused the ${what} request (HTTP ${res.status}${res.ok ? ', no token in the answer' : `: ${text.slice(0, 200)}`})`);
    }
    return answer as Record<string, string> & { oauth_token: string; oauth_token_secret: string };
}

/**
 * OAuth 1.0a, RFC 5849 §2: a signed request for a temporary token that names our callback, then
 * the user's browser to the provider with it. The flow is stored under that token, as the
 * provider sends it back with the verifier and echoes no state.
 */
export async function beginOAuth1(c: Context<AppEnv>, attempt: AuthAttempt): Promise<FlowStart> {
    const provider = attempt.provider.provider;
    const oauth = provider.oauth!;
    const { scopes: integrationScopes, ...consumer } = await integrationConsumer(c.env, attempt.integration, 'OAUTH1');
    const redirectUri = publicBaseUrl(c) + CALLBACK_PATH;
    const temporary = await signedTokenCall(
        c.env,
        oauth.request_token_url!,
        attempt.connectionConfig,
        { consumer, signatureMethod: oauth.signature_method ?? 'HMAC-SHA1', extra: { oauth_callback: redirectUri } },
        'request token'
    );
    if (temporary['oauth_callback_confirmed'] !== 'true') throw new ApiError(400, 'oauth_error', 'The provider did not confirm the callback URL (OAuth 1.0a requires oauth_callback_confirmed=true)');
    const payload: OAuthSessionPayload = {
        mode: 'OAUTH1',
        connectionId: attempt.connectionId,
        reconnecting: attempt.reconnecting,
        redirectUri,
        connectionConfig: attempt.connectionConfig,
        requestTokenSecret: temporary.oauth_token_secret
    };
    const requested = requestedAuthorizationParams(new URL(c.req.url), attempt.defaults.authorization_params);
    const scopes = requestedScopes(provider, integrationScopes, attempt.defaults.connection_config?.['oauth_scopes_override']);
    const location = () => {
        const url = assertUpstreamUrl(providerUrl(oauth.authorization_url!, { connectionConfig: attempt.connectionConfig }, 'authorization URL'), c.env);
        const params = {
            ...fillMap(oauth.authorization_params, { connectionConfig: attempt.connectionConfig }),
            ...(scopes.length && { scope: scopes.join(oauth.scope_separator ?? ' ') }),
            ...requested,
            // Last: nothing from the browser may swap the token this flow is stored under.
            oauth_token: temporary.oauth_token
        };
        for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
        return url.toString();
    };
    return { payload, state: temporary.oauth_token, location, returnPaths: [CALLBACK_PATH] };
}

/** The user approved: the temporary token and the verifier buy the access token (§2.3). */
export async function completeOAuth1(env: Env, attempt: AuthAttempt, payload: OAuthSessionPayload, query: CallbackQuery): Promise<FlowResult> {
    const requestToken = query['oauth_token'];
    if (!requestToken || !query['oauth_verifier']) throw new ApiError(400, 'oauth_error', 'The provider did not authorize the connection (no oauth_verifier)');
    const oauth = attempt.provider.provider.oauth!;
    const consumer = await integrationConsumer(env, attempt.integration, 'OAUTH1');
    const raw = await signedTokenCall(
        env,
        oauth.token_url,
        payload.connectionConfig,
        {
            consumer: { key: consumer.key, secret: consumer.secret },
            token: { key: requestToken, secret: payload.requestTokenSecret ?? '' },
            signatureMethod: oauth.signature_method ?? 'HMAC-SHA1',
            extra: { oauth_verifier: query['oauth_verifier'] }
        },
        'access token'
    );
    return { credentials: { type: 'OAUTH1', oauth_token: raw.oauth_token, oauth_token_secret: raw.oauth_token_secret, raw }, config: {} };
}
