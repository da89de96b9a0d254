import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { eq } from 'drizzle-orm';
import { connectSessions, integrations } from '../../schema/tables.js';
import { database } from '../db.js';
import { findEnvironmentById } from '../environments/environments.js';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { toApiError } from '../http/error-envelope.js';
import { publicBaseUrl } from '../http/public-url.js';
import { createRouter } from '../http/router.js';
import { type IntegrationRow, openCredentials, resolveIntegrationProvider } from '../integrations/integrations.js';
import { logOperation } from '../operations/operation-middleware.js';
import { buildAuthorizationUrl, requestedScopes } from '../oauth/authorization-url.js';
import { createPkcePair } from '../oauth/pkce.js';
import { type OAuthClient, requestToken, TokenRequestError } from '../oauth/token-request.js';
import { parseTokenResponse } from '../oauth/token-response.js';
import { type AuthAttempt, resolveAuthAttempt } from './auth-attempt.js';
import { publishAuthResult } from './auth-socket.js';
import { bracketParams } from './bracket-params.js';
import { callbackPage } from './callback-page.js';
import { consumeOAuthSession, createOAuthSession, type OAuthSessionPayload, stateCookieName } from './oauth-sessions.js';
import { reportFailedCreation, saveAuthorization } from './save-authorization.js';

const htmlResponse = { description: 'An HTML page that reports the result to the Connect UI', content: { 'text/html': { schema: z.string() } } };
const callbackPath = '/oauth/callback';

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

/** Errors inside the popup become a page (and a socket message), never a JSON body the user would stare at. */
async function failPage(c: Context<AppEnv>, error: unknown, wsClientId: string | null, integrationKey: string | null): Promise<Response> {
    const apiError = toApiError(error) ?? new ApiError(500, 'server_error', 'An unexpected error occurred');
    if (!toApiError(error)) console.error(`[${c.get('requestId')}] oauth flow failed`, error);
    c.error = apiError;
    await publishAuthResult(c.env, wsClientId, {
        message_type: 'error',
        provider_config_key: integrationKey ?? '',
        connection_id: null,
        error_type: apiError.code,
        error_desc: apiError.message
    });
    const page = callbackPage({ ok: false, errorType: apiError.code, message: apiError.message });
    return new Response(page.body, { status: apiError.status, headers: page.headers });
}

export const oauthRoutes = createRouter();

oauthRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/oauth/connect/{providerConfigKey}',
        tags: ['Auth'],
        summary: 'Start an OAuth 2 authorization (opened in a popup); redirects to the provider',
        request: {
            params: z.object({ providerConfigKey: z.string().min(1) }),
            query: z.object({ connect_session_token: z.string().optional(), ws_client_id: z.string().optional(), user_scope: z.string().optional() }).catchall(z.string())
        },
        responses: { 302: { description: 'To the provider' }, 400: htmlResponse, 401: htmlResponse, 404: htmlResponse }
    }),
    async (c) => {
        const key = c.req.valid('param').providerConfigKey;
        const query = c.req.valid('query');
        const wsClientId = query.ws_client_id ?? null;
        try {
            const attempt = await resolveAuthAttempt(c, key, ['OAUTH2']);
            const url = new URL(c.req.url);
            const given = bracketParams(url, 'credentials');
            const override =
                given['oauth_client_id_override'] && given['oauth_client_secret_override']
                    ? { clientId: given['oauth_client_id_override'], clientSecret: given['oauth_client_secret_override'] }
                    : null;
            const { client, scopes } = await oauthClient(c.env, attempt.integration, override);
            const provider = attempt.provider.provider;
            const pkce = provider.oauth?.pkce === false ? null : await createPkcePair();
            const redirectUri = publicBaseUrl(c) + callbackPath;
            const payload: OAuthSessionPayload = {
                connectionId: attempt.connectionId,
                reconnecting: attempt.reconnecting,
                redirectUri,
                connectionConfig: attempt.connectionConfig,
                ...(pkce && { codeVerifier: pkce.verifier }),
                ...(override && { clientOverride: override })
            };
            const { state, cookie } = await createOAuthSession(
                database(c.env),
                c.env,
                { environmentId: attempt.environment.id, integrationId: attempt.integration.id, connectSessionId: attempt.session.id, wsClientId },
                payload
            );
            // The frontend SDK sends `authorization_params[k]=undefined` to mean "leave k out".
            const requested = Object.fromEntries(Object.entries(bracketParams(url, 'authorization_params')).filter(([, v]) => v !== 'undefined'));
            const location = buildAuthorizationUrl(c.env, {
                provider,
                clientId: client.clientId,
                redirectUri,
                state,
                ...(pkce && { codeChallenge: pkce.challenge }),
                scopes: requestedScopes(provider, scopes, attempt.defaults.connection_config?.['oauth_scopes_override']),
                ...((attempt.defaults.user_scopes ?? query.user_scope) && { userScope: attempt.defaults.user_scopes ?? query.user_scope }),
                authorizationParams: { ...requested, ...attempt.defaults.authorization_params },
                connectionConfig: attempt.connectionConfig
            });
            setCookie(c, stateCookieName(state), cookie, {
                path: callbackPath,
                httpOnly: true,
                secure: new URL(redirectUri).protocol === 'https:',
                // Lax: the provider's redirect back is a top-level GET navigation, which Lax cookies follow.
                sameSite: 'Lax',
                maxAge: 15 * 60
            });
            return c.redirect(location, 302);
        } catch (error) {
            return failPage(c, error, wsClientId, key);
        }
    }
);

