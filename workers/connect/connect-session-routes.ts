import { createRoute, z } from '@hono/zod-openapi';
import { AUTH_SOCKET_PATH } from '../auth-flows/auth-socket.js';
import { database } from '../db.js';
import { endUserSchema, toApiEndUser } from '../connections/end-user.js';
import { findConnection } from '../connections/connections.js';
import { badRequest } from '../http/api-error.js';
import { commonErrors, json, jsonBody, secretKeySecurity } from '../http/openapi.js';
import { publicBaseUrl } from '../http/public-url.js';
import { createRouter } from '../http/router.js';
import { apiTimestamp } from '../http/timestamps.js';
import { logOperation } from '../operations/operation-middleware.js';
import { createSessionBody, reconnectSessionBody } from './connect-session-input.js';
import { type ConnectSessionRow, createConnectSession, deleteSession } from './connect-sessions.js';
import { connectUiSettingsPatchSchema, connectUiSettingsSchema, getConnectUiSettings, updateConnectUiSettings } from './connect-ui-settings.js';

const sessionTokenSecurity = [{ connectSessionToken: [] }];

const createdSchema = z
    .object({ data: z.object({ token: z.string(), connect_link: z.string(), expires_at: z.string() }) })
    .openapi('ConnectSessionCreated');

const sessionSchema = z
    .object({
        data: z.object({
            endUser: endUserSchema.nullable(),
            connectUISettings: connectUiSettingsSchema,
            allowed_integrations: z.array(z.string()).optional(),
            integrations_config_defaults: z.record(z.string(), z.unknown()).optional(),
            overrides: z.record(z.string(), z.unknown()).optional(),
            isReconnecting: z.boolean(),
            /** Where `@nangohq/frontend` opens the WebSocket that receives OAuth results. */
            websocketsPath: z.string(),
            expires_at: z.string()
        })
    })
    .openapi('ConnectSession');

function created(baseUrl: string, row: ConnectSessionRow, token: string) {
    return { data: { token, connect_link: `${baseUrl}/connect/?session_token=${token}`, expires_at: apiTimestamp(row.expiresAt) } };
}

export const connectSessionRoutes = createRouter();

connectSessionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/connect/sessions',
        tags: ['Connect'],
        summary: 'Create a 30-minute session for the Connect UI or frontend SDK',
        security: secretKeySecurity,
        middleware: [logOperation('auth', 'connect_session.create')],
        request: { body: jsonBody(createSessionBody) },
        responses: { 201: json(createdSchema, 'The session token and a link to the Connect UI'), ...commonErrors }
    }),
    async (c) => {
        const body = c.req.valid('json');
        c.var.operation.meta = { end_user_id: body.end_user?.id, allowed_integrations: body.allowed_integrations };
        const { row, token } = await createConnectSession(database(c.env), c.var.environment.id, body);
        return c.json(created(publicBaseUrl(c), row, token), 201);
    }
);

connectSessionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/connect/sessions/reconnect',
        tags: ['Connect'],
        summary: 'Create a session that re-authorizes one existing connection',
        security: secretKeySecurity,
        middleware: [logOperation('auth', 'connect_session.reconnect')],
        request: { body: jsonBody(reconnectSessionBody) },
        responses: { 201: json(createdSchema, 'The session token and a link to the Connect UI'), ...commonErrors }
    }),
    async (c) => {
        const { connection_id, integration_id, ...rest } = c.req.valid('json');
        Object.assign(c.var.operation, { integrationKey: integration_id, connectionId: connection_id });
        const db = database(c.env);
        const existing = await findConnection(db, c.var.environment.id, integration_id, connection_id);
        if (!existing) {
            throw badRequest('invalid_body', `No connection "${connection_id}" for integration "${integration_id}"`, [
                { code: 'unknown_connection', message: 'Unknown connection', path: ['connection_id'] }
            ]);
        }
        const { row, token } = await createConnectSession(db, c.var.environment.id, { ...rest, allowed_integrations: [integration_id] }, existing.row.id);
        return c.json(created(publicBaseUrl(c), row, token), 201);
    }
);

connectSessionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/connect/session',
        tags: ['Connect'],
        summary: 'The session behind a session token (used by the Connect UI)',
        security: sessionTokenSecurity,
        responses: { 200: json(sessionSchema, 'The session'), ...commonErrors }
    }),
    async (c) => {
        const session = c.var.connectSession!;
        return c.json(
            {
                data: {
                    endUser: toApiEndUser(session),
                    connectUISettings: await getConnectUiSettings(database(c.env), session.environmentId),
                    ...(session.allowedIntegrations && { allowed_integrations: session.allowedIntegrations }),
                    ...(session.integrationsConfigDefaults && { integrations_config_defaults: session.integrationsConfigDefaults }),
                    ...(session.overrides && { overrides: session.overrides }),
                    isReconnecting: session.reconnectConnectionId !== null,
                    websocketsPath: AUTH_SOCKET_PATH,
                    expires_at: apiTimestamp(session.expiresAt)
                }
            },
            200
        );
    }
);

connectSessionRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/connect/session',
        tags: ['Connect'],
        summary: 'End the session early',
        security: sessionTokenSecurity,
        middleware: [logOperation('auth', 'connect_session.delete')],
        responses: { 204: { description: 'Deleted' }, ...commonErrors }
    }),
    async (c) => {
        const session = c.var.connectSession!;
        c.var.operation.meta = { end_user_id: session.endUserId };
        await deleteSession(database(c.env), session.id);
        return c.body(null, 204);
    }
);

connectSessionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environment/connect-ui-settings',
        tags: ['Connect'],
        summary: 'The Connect UI theme of the environment',
        security: secretKeySecurity,
        responses: { 200: json(z.object({ data: connectUiSettingsSchema }), 'Settings'), ...commonErrors }
    }),
    async (c) => c.json({ data: await getConnectUiSettings(database(c.env), c.var.environment.id) }, 200)
);

connectSessionRoutes.openapi(
    createRoute({
        method: 'patch',
        path: '/environment/connect-ui-settings',
        tags: ['Connect'],
        summary: 'Change the Connect UI theme: primary colours, default theme, watermark',
        security: secretKeySecurity,
        middleware: [logOperation('environment', 'connect_ui_settings.update')],
        request: { body: jsonBody(connectUiSettingsPatchSchema) },
        responses: { 200: json(z.object({ data: connectUiSettingsSchema }), 'Settings'), ...commonErrors }
    }),
    async (c) => c.json({ data: await updateConnectUiSettings(database(c.env), c.var.environment.id, c.req.valid('json')) }, 200)
);
