import { createRoute, z } from '@hono/zod-openapi';
import { database } from '../db.js';
import { fromBase64, toBase64Url } from '../crypto/encoding.js';
import { badRequest } from '../http/api-error.js';
import { commonErrors, json, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { apiTimestamp, apiTimestampOrNull } from '../http/timestamps.js';
import { OPERATION_STATUSES, OPERATION_TYPES } from './operation-draft.js';
import { listMessages, listOperations } from './operation-log.js';

const operationSchema = z
    .object({
        id: z.string(),
        type: z.enum(OPERATION_TYPES),
        action: z.string(),
        status: z.enum(OPERATION_STATUSES),
        integration_key: z.string().nullable(),
        connection_id: z.string().nullable(),
        request_id: z.string().nullable(),
        method: z.string().nullable(),
        path: z.string().nullable(),
        http_status: z.number().nullable(),
        error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
        meta: z.record(z.string(), z.unknown()).nullable(),
        parent_id: z.string().nullable().openapi({ description: 'The run this operation is part of' }),
        started_at: z.string(),
        ended_at: z.string().nullable(),
        duration_ms: z.number().nullable()
    })
    .openapi('Operation');

const isoTime = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

// The cursor is the id of the last operation returned, opaque to clients.
const encodeCursor = (id: number) => toBase64Url(new TextEncoder().encode(`op:${id}`));
function decodeCursor(cursor: string): number {
    const match = /^op:(\d+)$/.exec(new TextDecoder().decode(fromBase64(cursor)));
    if (!match) throw badRequest('invalid_query_params', 'Invalid cursor', [{ code: 'invalid_cursor', message: 'Invalid cursor', path: ['cursor'] }]);
    return Number(match[1]);
}

export const logRoutes = createRouter();

logRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/logs',
        tags: ['Logs'],
        summary: 'Read the operation log, newest first',
        security: secretKeySecurity,
        request: {
            query: z.object({
                connection_id: z.string().optional(),
                integration_key: z.string().optional(),
                type: z
                    .string()
                    .transform((v) => v.split(',').filter(Boolean))
                    .pipe(z.array(z.enum(OPERATION_TYPES)))
                    .optional()
                    .openapi({ description: 'Comma-separated operation types' }),
                status: z.enum(OPERATION_STATUSES).optional(),
                from: isoTime.optional().openapi({ description: 'Started at or after (ISO 8601)' }),
                to: isoTime.optional().openapi({ description: 'Started at or before (ISO 8601)' }),
                parent_id: z.coerce.number().int().positive().optional().openapi({ description: 'The HTTP calls of one function run' }),
                limit: z.coerce.number().int().min(1).max(500).default(100),
                cursor: z.string().max(100).optional()
            })
        },
        responses: {
            200: json(z.object({ data: z.array(operationSchema), next_cursor: z.string().nullable() }), 'Operations'),
            ...commonErrors
        }
    }),
    async (c) => {
        const q = c.req.valid('query');
        const { rows, hasMore } = await listOperations(database(c.env), c.var.environment.id, {
            connectionId: q.connection_id,
            integrationKey: q.integration_key,
            types: q.type,
            status: q.status,
            from: q.from,
            to: q.to,
            beforeId: q.cursor ? decodeCursor(q.cursor) : undefined,
            parentId: q.parent_id,
            limit: q.limit
        });
        const data = rows.map((r) => ({
            id: String(r.id),
            type: r.type as (typeof OPERATION_TYPES)[number],
            action: r.action,
            status: r.status as (typeof OPERATION_STATUSES)[number],
            integration_key: r.integrationKey,
            connection_id: r.connectionId,
            request_id: r.requestId,
            method: r.method,
            path: r.path,
            http_status: r.httpStatus,
            error: r.errorCode ? { code: r.errorCode, message: r.errorMessage } : null,
            meta: r.meta,
            parent_id: r.parentId === null ? null : String(r.parentId),
            started_at: apiTimestamp(r.startedAt),
            ended_at: apiTimestampOrNull(r.endedAt),
            duration_ms: r.durationMs
        }));
        const last = rows.at(-1);
        return c.json({ data, next_cursor: hasMore && last ? encodeCursor(last.id) : null }, 200);
    }
);

logRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/logs/{id}/messages',
        tags: ['Logs'],
        summary: 'What a function logged during a run',
        security: secretKeySecurity,
        request: { params: z.object({ id: z.coerce.number().int().positive() }), query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(500) }) },
        responses: {
            200: json(
                z.object({ data: z.array(z.object({ level: z.string(), message: z.string(), payload: z.unknown().nullable(), created_at: z.string() })) }),
                'Log lines, oldest first'
            ),
            ...commonErrors
        }
    }),
    async (c) => {
        const rows = await listMessages(database(c.env), c.var.environment.id, c.req.valid('param').id, c.req.valid('query').limit);
        return c.json({ data: rows.map((m) => ({ level: m.level, message: m.message, payload: m.payload ?? null, created_at: apiTimestamp(m.createdAt) })) }, 200);
    }
);