oauthRoutes.openapi(
    createRoute({
        method: 'get',
        path: callbackPath,
        tags: ['Auth'],
        summary: 'Where providers redirect after the user authorized (register this URL in your OAuth app)',
        middleware: [logOperation('auth', 'oauth')] as const,
        request: { query: z.object({ state: z.string().optional(), code: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() }).catchall(z.string()) },
        responses: { 200: htmlResponse, 400: htmlResponse }
    }),
    async (c) => {
        const query = c.req.valid('query');
        const db = database(c.env);
        let session: Awaited<ReturnType<typeof consumeOAuthSession>>;
        try {
            if (!query.state) throw new ApiError(400, 'invalid_state', 'The provider returned without a state; start again.');
            session = await consumeOAuthSession(db, c.env, query.state, getCookie(c, stateCookieName(query.state)));
            setCookie(c, stateCookieName(query.state), '', { path: callbackPath, maxAge: 0 });
        } catch (error) {
            // Without a valid state nothing here can be trusted, not even which socket to tell.
            return failPage(c, error, null, null);
        }
        const { row, payload } = session;
        let attempt: AuthAttempt | null = null;
        try {
            attempt = await restoreAttempt(c, row.environmentId, row.integrationId, row.connectSessionId, payload);
            if (query.error) {
                const reason = query.error_description ? `${query.error_description} (${query.error})` : query.error;
                throw new ApiError(400, 'oauth_error', `The provider did not authorize the connection: ${reason}`);
            }
            if (!query.code) throw new ApiError(400, 'oauth_error', 'The provider returned without an authorization code');
            const provider = attempt.provider.provider;
            const { client } = await oauthClient(c.env, attempt.integration, payload.clientOverride ?? null);
            const raw = await requestToken(
                c.env,
                provider,
                client,
                { grant_type: 'authorization_code', code: query.code, redirect_uri: payload.redirectUri, ...(payload.codeVerifier && { code_verifier: payload.codeVerifier }) },
                payload.connectionConfig
            ).catch((error: unknown) => {
                // The provider's refusal; our own errors (a config field missing from the token URL…) keep their codes.
                throw error instanceof TokenRequestError ? new ApiError(400, 'oauth_error', error.message) : error;
            });
            const token = parseTokenResponse(provider, raw);
            const fromCallback = Object.fromEntries((provider.oauth?.redirect_uri_metadata ?? []).flatMap((k) => (query[k] ? [[k, query[k]]] : [])));
            const ref = await saveAuthorization(
                c,
                attempt,
                {
                    type: 'OAUTH2',
                    access_token: token.accessToken,
                    ...(token.refreshToken && { refresh_token: token.refreshToken }),
                    ...(token.expiresAt && { expires_at: token.expiresAt }),
                    raw,
                    ...(payload.clientOverride && { config_override: { client_id: payload.clientOverride.clientId, client_secret: payload.clientOverride.clientSecret } })
                },
                { ...token.metadata, ...fromCallback }
            );
            const result = { providerConfigKey: attempt.integration.uniqueKey, connectionId: ref.row.connectionId };
            await publishAuthResult(c.env, row.wsClientId, { message_type: 'success', provider_config_key: result.providerConfigKey, connection_id: result.connectionId, is_pending: false });
            return callbackPage({ ok: true, ...result });
        } catch (error) {
            const apiError = toApiError(error);
            if (attempt && apiError) await reportFailedCreation(c, attempt, { type: apiError.code, description: apiError.message });
            return failPage(c, error, row.wsClientId, attempt?.integration.uniqueKey ?? null);
        }
    }
);

/** Rebuilds the attempt the flow started with, from the state it stored. */
async function restoreAttempt(
    c: Context<AppEnv>,
    environmentId: string,
    integrationId: string,
    connectSessionId: string | null,
    payload: OAuthSessionPayload
): Promise<AuthAttempt> {
    const db = database(c.env);
    const [environment, [integration], [session]] = await Promise.all([
        findEnvironmentById(db, environmentId),
        db.select().from(integrations).where(eq(integrations.id, integrationId)).limit(1),
        connectSessionId ? db.select().from(connectSessions).where(eq(connectSessions.id, connectSessionId)).limit(1) : []
    ]);
    if (!environment || !integration) throw new ApiError(400, 'invalid_state', 'The integration was deleted during the authorization');
    c.set('environment', environment);
    Object.assign(c.var.operation, { integrationKey: integration.uniqueKey, connectionId: payload.connectionId });
    if (!session) throw new ApiError(400, 'invalid_state', 'The connect session was closed during the authorization');
    return {
        environment,
        session,
        integration,
        provider: await resolveIntegrationProvider(db, integration),
        connectionId: payload.connectionId,
        reconnecting: payload.reconnecting,
        connectionConfig: payload.connectionConfig,
        defaults: {}
    };
}
