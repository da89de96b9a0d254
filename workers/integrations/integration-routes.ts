import { createRoute, z } from '@hono/zod-openapi';
import type { ResolvedProvider } from '../catalog/provider-registry.js';
import { drainMessage } from '../connections/connection-purge.js';
import { isIntegrationAllowed } from '../connect/connect-sessions.js';
import { database } from '../db.js';
import { commonErrors, conflictError, json, jsonBody, notFoundError, secretKeySecurity, successSchema } from '../http/openapi.js';
import { publicBaseUrl } from '../http/public-url.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import { integrationCredentialsSchema } from './integration-credentials.js';
import { integrationSchema, integrationWebhookUrl, toApiIntegration } from './integration-response.js';
import {
    createIntegration,
    deleteIntegration,
    listIntegrations,
    openCredentials,
    requireIntegration,
    resolveIntegrationProvider,
    updateIntegration
} from './integrations.js';

export const uniqueKeySchema = z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9~:.@_-]{0,254}$/, 'letters, digits and ~:.@_- (at most 255 characters)')
    .openapi({ example: 'github' });

const writableFields = {
    display_name: z.string().min(1).max(255).optional(),
    forward_webhooks: z.boolean().optional(),
    integration_config: z.record(z.string(), z.string()).optional(),
    custom: z.record(z.string(), z.string()).optional().openapi({ description: 'Free-form secrets, stored encrypted' }),
    credentials: integrationCredentialsSchema.optional()
};

const INCLUDES = ['webhook', 'credentials'] as const;
// Accepts `include=a&include=b` and `include=a,b`.
const includeQuery = z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
    .pipe(z.array(z.enum(INCLUDES)))
    .optional()
    .openapi({ description: 'webhook, credentials', example: 'credentials' });

const keyParam = z.object({ uniqueKey: uniqueKeySchema });
const dataIntegration = z.object({ data: integrationSchema });

export const integrationRoutes = createRouter();

integrationRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/integrations',
        tags: ['Integrations'],
        summary: 'List integrations',
        security: [...secretKeySecurity, { connectSessionToken: [] }],
        responses: { 200: json(z.object({ data: z.array(integrationSchema) }), 'Integrations'), ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const session = c.var.connectSession;
        // A connect session (the Connect UI) sees only the integrations it may use.
        const rows = (await listIntegrations(db, c.var.environment.id)).filter((row) => !session || isIntegrationAllowed(session, row.uniqueKey));
        const base = publicBaseUrl(c);
        const providers = new Map<string, ResolvedProvider>();
        const data = [];
        for (const row of rows) {
            let provider = providers.get(row.provider);
            if (!provider) providers.set(row.provider, (provider = await resolveIntegrationProvider(db, row)));
            data.push(toApiIntegration(row, provider, base));
        }
        return c.json({ data }, 200);
    }
);

integrationRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/integrations',
        tags: ['Integrations'],
        summary: 'Create an integration',
        security: secretKeySecurity,
        middleware: [logOperation('integration', 'create')],
        request: { body: jsonBody(z.strictObject({ provider: z.string().min(1), unique_key: uniqueKeySchema, ...writableFields })) },
        responses: { 200: json(dataIntegration, 'The integration'), ...commonErrors, ...conflictError }
    }),
    async (c) => {
        const body = c.req.valid('json');
        c.var.operation.integrationKey = body.unique_key;
        c.var.operation.meta = { provider: body.provider };
        const { row, provider } = await createIntegration(database(c.env), c.env, c.var.environment.id, body);
        return c.json({ data: toApiIntegration(row, provider, publicBaseUrl(c)) }, 200);
    }
);

integrationRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/integrations/quickstart',
        tags: ['Integrations'],
        summary: 'Create an integration that needs no app credentials of yours',
        description:
            'For providers whose end users bring their own credentials (API key, basic auth, client credentials, none). OAuth, app and TBA providers need your own app (or consumer): they answer 400 `quickstart_unavailable`; use `POST /integrations` with `credentials`.',
        security: secretKeySecurity,
        middleware: [logOperation('integration', 'quickstart')],
        request: {
            body: jsonBody(
                z.strictObject({ provider: z.string().min(1), unique_key: uniqueKeySchema, display_name: writableFields.display_name, forward_webhooks: writableFields.forward_webhooks })
            )
        },
        responses: { 200: json(dataIntegration, 'The integration'), ...commonErrors, ...conflictError }
    }),
    async (c) => {
        const body = c.req.valid('json');
        c.var.operation.integrationKey = body.unique_key;
        c.var.operation.meta = { provider: body.provider };
        const { row, provider } = await createIntegration(database(c.env), c.env, c.var.environment.id, body, { quickstart: true });
        return c.json({ data: toApiIntegration(row, provider, publicBaseUrl(c)) }, 200);
    }
);

integrationRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/integrations/{uniqueKey}',
        tags: ['Integrations'],
        summary: 'Get an integration',
        security: secretKeySecurity,
        request: { params: keyParam, query: z.object({ include: includeQuery }) },
        responses: { 200: json(dataIntegration, 'The integration'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const db = database(c.env);
        const row = await requireIntegration(db, c.var.environment.id, c.req.valid('param').uniqueKey);
        const include = new Set(c.req.valid('query').include ?? []);
        const base = publicBaseUrl(c);
        const data = toApiIntegration(row, await resolveIntegrationProvider(db, row), base, {
            ...(include.has('webhook') && { webhookUrl: integrationWebhookUrl(base, row) }),
            ...(include.has('credentials') && { credentials: await openCredentials(c.env, row) })
        });
        return c.json({ data }, 200);
    }
);

integrationRoutes.openapi(
    createRoute({
        method: 'patch',
        path: '/integrations/{uniqueKey}',
        tags: ['Integrations'],
        summary: 'Update or rename an integration',
        security: secretKeySecurity,
        middleware: [logOperation('integration', 'update')],
        request: { params: keyParam, body: jsonBody(z.strictObject({ unique_key: uniqueKeySchema.optional(), ...writableFields })) },
        responses: { 200: json(dataIntegration, 'The integration'), ...commonErrors, ...notFoundError, ...conflictError }
    }),
    async (c) => {
        const db = database(c.env);
        const body = c.req.valid('json');
        const key = c.req.valid('param').uniqueKey;
        c.var.operation.integrationKey = key;
        c.var.operation.meta = { fields: Object.keys(body) };
        const row = await requireIntegration(db, c.var.environment.id, key);
        const updated = await updateIntegration(db, c.env, row, body);
        return c.json({ data: toApiIntegration(updated, await resolveIntegrationProvider(db, updated), publicBaseUrl(c)) }, 200);
    }
);

integrationRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/integrations/{uniqueKey}',
        tags: ['Integrations'],
        summary: 'Delete an integration and its connections',
        security: secretKeySecurity,
        middleware: [logOperation('integration', 'delete')],
        request: { params: keyParam },
        responses: { 200: json(successSchema, 'Deleted'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const db = database(c.env);
        const key = c.req.valid('param').uniqueKey;
        c.var.operation.integrationKey = key;
        const row = await requireIntegration(db, c.var.environment.id, key);
        await deleteIntegration(db, row);
        // Done once the batch committed: a lost message only delays the purge, which the cron sweep retries.
        c.executionCtx.waitUntil(c.env.JOBS.send(drainMessage(row.environmentId)).catch((error: unknown) => console.error('purge job could not be queued', error)));
        return c.json({ success: true as const }, 200);
    }
);
