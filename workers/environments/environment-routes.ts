import { createRoute, z } from '@hono/zod-openapi';
import { database } from '../db.js';
import { commonErrors, json, jsonBody, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { apiTimestamp } from '../http/timestamps.js';
import { logOperation } from '../operations/operation-middleware.js';
import { egressSettingsPatchSchema, egressSettingsSchema, getEgressSettings, updateEgressSettings } from '../proxy/egress-settings.js';
import { listVariables, replaceVariables } from './environment-variables.js';
import { getWebhookSigningKey, rotateWebhookSigningKey } from './environments.js';

export const environmentRoutes = createRouter();

environmentRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environment',
        tags: ['Environment'],
        summary: 'The environment of the secret key, with its webhook signing key',
        security: secretKeySecurity,
        responses: {
            200: json(
                z.object({ data: z.object({ id: z.string(), name: z.string(), webhook_signing_key: z.string(), created_at: z.string() }) }),
                'The environment'
            ),
            ...commonErrors
        }
    }),
    async (c) => {
        const environment = c.var.environment;
        const webhookSigningKey = await getWebhookSigningKey(database(c.env), c.env, environment.id);
        return c.json({ data: { id: environment.id, name: environment.name, webhook_signing_key: webhookSigningKey, created_at: apiTimestamp(environment.createdAt) } }, 200);
    }
);

environmentRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/environment/webhook-signing-key/rotate',
        tags: ['Environment'],
        summary: 'Replace the webhook signing key; webhooks sent from now on use the new one',
        security: secretKeySecurity,
        middleware: [logOperation('environment', 'webhook_signing_key.rotate')],
        responses: { 200: json(z.object({ data: z.object({ webhook_signing_key: z.string() }) }), 'The new key'), ...commonErrors }
    }),
    async (c) => c.json({ data: { webhook_signing_key: await rotateWebhookSigningKey(database(c.env), c.env, c.var.environment.id) } }, 200)
);

environmentRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environment/egress-settings',
        tags: ['Environment'],
        summary: 'Where the proxy and functions may send requests',
        security: secretKeySecurity,
        responses: { 200: json(z.object({ data: egressSettingsSchema }), 'Settings'), ...commonErrors }
    }),
    async (c) => c.json({ data: await getEgressSettings(database(c.env), c.var.environment.id) }, 200)
);

environmentRoutes.openapi(
    createRoute({
        method: 'patch',
        path: '/environment/egress-settings',
        tags: ['Environment'],
        summary: 'Allow base URL overrides, or requests into private networks',
        security: secretKeySecurity,
        middleware: [logOperation('environment', 'egress_settings.update')],
        request: { body: jsonBody(egressSettingsPatchSchema) },
        responses: { 200: json(z.object({ data: egressSettingsSchema }), 'Settings'), ...commonErrors }
    }),
    async (c) => c.json({ data: await updateEgressSettings(database(c.env), c.var.environment.id, c.req.valid('json')) }, 200)
);

const variableSchema = z.object({ name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and _'), value: z.string().max(10_000) }).openapi('EnvironmentVariable');

environmentRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environment-variables',
        tags: ['Environment'],
        summary: 'The variables functions read with getEnvironmentVariables()',
        security: secretKeySecurity,
        responses: { 200: json(z.array(variableSchema), 'Variables, by name'), ...commonErrors }
    }),
    async (c) => c.json(await listVariables(database(c.env), c.env, c.var.environment.id), 200)
);

environmentRoutes.openapi(
    createRoute({
        method: 'put',
        path: '/environment-variables',
        tags: ['Environment'],
        summary: 'Replace the environment variables (stored encrypted)',
        security: secretKeySecurity,
        middleware: [logOperation('environment', 'variables.replace')],
        request: {
            body: jsonBody(
                z
                    .array(variableSchema)
                    .max(200)
                    .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, 'names must be unique')
            )
        },
        responses: { 200: json(z.array(variableSchema), 'Variables'), ...commonErrors }
    }),
    async (c) => {
        const variables = c.req.valid('json');
        c.var.operation.meta = { names: variables.map((v) => v.name) };
        await replaceVariables(database(c.env), c.env, c.var.environment.id, variables);
        return c.json(await listVariables(database(c.env), c.env, c.var.environment.id), 200);
    }
);
