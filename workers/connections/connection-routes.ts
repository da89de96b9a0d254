import { createRoute, z } from '@hono/zod-openapi';
import { bracketParams } from '../auth-flows/bracket-params.js';
import { database } from '../db.js';
import { badRequest } from '../http/api-error.js';
import { commonErrors, json, jsonBody, notFoundError, secretKeySecurity, successSchema } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import { connectionListItemSchema, connectionSchema, toApiConnection, toApiConnectionListItem } from './connection-response.js';
import { beforeConnectionDeletion, connectionCreated } from '../functions/connection-events.js';
import { runContext } from '../functions/run-context.js';
import { deleteConnection, freshSecrets, importConnection, listConnections, patchConnection, requireConnection, touchLastFetched } from './connections.js';
import { credentialsSchema } from './credentials.js';
import { endUserInputSchema } from './end-user.js';
import { TAG_KEY, tagsSchema } from './tags.js';
import { webhookUrlSchema } from '../webhooks/webhook-settings.js';
import { publicBaseUrl } from '../http/public-url.js';

export const connectionIdSchema = z
    .string()
    .regex(/^[^\s/?#]{1,255}$/, 'at most 255 characters, without whitespace, "/", "?" or "#"')
    .openapi({ example: 'user-42' });
const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');
const keyQuery = z.object({ provider_config_key: z.string().min(1) });
const idParam = z.object({ connectionId: connectionIdSchema });
const webhookUrlOverride = z.union([webhookUrlSchema, z.literal('')]);

const listQuery = z.object({
    connectionId: z.string().optional(),
    search: z.string().max(255).optional(),
    endUserId: z.string().optional(),
    endUserOrganizationId: z.string().optional(),
    integrationId: z
        .string()
        .transform((v) => v.split(',').filter(Boolean))
        .pipe(z.array(z.string()).max(50))
        .optional()
        .openapi({ description: 'Comma-separated integration unique keys' }),
    // Documentation only: the filters arrive as `tags[key]=value` keys and are read by tagFilters().
    tags: z
        .record(z.string(), z.string())
        .optional()
        .openapi({ param: { style: 'deepObject', explode: true }, description: '`tags[key]=value` filters, all of which must match' }),
    limit: z.coerce.number().int().min(1).max(2000).default(1000),
    page: z.coerce.number().int().min(0).default(0).openapi({ description: 'Zero-based page of `limit` connections' })
});

const importBody = z.strictObject({
    provider_config_key: z.string().min(1),
    connection_id: connectionIdSchema.optional(),
    credentials: credentialsSchema,
    metadata: z.record(z.string(), z.unknown()).optional(),
    connection_config: z.record(z.string(), z.unknown()).optional(),
    end_user: endUserInputSchema.optional(),
    tags: tagsSchema.optional(),
    webhook_url_override: webhookUrlOverride.optional()
});

const patchBody = z.strictObject({
    end_user: endUserInputSchema.optional(),
    tags: tagsSchema.optional(),
    webhook_url_override: webhookUrlOverride.optional()
});

/** `tags[key]=value` filters; keys are matched lower-cased, like stored tags. */
function tagFilters(url: string): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(bracketParams(new URL(url), 'tags'))) {
        const name = `tags[${key}]`;
        if (!TAG_KEY.test(key)) {
            throw badRequest('invalid_query_params', `Invalid tag filter "${name}"`, [{ code: 'invalid_tag', message: 'Invalid tag key', path: [name] }]);
        }
        tags[key.toLowerCase()] = value;
    }
    return tags;
}

export const connectionRoutes = createRouter();

