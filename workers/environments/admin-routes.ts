import { createRoute, z } from '@hono/zod-openapi';
import { database } from '../db.js';
import { drainMessage } from '../connections/connection-purge.js';
import { adminSecurity, commonErrors, conflictError, json, jsonBody, notFoundError, successSchema } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { apiTimestamp } from '../http/timestamps.js';
import { logOperation } from '../operations/operation-middleware.js';
import { adminAuth } from './admin-auth.js';
import {
    addSecretKey,
    createEnvironment,
    deleteEnvironment,
    ENVIRONMENT_NAME,
    type EnvironmentRecord,
    getWebhookSigningKey,
    listEnvironments,
    listSecretKeys,
    requireEnvironment,
    revokeSecretKey,
    rotateWebhookSigningKey,
    type SecretKeyRecord
} from './environments.js';

const nameParam = z.object({ name: z.string().regex(ENVIRONMENT_NAME) });
const secretKeyInput = z.string().openapi({ description: 'Bring your own key (a UUID), e.g. one migrated from Nango' });

const environmentSchema = z
    .object({ id: z.string(), name: z.string(), created_at: z.string(), updated_at: z.string() })
    .openapi('Environment');
const keySchema = z.object({ id: z.string(), label: z.string().nullable(), prefix: z.string(), created_at: z.string() }).openapi('SecretKey');

const toEnvironment = (e: EnvironmentRecord) => ({ id: e.id, name: e.name, created_at: apiTimestamp(e.createdAt), updated_at: apiTimestamp(e.updatedAt) });
const toKey = (k: SecretKeyRecord) => ({ id: k.id, label: k.label, prefix: k.prefix, created_at: apiTimestamp(k.createdAt) });

export const adminRoutes = createRouter();
adminRoutes.use('*', adminAuth);

adminRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/environments',
        tags: ['Admin'],
        summary: 'Create an environment',
        security: adminSecurity,
        middleware: [logOperation('environment', 'create')],
        request: { body: jsonBody(z.strictObject({ name: z.string().regex(ENVIRONMENT_NAME), secret_key: secretKeyInput.optional() })) },
        responses: {
            201: json(
                z.object({ data: environmentSchema.extend({ secret_key: z.string(), webhook_signing_key: z.string() }) }),
                'The environment, its first secret key and its webhook signing key'
            ),
            ...commonErrors,
            ...conflictError
        }
    }),
    async (c) => {
        const body = c.req.valid('json');
        const created = await createEnvironment(database(c.env), c.env, body.name, body.secret_key);
        c.set('environment', created.environment);
        return c.json(
            { data: { ...toEnvironment(created.environment), secret_key: created.secretKey, webhook_signing_key: created.webhookSigningKey } },
            201
        );
    }
);

adminRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environments',
        tags: ['Admin'],
        summary: 'List environments',
        security: adminSecurity,
        responses: { 200: json(z.object({ data: z.array(environmentSchema) }), 'Environments'), ...commonErrors }
    }),
    async (c) => c.json({ data: (await listEnvironments(database(c.env))).map(toEnvironment) }, 200)
);

adminRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environments/{name}',
        tags: ['Admin'],
        summary: 'Get an environment and its webhook signing key',
        security: adminSecurity,
        request: { params: nameParam },
        responses: {
            200: json(z.object({ data: environmentSchema.extend({ webhook_signing_key: z.string() }) }), 'The environment'),
            ...commonErrors,
            ...notFoundError
        }
    }),
    async (c) => {
        const db = database(c.env);
        const environment = await requireEnvironment(db, c.req.valid('param').name);
        const webhookSigningKey = await getWebhookSigningKey(db, c.env, environment.id);
        return c.json({ data: { ...toEnvironment(environment), webhook_signing_key: webhookSigningKey } }, 200);
    }
);

adminRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/environments/{name}',
        tags: ['Admin'],
        summary: 'Delete an environment with all its integrations, connections and logs',
        security: adminSecurity,
        request: { params: nameParam },
        responses: { 200: json(successSchema, 'Deleted'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const db = database(c.env);
        const environment = await requireEnvironment(db, c.req.valid('param').name);
        // Not logged: the environment's operation log is deleted with it.
        await deleteEnvironment(db, environment.id);
        // Done once the batch committed: a lost message only delays the purge, which the cron sweep retries.
        c.executionCtx.waitUntil(c.env.JOBS.send(drainMessage(environment.id)).catch((error: unknown) => console.error('purge job could not be queued', error)));
        return c.json({ success: true as const }, 200);
    }
);

adminRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/environments/{name}/keys',
        tags: ['Admin'],
        summary: 'Add a secret key (idempotent when the key is given and already present)',
        security: adminSecurity,
        middleware: [logOperation('environment', 'key.create')],
        request: {
            params: nameParam,
            body: jsonBody(z.strictObject({ secret_key: secretKeyInput.optional(), label: z.string().max(100).optional() }))
        },
        responses: {
            200: json(z.object({ data: keySchema.extend({ secret_key: z.string() }) }), 'The key already existed'),
            201: json(z.object({ data: keySchema.extend({ secret_key: z.string() }) }), 'The key was added'),
            ...commonErrors,
            ...notFoundError,
            ...conflictError
        }
    }),
    async (c) => {
        const db = database(c.env);
        const environment = await requireEnvironment(db, c.req.valid('param').name);
        c.set('environment', environment);
        const body = c.req.valid('json');
        const result = await addSecretKey(db, environment.id, body.secret_key, body.label ?? null);
        c.var.operation.meta = { key_id: result.record.id, created: result.created };
        return c.json({ data: { ...toKey(result.record), secret_key: result.secretKey } }, result.created ? 201 : 200);
    }
);

adminRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environments/{name}/keys',
        tags: ['Admin'],
        summary: 'List secret keys (never their values)',
        security: adminSecurity,
        request: { params: nameParam },
        responses: { 200: json(z.object({ data: z.array(keySchema) }), 'Keys'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const db = database(c.env);
        const environment = await requireEnvironment(db, c.req.valid('param').name);
        return c.json({ data: (await listSecretKeys(db, environment.id)).map(toKey) }, 200);
    }
);

adminRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/environments/{name}/keys/{id}',
        tags: ['Admin'],
        summary: 'Revoke a secret key',
        security: adminSecurity,
        middleware: [logOperation('environment', 'key.revoke')],
        request: { params: nameParam.extend({ id: z.uuid() }) },
        responses: { 200: json(successSchema, 'Revoked'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const db = database(c.env);
        const { name, id } = c.req.valid('param');
        const environment = await requireEnvironment(db, name);
        c.set('environment', environment);
        c.var.operation.meta = { key_id: id };
        await revokeSecretKey(db, environment.id, id);
        return c.json({ success: true as const }, 200);
    }
);

adminRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/environments/{name}/webhook-signing-key/rotate',
        tags: ['Admin'],
        summary: 'Replace the webhook signing key',
        security: adminSecurity,
        middleware: [logOperation('environment', 'webhook_signing_key.rotate')],
        request: { params: nameParam },
        responses: { 200: json(z.object({ data: z.object({ webhook_signing_key: z.string() }) }), 'The new key'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const db = database(c.env);
        const environment = await requireEnvironment(db, c.req.valid('param').name);
        c.set('environment', environment);
        return c.json({ data: { webhook_signing_key: await rotateWebhookSigningKey(db, c.env, environment.id) } }, 200);
    }
);
