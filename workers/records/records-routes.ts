import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { requireHeaderConnection } from '../connections/header-connection.js';
import type { ConnectionRef } from '../connections/connections.js';
import { database } from '../db.js';
import { commonErrors, json, jsonBody, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import { requireKnownModel } from './known-model.js';
import { listRecords, PAGE_BYTES } from './list-records.js';
import { pruneRecords } from './prune-records.js';
import { decodeCursor } from './record-cursor.js';
import { recordsPageJson } from './record-response.js';
import type { RecordScope } from './record-scope.js';
import { recordsDb } from './records-shards.js';
import { VARIANT_NAME } from '../syncs/sync-variants.js';

const MAX_LIMIT = 10_000;
const MAX_IDS = 100;

const headers = z.object({
    'connection-id': z.string().trim().min(1).openapi({ description: 'The connection whose records to read' }),
    'provider-config-key': z.string().trim().min(1)
});
const model = z.string().regex(/^[A-Z][a-zA-Z0-9_-]+$/, 'a model name: a capital letter, then letters, digits, "_" or "-"');
const variant = z
    .string()
    .regex(VARIANT_NAME, 'letters, digits, "_" or "-"')
    .default('base')
    .openapi({ description: 'The sync variant; `base` is the sync without one' });
const isoTime = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));
const filter = z
    .string()
    .transform((v) =>
        v
            .toLowerCase()
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean)
    )
    .pipe(z.array(z.enum(['added', 'updated', 'deleted'])).min(1))
    .openapi({ description: '`added`, `updated`, `deleted` or a comma-separated combination (any case): records whose last action is any of them' });
const ids = z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().min(1).max(255)).max(MAX_IDS))
    .openapi({ description: `Only these record ids (repeat the parameter; at most ${MAX_IDS})` });

const metadataSchema = z
    .object({
        first_seen_at: z.string(),
        last_modified_at: z.string(),
        last_action: z.enum(['ADDED', 'UPDATED', 'DELETED']),
        deleted_at: z.string().nullable(),
        pruned_at: z.string().nullable(),
        cursor: z.string().openapi({ description: 'Listing from it resumes after this record' })
    })
    .openapi('RecordMetadata');
const recordSchema = z
    .looseObject({ id: z.union([z.string(), z.number()]), _nango_metadata: metadataSchema })
    .openapi('Record', { description: "The record's payload as the sync saved it, plus `_nango_metadata`; a pruned record has only its id" });

const pageSchema = z.object({ records: z.array(recordSchema), next_cursor: z.string().nullable() });

/** The records of a model of the connection the headers name, in that connection's shard. */
async function recordScope(env: Env, environmentId: string, h: z.infer<typeof headers>, model: string, variant: string): Promise<{ ref: ConnectionRef; scope: RecordScope }> {
    const ref = await requireHeaderConnection(database(env), environmentId, h['provider-config-key'], h['connection-id']);
    return { ref, scope: { db: recordsDb(env, ref.row.recordsShard), connectionUid: ref.row.uid, model, variant } };
}

export const recordsRoutes = createRouter();

recordsRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/records',
        tags: ['Records'],
        summary: "List a connection's records in the order they changed",
        description: `Keyset paging: pass \`next_cursor\` (or any record's \`_nango_metadata.cursor\`) as \`cursor\` to continue. A page stops early once it holds about ${PAGE_BYTES / 1_000_000} MB of payloads; it always has at least one record.`,
        security: secretKeySecurity,
        request: {
            headers,
            query: z.object({
                model,
                variant,
                modified_after: isoTime.optional().openapi({ description: 'Records changed at or after this time (ISO 8601)' }),
                delta: isoTime.optional().openapi({ description: 'Old name of `modified_after`' }),
                limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100),
                filter: filter.optional(),
                cursor: z.string().max(200).optional(),
                ids: ids.optional()
            })
        },
        responses: {
            200: json(pageSchema, 'A page of records'),
            ...commonErrors
        }
    }),
    async (c) => {
        const q = c.req.valid('query');
        const { ref, scope } = await recordScope(c.env, c.var.environment.id, c.req.valid('header'), q.model, q.variant);
        const page = await listRecords(scope, { cursor: q.cursor, modifiedAfter: q.modified_after ?? q.delta, limit: q.limit, filter: q.filter, ids: q.ids });
        // Only an empty page can hide a mistyped model; reads that find records skip the check.
        if (!page.records.length) await requireKnownModel(database(c.env), c.var.environment.id, ref.integration.uniqueKey, scope);
        // Assembled as text, since the stored payloads are JSON already; the type says what the text is.
        const body = c.body(recordsPageJson(page), 200, { 'content-type': 'application/json' });
        return body as unknown as TypedResponse<JSONParsed<z.infer<typeof pageSchema>>, 200, 'json'>;
    }
);

recordsRoutes.openapi(
    createRoute({
        method: 'patch',
        path: '/records/prune',
        tags: ['Records'],
        summary: 'Empty the payloads of records up to a cursor',
        description:
            'Records at or before `until_cursor` keep their id and metadata but lose their payload, until the sync saves a changed version. Call again while `has_more` is true.',
        security: secretKeySecurity,
        middleware: [logOperation('sync', 'records.prune')] as const,
        request: {
            headers,
            body: jsonBody(
                z.strictObject({
                    model,
                    variant,
                    until_cursor: z.string().max(200),
                    limit: z.number().int().min(1).max(MAX_LIMIT).default(1000)
                })
            )
        },
        responses: {
            200: json(z.object({ count: z.number(), has_more: z.boolean() }), 'How many records were pruned, and whether more remain'),
            ...commonErrors
        }
    }),
    async (c) => {
        const body = c.req.valid('json');
        const until = decodeCursor(body.until_cursor, 'until_cursor');
        const { ref, scope } = await recordScope(c.env, c.var.environment.id, c.req.valid('header'), body.model, body.variant);
        await requireKnownModel(database(c.env), c.var.environment.id, ref.integration.uniqueKey, scope);
        const { count, hasMore } = await pruneRecords(scope, until, body.limit);
        Object.assign(c.var.operation, {
            integrationKey: ref.integration.uniqueKey,
            connectionId: ref.row.connectionId,
            meta: { model: body.model, variant: body.variant, count, has_more: hasMore }
        });
        return c.json({ count, has_more: hasMore }, 200);
    }
);
