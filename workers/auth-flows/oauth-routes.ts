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
import { createRouter } from '../http/router.js';
import { resolveIntegrationProvider } from '../integrations/integrations.js';
import { logOperation } from '../operations/operation-middleware.js';
import { beginAppInstall, completeAppInstall } from './app-install-flow.js';
import { type AuthAttempt, resolveAuthAttempt } from './auth-attempt.js';
import { publishAuthResult } from './auth-socket.js';
import { callbackPage } from './callback-page.js';
import { beginOAuth1, completeOAuth1 } from './oauth1-flow.js';
import { beginOAuth2, completeOAuth2 } from './oauth2-flow.js';
import { consumeOAuthSession, createOAuthSession, type OAuthSessionPayload, stateCookieName } from './oauth-sessions.js';
import { APP_SETUP_PATH, CALLBACK_PATH, type CallbackQuery, type FlowResult, type FlowStart } from './popup-flow.js';
import { reportFailedCreation, saveAuthorization } from './save-authorization.js';

const htmlResponse = { description: 'An HTML page that reports the result to the Connect UI', content: { 'text/html': { schema: z.string() } } };

/** Errors inside the popup become a page (and a socket message), never a JSON body the user would stare at. */
async function failPage(c: Context<AppEnv>, error: unknown, wsClientId: string | null, integrationKey: string | null): Promise<Response> {
    const known = toApiError(error);
    if (!known) console.error(`[${c.get('requestId')}] oauth flow failed`, error);
    const apiError = known ?? new ApiError(500, 'server_error', 'An unexpected error occurred');
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

function beginFlow(c: Context<AppEnv>, attempt: AuthAttempt, userScope: string | undefined): Promise<FlowStart> {
    switch (attempt.provider.provider.auth_mode) {
        case 'OAUTH1':
            return beginOAuth1(c, attempt);
        case 'APP':
            return beginAppInstall(c, attempt);
        default:
            return beginOAuth2(c, attempt, userScope);
    }
}

function completeFlow(env: Env, attempt: AuthAttempt, payload: OAuthSessionPayload, query: CallbackQuery): Promise<FlowResult> {
    switch (payload.mode) {
        case 'OAUTH1':
            return completeOAuth1(env, attempt, payload, query);
        case 'APP':
            return completeAppInstall(env, attempt, payload, query);
        default:
            return completeOAuth2(env, attempt, payload, query);
    }
}

export const oauthRoutes = createRouter();

oauthRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/oauth/connect/{providerConfigKey}',
        tags: ['Auth'],
        summary: 'Start an OAuth 2, OAuth 1.0a or app-installation flow (opened in a popup); redirects to the provider',
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
            const attempt = await resolveAuthAttempt(c, key, ['OAUTH2', 'OAUTH1', 'APP']);
            const flow = await beginFlow(c, attempt, query.user_scope);
            const { state, cookie } = await createOAuthSession(
                database(c.env),
                c.env,
                { environmentId: attempt.environment.id, integrationId: attempt.integration.id, connectSessionId: attempt.session.id, wsClientId },
                flow.payload,
                flow.state
            );
            const location = flow.location(state);
            for (const path of flow.returnPaths) {
                setCookie(c, stateCookieName(state), cookie, {
                    path,
                    httpOnly: true,
                    secure: new URL(flow.payload.redirectUri).protocol === 'https:',
                    // Lax: the provider's redirect back is a top-level GET navigation, which Lax cookies follow.
                    sameSite: 'Lax',
                    maxAge: 15 * 60
                });
            }
            return c.redirect(location, 302);
        } catch (error) {
            return failPage(c, error, wsClientId, key);
        }
    }
);

const callbackQuery = z
    .object({
        state: z.string().optional(),
        code: z.string().optional(),
        error: z.string().optional(),
        error_description: z.string().optional(),
        oauth_token: z.string().optional(),
        oauth_verifier: z.string().optional(),
        installation_id: z.string().optional(),
        setup_action: z.string().optional()
    })
    .catchall(z.string());

/**
 * Where the provider sends the browser back. The state finds the flow (OAuth 1.0a has none: its
 * temporary token does), and must come with the cookie of the browser that began it.
 */
async function finishFlow(c: Context<AppEnv>, query: z.infer<typeof callbackQuery>): Promise<Response> {
    const db = database(c.env);
    const path = new URL(c.req.url).pathname;
    let session: Awaited<ReturnType<typeof consumeOAuthSession>>;
    try {
        const state = query.state ?? query.oauth_token;
        if (!state) throw new ApiError(400, 'invalid_state', 'The provider returned without a state; start again.');
        session = await consumeOAuthSession(db, c.env, state, getCookie(c, stateCookieName(state)));
        setCookie(c, stateCookieName(state), '', { path, maxAge: 0 });
    } catch (error) {
        // Without a valid state nothing here can be trusted, not even which socket to tell.
        return failPage(c, error, null, null);
    }
    const { row, payload } = session;
    let attempt: AuthAttempt | null = null;
    try {
        attempt = await restoreAttempt(c, row.environmentId, row.integrationId, row.connectSessionId, payload);
        const { credentials, config } = await completeFlow(c.env, attempt, payload, query);
        const ref = await saveAuthorization(c, attempt, credentials, config);
        const result = { providerConfigKey: attempt.integration.uniqueKey, connectionId: ref.row.connectionId };
        await publishAuthResult(c.env, row.wsClientId, { message_type: 'success', provider_config_key: result.providerConfigKey, connection_id: result.connectionId, is_pending: false });
        return callbackPage({ ok: true, ...result });
    } catch (error) {
        const apiError = toApiError(error);
        if (attempt && apiError) await reportFailedCreation(c, attempt, { type: apiError.code, description: apiError.message });
        return failPage(c, error, row.wsClientId, attempt?.integration.uniqueKey ?? null);
    }
}

oauthRoutes.openapi(
    createRoute({
        method: 'get',
        path: CALLBACK_PATH,
        tags: ['Auth'],
        summary: 'Where providers redirect after the user authorized (register this URL in your OAuth app)',
        middleware: [logOperation('auth', 'oauth')] as const,
        request: { query: callbackQuery },
        responses: { 200: htmlResponse, 400: htmlResponse }
    }),
    (c) => finishFlow(c, c.req.valid('query'))
);

oauthRoutes.openapi(
    createRoute({
        method: 'get',
        path: APP_SETUP_PATH,
        tags: ['Auth'],
        summary: "Where GitHub sends the user after installing an app (register this URL as the app's setup URL)",
        middleware: [logOperation('auth', 'app')] as const,
        request: { query: callbackQuery },
        responses: { 200: htmlResponse, 400: htmlResponse }
    }),
    (c) => finishFlow(c, c.req.valid('query'))
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
