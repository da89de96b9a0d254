import { createRoute, z } from '@hono/zod-openapi';
import { providerKeySchema } from '../../providers/schema.js';
import { and, eq } from 'drizzle-orm';
import { integrations } from '../../schema/tables.js';
import { type ConnectSessionRow, isIntegrationAllowed } from '../connect/connect-sessions.js';
import { type Database, database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import { commonErrors, conflictError, json, jsonBody, notFoundError, secretKeySecurity, successSchema } from '../http/openapi.js';
import { publicBaseUrl } from '../http/public-url.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import {
    deleteCustomProvider,
    findProvider,
    listProviders,
    parseProviderDefinition,
    saveCustomProvider,
    toApiProvider
} from './provider-registry.js';

// The definition is validated by providers/schema.ts inside the handler, so that its detailed
// errors (undeclared template variables, missing oauth block…) reach the caller as `errors[]`.
const definitionBody = z.record(z.string(), z.unknown()).openapi('ProviderDefinition', {
    description: 'A provider definition; see docs/providers.md for the schema'
});
const apiProviderSchema = z.record(z.string(), z.unknown()).openapi('Provider');
const nameParam = z.object({ name: providerKeySchema });

async function sessionUsesProvider(db: Database, session: ConnectSessionRow, provider: string): Promise<boolean> {
    const used = await db
        .select({ key: integrations.uniqueKey })
        .from(integrations)
        .where(and(eq(integrations.environmentId, session.environmentId), eq(integrations.provider, provider)));
    return used.some((u) => isIntegrationAllowed(session, u.key));
}

export const providerRoutes = createRouter();

providerRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/providers',
        tags: ['Providers'],
        summary: 'List the built-in catalog and the environment’s own providers',
        security: secretKeySecurity,
        request: { query: z.object({ search: z.string().max(100).optional() }) },
        responses: { 200: json(z.object({ data: z.array(apiProviderSchema) }), 'Providers'), ...commonErrors }
    }),
    async (c) => {
        const providers = await listProviders(database(c.env), c.var.environment.id, c.req.valid('query').search);
        const base = publicBaseUrl(c);
        return c.json({ data: providers.map((p) => toApiProvider(base, p)) }, 200);
    }
);

providerRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/providers/{name}',
        tags: ['Providers'],
        summary: 'Get a provider',
        security: [...secretKeySecurity, { connectSessionToken: [] }],
        request: { params: nameParam },
        responses: { 200: json(z.object({ data: apiProviderSchema }), 'The provider'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const { name } = c.req.valid('param');
        const db = database(c.env);
        const session = c.var.connectSession;
        const provider = await findProvider(db, c.var.environment.id, name);
        // A connect session may read only the providers of the integrations it may use.
        if (!provider || (session && !(await sessionUsesProvider(db, session, name)))) throw new ApiError(404, 'not_found', `Unknown provider "${name}"`);
        return c.json({ data: toApiProvider(publicBaseUrl(c), provider) }, 200);
    }
);

providerRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/providers',
        tags: ['Providers'],
        summary: 'Register a provider for a private or self-hosted API',
        security: secretKeySecurity,
        middleware: [logOperation('provider', 'create')],
        request: { body: jsonBody(z.object({ name: providerKeySchema }).catchall(z.unknown()).openapi('NewProvider')) },
        responses: { 201: json(z.object({ data: apiProviderSchema }), 'Registered'), ...commonErrors, ...conflictError }
    }),
    async (c) => {
        const { name, ...definition } = c.req.valid('json');
        c.var.operation.meta = { provider: name };
        const provider = parseProviderDefinition(definition, c.env);
        await saveCustomProvider(database(c.env), c.var.environment.id, name, provider, 'create');
        return c.json({ data: toApiProvider(publicBaseUrl(c), { name, provider, custom: true }) }, 201);
    }
);

providerRoutes.openapi(
    createRoute({
        method: 'put',
        path: '/providers/{name}',
        tags: ['Providers'],
        summary: 'Create or replace one of the environment’s providers',
        security: secretKeySecurity,
        middleware: [logOperation('provider', 'upsert')],
        request: { params: nameParam, body: jsonBody(definitionBody) },
        responses: {
            200: json(z.object({ data: apiProviderSchema }), 'Replaced'),
            201: json(z.object({ data: apiProviderSchema }), 'Created'),
            ...commonErrors,
            ...conflictError
        }
    }),
    async (c) => {
        const { name } = c.req.valid('param');
        c.var.operation.meta = { provider: name };
        const provider = parseProviderDefinition(c.req.valid('json'), c.env);
        const { created } = await saveCustomProvider(database(c.env), c.var.environment.id, name, provider, 'upsert');
        return c.json({ data: toApiProvider(publicBaseUrl(c), { name, provider, custom: true }) }, created ? 201 : 200);
    }
);

providerRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/providers/{name}',
        tags: ['Providers'],
        summary: 'Delete one of the environment’s providers',
        security: secretKeySecurity,
        middleware: [logOperation('provider', 'delete')],
        request: { params: nameParam },
        responses: { 200: json(successSchema, 'Deleted'), ...commonErrors, ...notFoundError, ...conflictError }
    }),
    async (c) => {
        const { name } = c.req.valid('param');
        c.var.operation.meta = { provider: name };
        await deleteCustomProvider(database(c.env), c.var.environment.id, name);
        return c.json({ success: true as const }, 200);
    }
);
