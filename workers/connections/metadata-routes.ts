import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { database } from '../db.js';
import { badRequest } from '../http/api-error.js';
import type { AppEnv } from '../http/app-env.js';
import { commonErrors, json, jsonBody, notFoundError, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import { connectionIdSchema } from './connection-routes.js';
import { writeMetadata } from './connections.js';

type Mode = 'replace' | 'merge';

const metadataSchema = z.record(z.string(), z.unknown()).openapi('Metadata', { example: { accountRegion: 'eu' } });
const metadataBody = z
    .strictObject({
        connection_id: z.union([connectionIdSchema, z.array(connectionIdSchema).min(1).max(1000)]),
        provider_config_key: z.string().min(1),
        metadata: metadataSchema
    })
    .openapi('MetadataBody');
const legacyResult = metadataBody.extend({ connection_id: z.string() });

const SUMMARY: Record<Mode, string> = {
    replace: 'Replace the metadata of one or many connections, all or nothing',
    merge: 'Shallow-merge into the metadata of one or many connections, all or nothing'
};

function bulkRoute<R extends object>(method: 'post' | 'patch', path: string, deprecated: boolean, mode: Mode, responses: R) {
    return createRoute({
        method,
        path,
        tags: ['Connections'],
        summary: SUMMARY[mode],
        deprecated,
        security: secretKeySecurity,
        middleware: [logOperation('connection', `metadata.${mode}`)] as const,
        request: { body: jsonBody(metadataBody) },
        responses: { ...responses, ...commonErrors, ...notFoundError }
    });
}

// Legacy form: the id in the path, the integration in a query parameter or header, the metadata as the whole body.
function legacyRoute<R extends object>(method: 'post' | 'patch', mode: Mode, responses: R) {
    return createRoute({
        method,
        path: '/connection/{connectionId}/metadata',
        tags: ['Connections'],
        summary: SUMMARY[mode],
        deprecated: true,
        security: secretKeySecurity,
        middleware: [logOperation('connection', `metadata.${mode}`)] as const,
        request: {
            params: z.object({ connectionId: connectionIdSchema }),
            query: z.object({ provider_config_key: z.string().min(1).optional() }),
            headers: z.object({ 'provider-config-key': z.string().min(1).optional() }),
            body: jsonBody(metadataSchema)
        },
        responses: { ...responses, ...commonErrors, ...notFoundError }
    });
}

async function applyBulk(c: Context<AppEnv>, body: z.infer<typeof metadataBody>, mode: Mode) {
    const ids = Array.isArray(body.connection_id) ? body.connection_id : [body.connection_id];
    Object.assign(c.var.operation, {
        integrationKey: body.provider_config_key,
        ...(ids.length === 1 ? { connectionId: ids[0] } : { meta: { connection_ids: ids.slice(0, 100), count: ids.length } })
    });
    await writeMetadata(database(c.env), c.var.environment.id, body.provider_config_key, ids, body.metadata, mode);
    return body;
}

async function applyLegacy(c: Context<AppEnv>, connectionId: string, key: string | undefined, metadata: Record<string, unknown>, mode: Mode) {
    if (!key) throw badRequest('missing_provider_config_key', 'Pass provider_config_key as a query parameter or the Provider-Config-Key header');
    Object.assign(c.var.operation, { integrationKey: key, connectionId });
    await writeMetadata(database(c.env), c.var.environment.id, key, [connectionId], metadata, mode);
    return { connection_id: connectionId, provider_config_key: key, metadata };
}

export const metadataRoutes = createRouter();

for (const [base, deprecated] of [
    ['/connections', false],
    ['/connection', true]
] as const) {
    metadataRoutes.openapi(bulkRoute('post', `${base}/metadata`, deprecated, 'replace', { 201: json(metadataBody, 'The request, echoed') }), async (c) =>
        c.json(await applyBulk(c, c.req.valid('json'), 'replace'), 201)
    );
    metadataRoutes.openapi(bulkRoute('patch', `${base}/metadata`, deprecated, 'merge', { 200: json(metadataBody, 'The request, echoed') }), async (c) =>
        c.json(await applyBulk(c, c.req.valid('json'), 'merge'), 200)
    );
}

metadataRoutes.openapi(legacyRoute('post', 'replace', { 201: json(legacyResult, 'Applied') }), async (c) =>
    c.json(
        await applyLegacy(c, c.req.valid('param').connectionId, c.req.valid('query').provider_config_key ?? c.req.valid('header')['provider-config-key'], c.req.valid('json'), 'replace'),
        201
    )
);
metadataRoutes.openapi(legacyRoute('patch', 'merge', { 200: json(legacyResult, 'Applied') }), async (c) =>
    c.json(
        await applyLegacy(c, c.req.valid('param').connectionId, c.req.valid('query').provider_config_key ?? c.req.valid('header')['provider-config-key'], c.req.valid('json'), 'merge'),
        200
    )
);
