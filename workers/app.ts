import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { actionRoutes } from './actions/action-routes.js';
import { providerRoutes } from './catalog/provider-routes.js';
import { connectionRoutes } from './connections/connection-routes.js';
import { metadataRoutes } from './connections/metadata-routes.js';
import { adminRoutes } from './environments/admin-routes.js';
import { AUTH_SOCKET_PATH, openAuthSocket } from './auth-flows/auth-socket.js';
import { credentialRoutes } from './auth-flows/credential-routes.js';
import { oauthRoutes } from './auth-flows/oauth-routes.js';
import { connectSessionRoutes } from './connect/connect-session-routes.js';
import { apiAuth, sessionTokenAuth } from './connect/session-token-auth.js';
import { environmentRoutes } from './environments/environment-routes.js';
import { functionRoutes } from './functions/function-routes.js';
import { integrationFunctionRoutes } from './functions/integration-function-routes.js';
import { limitBody } from './http/body-limit.js';
import type { AppEnv } from './http/app-env.js';
import { onError, onNotFound } from './http/error-envelope.js';
import { requestId } from './http/request-id.js';
import { syncRoutes } from './syncs/sync-routes.js';
import { validationHook } from './http/validation.js';
import { integrationRoutes } from './integrations/integration-routes.js';
import { logRoutes } from './operations/log-routes.js';
import { proxyRouteDoc, proxyRoutes } from './proxy/proxy-routes.js';
import { recordsRoutes } from './records/records-routes.js';
import { ingressRoutes } from './webhook-ingress/ingress-routes.js';
import { webhookRoutes } from './webhooks/webhook-routes.js';

export const API_VERSION = '0.1.0';
const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/** Path prefixes of the API that authenticates with an environment's secret key (or, on a few reads, a connect session token). */
const API_PREFIXES = ['/integrations', '/connections', '/connection', '/providers', '/logs', '/environment', '/environment-variables', '/webhooks', '/connect/sessions', '/functions', '/scripts', '/action', '/sync', '/records'];
/** The end-user auth routes: they read the connect session token from the query themselves. */
const AUTH_FLOW_PREFIXES = ['/api-auth', '/oauth2', '/oauth', '/auth', '/app-auth'];

export function createApp() {
    const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook, strict: false });
    app.onError(onError);
    app.notFound(onNotFound);

    app.use('*', requestId);
    // Connect UI and browser SDKs call the API cross-origin; no cookies are involved, so `*` is safe.
    app.use(
        '*',
        cors({
            origin: '*',
            allowHeaders: ['Authorization', 'Content-Type', 'Connection-Id', 'Provider-Config-Key', 'Nango-Is-Sync', 'Nango-Is-Script', 'Nango-Is-Dry-Run', 'X-Request-Id', 'X-Async', 'X-Max-Retries'],
            allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
            exposeHeaders: ['X-Request-Id'],
            maxAge: 600
        })
    );
    const limitJsonBody = limitBody(MAX_JSON_BODY_BYTES);
    app.use('/admin/*', limitJsonBody);
    for (const prefix of API_PREFIXES) app.use(`${prefix}/*`, limitJsonBody, apiAuth);
    app.use('/connect/session', limitJsonBody, sessionTokenAuth);
    for (const prefix of AUTH_FLOW_PREFIXES) app.use(`${prefix}/*`, limitJsonBody);
    // The proxy streams bodies of any size (uploads), so it has no JSON body limit.
    app.use('/proxy/*', apiAuth);

    app.get('/health', (c) => c.json({ status: 'ok' }));
    // `@nangohq/frontend` opens its OAuth-result WebSocket at the root; other requests get the API's name.
    app.get(AUTH_SOCKET_PATH, async (c) =>
        c.req.header('upgrade')?.toLowerCase() === 'websocket' ? openAuthSocket(c) : c.json({ name: 'spoke', version: API_VERSION, openapi: '/openapi.json' })
    );

    app.route('/admin', adminRoutes);
    // metadataRoutes before connectionRoutes: `PATCH /connections/metadata` must not be taken for a connection id.
    for (const routes of [
        integrationRoutes,
        metadataRoutes,
        connectionRoutes,
        providerRoutes,
        logRoutes,
        environmentRoutes,
        webhookRoutes,
        connectSessionRoutes,
        credentialRoutes,
        oauthRoutes,
        functionRoutes,
        integrationFunctionRoutes,
        actionRoutes,
        syncRoutes,
        recordsRoutes
    ]) {
        app.route('/', routes);
    }
    app.route('/', ingressRoutes);
    app.route('/', proxyRoutes);
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) app.openAPIRegistry.registerPath({ ...proxyRouteDoc, method });

    app.openAPIRegistry.registerComponent('securitySchemes', 'secretKey', {
        type: 'http',
        scheme: 'bearer',
        description: "An environment's secret key; it alone selects the environment"
    });
    app.openAPIRegistry.registerComponent('securitySchemes', 'connectSessionToken', {
        type: 'http',
        scheme: 'bearer',
        description: 'A connect session token (spoke_connect_session_…), for the Connect UI'
    });
    app.openAPIRegistry.registerComponent('securitySchemes', 'connectSessionTokenQuery', {
        type: 'apiKey',
        in: 'query',
        name: 'connect_session_token',
        description: 'A connect session token, on the end-user auth routes'
    });
    app.openAPIRegistry.registerComponent('securitySchemes', 'adminSecret', {
        type: 'http',
        scheme: 'bearer',
        description: 'The SPOKE_ADMIN_SECRET deployment secret'
    });
    app.doc31('/openapi.json', {
        openapi: '3.1.0',
        info: {
            title: 'Spoke API',
            version: API_VERSION,
            description: "Spoke's HTTP API. It follows Nango's public API, so Nango's official clients work against it."
        }
    });
    return app;
}
