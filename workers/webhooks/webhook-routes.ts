import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { webhookDeliveries } from '../../schema/tables.js';
import { fromBase64, toBase64Url } from '../crypto/encoding.js';
import { database } from '../db.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { commonErrors, json, jsonBody, notFoundError, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { apiTimestamp, apiTimestampOrNull } from '../http/timestamps.js';
import { logOperation } from '../operations/operation-middleware.js';
import type { DeliveryRow } from './webhook-delivery.js';
import { queueDeliveries } from './webhook-outbox.js';
import { getWebhookSettings, updateWebhookSettings, webhookSettingsPatchSchema, webhookSettingsSchema } from './webhook-settings.js';

const STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;

const deliverySchema = z
    .object({
        id: z.string(),
        type: z.string(),
        event: z.string().nullable(),
        status: z.enum(STATUSES),
        url: z.string(),
        integration_key: z.string().nullable(),
        connection_id: z.string().nullable(),
        attempts: z.number(),
        last_http_status: z.number().nullable(),
        last_error: z.string().nullable(),
        next_attempt_at: z.string().nullable(),
        delivered_at: z.string().nullable(),
        created_at: z.string(),
        payload: z.record(z.string(), z.unknown()).openapi({ description: 'The body that was signed and sent' })
    })
    .openapi('WebhookDelivery');

function toApiDelivery(row: DeliveryRow): z.infer<typeof deliverySchema> {
    return {
        id: row.id,
        type: row.type,
        event: row.event,
        status: row.status as (typeof STATUSES)[number],
        url: row.url,
        integration_key: row.integrationKey,
        connection_id: row.connectionId,
        attempts: row.attempts,
        last_http_status: row.lastHttpStatus,
        last_error: row.lastError,
        next_attempt_at: apiTimestampOrNull(row.nextAttemptAt),
        delivered_at: apiTimestampOrNull(row.deliveredAt),
        created_at: apiTimestamp(row.createdAt),
        payload: JSON.parse(row.body) as Record<string, unknown>
    };
}

// Keyset cursor over (created_at, id), newest first.
const encodeCursor = (row: DeliveryRow) => toBase64Url(new TextEncoder().encode(`${row.createdAt}|${row.id}`));
function decodeCursor(cursor: string): { createdAt: number; id: string } {
    const match = /^(\d+)\|([\w-]+)$/.exec(new TextDecoder().decode(fromBase64(cursor)));
    if (!match) throw badRequest('invalid_query_params', 'Invalid cursor', [{ code: 'invalid_cursor', message: 'Invalid cursor', path: ['cursor'] }]);
    return { createdAt: Number(match[1]), id: match[2]! };
}

async function requireDelivery(c: { env: Env; var: { environment: { id: string } } }, id: string): Promise<DeliveryRow> {
    const [row] = await database(c.env)
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.environmentId, c.var.environment.id), eq(webhookDeliveries.id, id)))
        .limit(1);
    if (!row) throw new ApiError(404, 'not_found', `No webhook delivery ${id}`);
    return row;
}

const idParam = z.object({ id: z.uuid() });

export const webhookRoutes = createRouter();

webhookRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/environment/webhook-settings',
        tags: ['Webhooks'],
        summary: 'Where webhooks to your app go, and which ones are sent',
        security: secretKeySecurity,
        responses: { 200: json(z.object({ data: webhookSettingsSchema }), 'Settings'), ...commonErrors }
    }),
    async (c) => c.json({ data: await getWebhookSettings(database(c.env), c.var.environment.id) }, 200)
);

webhookRoutes.openapi(
    createRoute({
        method: 'patch',
        path: '/environment/webhook-settings',
        tags: ['Webhooks'],
        summary: 'Change webhook URLs and which events are sent',
        security: secretKeySecurity,
        middleware: [logOperation('environment', 'webhook_settings.update')],
        request: { body: jsonBody(webhookSettingsPatchSchema) },
        responses: { 200: json(z.object({ data: webhookSettingsSchema }), 'Settings'), ...commonErrors }
    }),
    async (c) => {
        const patch = c.req.valid('json');
        c.var.operation.meta = { fields: Object.keys(patch) };
        return c.json({ data: await updateWebhookSettings(database(c.env), c.var.environment.id, patch) }, 200);
    }
);

webhookRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/webhooks/deliveries',
        tags: ['Webhooks'],
        summary: 'The delivery log of webhooks to your app, newest first',
        security: secretKeySecurity,
        request: {
            query: z.object({
                status: z.enum(STATUSES).optional(),
                type: z.string().max(50).optional(),
                connection_id: z.string().optional(),
                limit: z.coerce.number().int().min(1).max(200).default(50),
                cursor: z.string().max(200).optional()
            })
        },
        responses: { 200: json(z.object({ data: z.array(deliverySchema), next_cursor: z.string().nullable() }), 'Deliveries'), ...commonErrors }
    }),
    async (c) => {
        const q = c.req.valid('query');
        const after = q.cursor ? decodeCursor(q.cursor) : null;
        const rows = await database(c.env)
            .select()
            .from(webhookDeliveries)
            .where(
                and(
                    eq(webhookDeliveries.environmentId, c.var.environment.id),
                    q.status ? eq(webhookDeliveries.status, q.status) : undefined,
                    q.type ? eq(webhookDeliveries.type, q.type) : undefined,
                    q.connection_id ? eq(webhookDeliveries.connectionId, q.connection_id) : undefined,
                    after
                        ? or(lt(webhookDeliveries.createdAt, after.createdAt), and(eq(webhookDeliveries.createdAt, after.createdAt), lt(webhookDeliveries.id, after.id)))
                        : undefined
                )
            )
            .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
            .limit(q.limit + 1);
        const page = rows.slice(0, q.limit);
        return c.json({ data: page.map(toApiDelivery), next_cursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null }, 200);
    }
);

webhookRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/webhooks/deliveries/{id}',
        tags: ['Webhooks'],
        summary: 'One webhook delivery',
        security: secretKeySecurity,
        request: { params: idParam },
        responses: { 200: json(z.object({ data: deliverySchema }), 'The delivery'), ...commonErrors, ...notFoundError }
    }),
    async (c) => c.json({ data: toApiDelivery(await requireDelivery(c, c.req.valid('param').id)) }, 200)
);

webhookRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/webhooks/deliveries/{id}/replay',
        tags: ['Webhooks'],
        summary: 'Send a delivery again, as a new delivery with the same URL and body',
        security: secretKeySecurity,
        middleware: [logOperation('webhook', 'replay')],
        request: { params: idParam },
        responses: { 202: json(z.object({ data: deliverySchema }), 'The new delivery, queued'), ...commonErrors, ...notFoundError }
    }),
    async (c) => {
        const original = await requireDelivery(c, c.req.valid('param').id);
        Object.assign(c.var.operation, {
            integrationKey: original.integrationKey ?? undefined,
            connectionId: original.connectionId ?? undefined,
            meta: { replay_of: original.id }
        });
        const now = Date.now();
        const [copy] = await database(c.env)
            .insert(webhookDeliveries)
            .values({ ...original, id: crypto.randomUUID(), status: 'pending', attempts: 0, lastHttpStatus: null, lastError: null, nextAttemptAt: now, deliveredAt: null, createdAt: now, updatedAt: now })
            .returning();
        await queueDeliveries(c.env, [copy!.id]);
        return c.json({ data: toApiDelivery(copy!) }, 202);
    }
);