// `/connection/...` is the legacy spelling Nango still serves; both run the same handlers.
for (const [base, deprecated] of [
    ['/connections', false],
    ['/connection', true]
] as const) {
    connectionRoutes.openapi(
        createRoute({
            method: 'get',
            path: base,
            tags: ['Connections'],
            summary: 'List connections',
            deprecated,
            security: secretKeySecurity,
            request: { query: listQuery },
            responses: { 200: json(z.object({ connections: z.array(connectionListItemSchema) }), 'Connections'), ...commonErrors }
        }),
        async (c) => {
            const q = c.req.valid('query');
            const rows = await listConnections(database(c.env), c.var.environment.id, {
                connectionId: q.connectionId,
                search: q.search,
                endUserId: q.endUserId,
                endUserOrganizationId: q.endUserOrganizationId,
                integrationKeys: q.integrationId,
                tags: tagFilters(c.req.url),
                limit: q.limit,
                page: q.page
            });
            return c.json({ connections: rows.map((r) => toApiConnectionListItem(r.row, r.integrationKey)) }, 200);
        }
    );

    connectionRoutes.openapi(
        createRoute({
            method: 'get',
            path: `${base}/{connectionId}`,
            tags: ['Connections'],
            summary: 'Get a connection with its credentials',
            deprecated,
            security: secretKeySecurity,
            request: {
                params: idParam,
                query: keyQuery.extend({
                    force_refresh: booleanFlag.optional().openapi({ description: 'Refresh the token now, even if it is still fresh' }),
                    refresh_token: booleanFlag.optional().openapi({ description: 'Include the refresh token (removed by default)' }),
                    refresh_github_app_jwt_token: booleanFlag.optional()
                })
            },
            responses: { 200: json(connectionSchema, 'The connection'), ...commonErrors, ...notFoundError }
        }),
        async (c) => {
            const db = database(c.env);
            const q = c.req.valid('query');
            const ref = await requireConnection(db, c.var.environment.id, q.provider_config_key, c.req.valid('param').connectionId);
            const secrets = await freshSecrets(db, c.env, ref, { force: q.force_refresh === true });
            const now = Date.now();
            const touched = touchLastFetched(db, ref.row, now);
            if (touched) c.executionCtx.waitUntil(touched);
            ref.row.lastFetchedAt = now;
            return c.json(toApiConnection(ref, secrets, { includeRefreshToken: q.refresh_token === true }), 200);
        }
    );

    connectionRoutes.openapi(
        createRoute({
            method: 'delete',
            path: `${base}/{connectionId}`,
            tags: ['Connections'],
            summary: 'Delete a connection and wipe its credentials',
            deprecated,
            security: secretKeySecurity,
            middleware: [logOperation('connection', 'delete')],
            request: { params: idParam, query: keyQuery },
            responses: { 200: json(successSchema, 'Deleted'), ...commonErrors, ...notFoundError }
        }),
        async (c) => {
            const db = database(c.env);
            const key = c.req.valid('query').provider_config_key;
            const connectionId = c.req.valid('param').connectionId;
            Object.assign(c.var.operation, { integrationKey: key, connectionId });
            const ref = await requireConnection(db, c.var.environment.id, key, connectionId);
            await beforeConnectionDeletion(runContext(c.env, c.executionCtx, publicBaseUrl(c)), c.var.environment.name, ref);
            await deleteConnection(db, c.env, ref.row);
            return c.json({ success: true as const }, 200);
        }
    );

    connectionRoutes.openapi(
        createRoute({
            method: 'post',
            path: base,
            tags: ['Connections'],
            summary: 'Import a connection with existing credentials (re-importing replaces them)',
            deprecated,
            security: secretKeySecurity,
            middleware: [logOperation('connection', 'import')],
            request: { body: jsonBody(importBody) },
            responses: { 201: json(connectionSchema, 'The connection'), ...commonErrors, ...notFoundError }
        }),
        async (c) => {
            const body = c.req.valid('json');
            Object.assign(c.var.operation, {
                integrationKey: body.provider_config_key,
                connectionId: body.connection_id,
                meta: { credentials_type: body.credentials.type }
            });
            const db = database(c.env);
            const { ref, secrets, created } = await importConnection(db, c.env, c.var.environment.id, body);
            if (created) {
                try {
                    await connectionCreated(c.env, ref);
                } catch (error) {
                    // A retried import would find the connection and skip its schedules: undo, so a retry starts afresh.
                    await deleteConnection(db, c.env, ref.row);
                    throw error;
                }
            }
            Object.assign(c.var.operation, { connectionId: ref.row.connectionId, meta: { credentials_type: body.credentials.type, created } });
            return c.json(toApiConnection(ref, secrets, { includeRefreshToken: false }), 201);
        }
    );

    connectionRoutes.openapi(
        createRoute({
            method: 'patch',
            path: `${base}/{connectionId}`,
            tags: ['Connections'],
            summary: 'Update a connection’s end user, tags or webhook URL override',
            deprecated,
            security: secretKeySecurity,
            middleware: [logOperation('connection', 'update')],
            request: { params: idParam, query: keyQuery, body: jsonBody(patchBody) },
            responses: { 200: json(successSchema, 'Updated'), ...commonErrors, ...notFoundError }
        }),
        async (c) => {
            const db = database(c.env);
            const key = c.req.valid('query').provider_config_key;
            const connectionId = c.req.valid('param').connectionId;
            const body = c.req.valid('json');
            Object.assign(c.var.operation, { integrationKey: key, connectionId, meta: { fields: Object.keys(body) } });
            const { row } = await requireConnection(db, c.var.environment.id, key, connectionId);
            await patchConnection(db, row, body);
            return c.json({ success: true as const }, 200);
        }
    );
}
