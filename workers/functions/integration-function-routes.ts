import { createRoute, z } from '@hono/zod-openapi';
import { database } from '../db.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { commonErrors, json, notFoundError, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { requireIntegration } from '../integrations/integrations.js';
import { logOperation } from '../operations/operation-middleware.js';
import { bundleCode } from './bundle-store.js';
import { deployedFunctionSchema, deploymentSchema, toApiDeployment, toApiFunction } from './deployment-response.js';
import { rescheduleEnvironment } from '../syncs/sync-control.js';
import { activeFunctions, type DeployedFunctionRow, getDeployment, removeFunction } from './deployments.js';

export const integrationFunctionRoutes = createRouter();

const params = z.object({ uniqueKey: z.string().min(1), name: z.string().min(1) });
const typeQuery = z.object({ type: z.enum(['sync', 'action', 'on-event']).optional().openapi({ description: 'Which one, when functions of several types share the name' }) });

integrationFunctionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/integrations/{uniqueKey}/functions',
        tags: ['Functions'],
        summary: "The integration's deployed functions",
        security: secretKeySecurity,
        request: { params: z.object({ uniqueKey: z.string().min(1) }) },
        responses: { 200: json(z.object({ data: z.array(deployedFunctionSchema) }), 'Functions'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const { uniqueKey } = c.req.valid('param');
        await requireIntegration(db, c.var.environment.id, uniqueKey);
        return c.json({ data: (await activeFunctions(db, c.var.environment.id, uniqueKey)).map(toApiFunction) }, 200);
    }
);

async function findOne(db: ReturnType<typeof database>, environmentId: string, key: string, name: string, type?: string): Promise<DeployedFunctionRow> {
    await requireIntegration(db, environmentId, key);
    const matches = (await activeFunctions(db, environmentId, key)).filter((f) => f.name === name && (type === undefined || f.type === type));
    if (matches.length === 0) throw new ApiError(404, 'not_found', `No function "${name}" is deployed for ${key}`);
    if (matches.length > 1) throw badRequest('ambiguous_function', `Functions of several types are named "${name}"; say which with ?type=`);
    return matches[0]!;
}

integrationFunctionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/integrations/{uniqueKey}/functions/{name}',
        tags: ['Functions'],
        summary: 'One deployed function, with its configuration (models, input and output JSON Schemas)',
        security: secretKeySecurity,
        request: { params, query: typeQuery },
        responses: { 200: json(z.object({ data: deployedFunctionSchema }), 'The function'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const { uniqueKey, name } = c.req.valid('param');
        return c.json({ data: toApiFunction(await findOne(database(c.env), c.var.environment.id, uniqueKey, name, c.req.valid('query').type)) }, 200);
    }
);

integrationFunctionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/integrations/{uniqueKey}/functions/{name}/code',
        tags: ['Functions'],
        summary: "The deployed function's bundled JavaScript",
        security: secretKeySecurity,
        request: { params, query: typeQuery },
        responses: { 200: { description: 'The bundle', content: { 'application/javascript': { schema: z.string() } } }, ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const { uniqueKey, name } = c.req.valid('param');
        const fn = await findOne(db, c.var.environment.id, uniqueKey, name, c.req.valid('query').type);
        return c.body(await bundleCode(db, fn.bundleHash), 200, { 'content-type': 'application/javascript; charset=utf-8', etag: `"${fn.bundleHash}"` });
    }
);

integrationFunctionRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/integrations/{uniqueKey}/functions/{name}',
        tags: ['Functions'],
        summary: 'Remove one function: deploys the active set without it, as a new version (roll back to undo)',
        security: secretKeySecurity,
        middleware: [logOperation('deployment', 'function.remove')],
        request: { params, query: typeQuery },
        responses: { 200: json(z.object({ data: deploymentSchema }), 'The new active deployment'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const { uniqueKey, name } = c.req.valid('param');
        c.var.operation.integrationKey = uniqueKey;
        const fn = await findOne(db, c.var.environment.id, uniqueKey, name, c.req.valid('query').type);
        const version = await removeFunction(db, c.var.environment.id, fn);
        await rescheduleEnvironment(c.env, c.var.environment.id);
        c.var.operation.meta = { function: name, version };
        return c.json({ data: toApiDeployment(await getDeployment(db, c.var.environment.id, version)) }, 200);
    }
);
