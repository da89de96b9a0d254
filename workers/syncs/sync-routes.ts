import { createRoute, z } from '@hono/zod-openapi';
import { requireConnection } from '../connections/connections.js';
import { database } from '../db.js';
import { formatFrequency, parseFrequency } from '../functions/frequency.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { commonErrors, json, jsonBody, notFoundError, secretKeySecurity, successSchema } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import { setFrequencyOverride, setScheduleStatus, targetOf, triggerTargets } from './sync-control.js';
import { syncStatuses } from './sync-status.js';
import { parseSyncSpec, targetSchedules } from './sync-targets.js';
import { createVariant, deleteVariant, VARIANT_NAME } from './sync-variants.js';

export const syncRoutes = createRouter();

const syncSpec = z.union([z.string().min(1), z.object({ name: z.string().min(1), variant: z.string().min(1).optional() })]);
const flags = z.object({ reset: z.boolean().optional(), emptyCache: z.boolean().optional() }).strict();

syncRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/sync/trigger',
        tags: ['Syncs'],
        summary: 'Run syncs now (after the run under way, if any)',
        description:
            '`syncs: []` means every sync; without a connection, every connection of the integration. `opts.reset` runs from scratch (no checkpoint, no lastSyncDate); `opts.emptyCache` also deletes the records first. The legacy `sync_mode` (`incremental`, `full_refresh`, `full_refresh_and_clear_cache`) and `full_resync` still work, but not together with `opts`. The integration and connection may also come from the `Provider-Config-Key` and `Connection-Id` headers.',
        security: secretKeySecurity,
        middleware: [logOperation('sync', 'trigger')],
        request: {
            body: jsonBody(
                z.object({
                    syncs: z.array(syncSpec).max(256).default([]),
                    provider_config_key: z.string().optional(),
                    connection_id: z.string().optional(),
                    opts: flags.optional(),
                    sync_mode: z.enum(['incremental', 'full_refresh', 'full_refresh_and_clear_cache']).optional(),
                    full_resync: z.boolean().optional()
                })
            )
        },
        responses: { 200: json(successSchema, 'Triggered'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const body = c.req.valid('json');
        if (body.opts && (body.sync_mode !== undefined || body.full_resync !== undefined)) {
            throw badRequest('invalid_body', 'Use either opts or the legacy sync_mode/full_resync, not both');
        }
        const mode = body.sync_mode ?? (body.full_resync ? 'full_refresh' : 'incremental');
        const runFlags = body.opts ?? { reset: mode !== 'incremental', emptyCache: mode === 'full_refresh_and_clear_cache' };
        const integrationKey = body.provider_config_key ?? c.req.header('provider-config-key');
        const connectionId = body.connection_id ?? c.req.header('connection-id');
        Object.assign(c.var.operation, { integrationKey, connectionId, meta: { syncs: body.syncs, flags: runFlags } });
        const db = database(c.env);
        const rows = await targetSchedules(db, c.var.environment.id, { integrationKey, connectionId, syncs: body.syncs.map(parseSyncSpec) });
        await triggerTargets(db, c.env, c.var.environment.id, rows.map(targetOf), runFlags);
        return c.json({ success: true as const }, 200);
    }
);

const controlBody = z.object({ syncs: z.array(syncSpec).max(256), provider_config_key: z.string().min(1), connection_id: z.string().optional() });

for (const [path, status, summary] of [
    ['/sync/start', 'RUNNING', 'Start schedules (a paused one also runs at once)'],
    ['/sync/pause', 'PAUSED', 'Pause schedules (a run under way finishes)']
] as const) {
    syncRoutes.openapi(
        createRoute({
            method: 'post',
            path,
            tags: ['Syncs'],
            summary,
            security: secretKeySecurity,
            middleware: [logOperation('sync', path === '/sync/start' ? 'start' : 'pause')],
            request: { body: jsonBody(controlBody) },
            responses: { 200: json(successSchema, 'Done'), ...notFoundError, ...commonErrors }
        }),
        async (c) => {
            const body = c.req.valid('json');
            Object.assign(c.var.operation, { integrationKey: body.provider_config_key, connectionId: body.connection_id, meta: { syncs: body.syncs } });
            const db = database(c.env);
            const rows = await targetSchedules(db, c.var.environment.id, { integrationKey: body.provider_config_key, connectionId: body.connection_id, syncs: body.syncs.map(parseSyncSpec) });
            await setScheduleStatus(db, c.env, c.var.environment.id, rows, status);
            return c.json({ success: true as const }, 200);
        }
    );
}

const statusSchema = z
    .object({
        id: z.string(),
        connection_id: z.string(),
        name: z.string(),
        variant: z.string(),
        status: z.enum(['RUNNING', 'SUCCESS', 'ERROR', 'PAUSED', 'STOPPED']),
        type: z.enum(['INITIAL', 'INCREMENTAL']),
        finishedAt: z.string().nullable(),
        nextScheduledSyncAt: z.string().nullable(),
        frequency: z.string(),
        latestResult: z.record(z.string(), z.object({ added: z.number(), updated: z.number(), deleted: z.number() })),
        latestExecutionStatus: z.string().nullable(),
        recordCount: z.record(z.string(), z.number()),
        checkpoint: z.record(z.string(), z.unknown()).nullable(),
        error: z.object({ type: z.string(), message: z.string() }).optional()
    })
    .openapi('SyncStatus');

syncRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/sync/status',
        tags: ['Syncs'],
        summary: 'The state of sync schedules: running or not, last result, record counts, checkpoint',
        security: secretKeySecurity,
        request: {
            query: z.object({
                syncs: z.string().min(1).openapi({ description: '`*`, or names separated by commas (`name::variant` for a variant)' }),
                provider_config_key: z.string().min(1),
                connection_id: z.string().optional()
            })
        },
        responses: { 200: json(z.object({ syncs: z.array(statusSchema) }), 'Statuses'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const q = c.req.valid('query');
        const db = database(c.env);
        const specs = q.syncs === '*' ? [] : q.syncs.split(',').map((s) => parseSyncSpec(s.trim())).filter((s) => s.name);
        const rows = await targetSchedules(db, c.var.environment.id, { integrationKey: q.provider_config_key, connectionId: q.connection_id, syncs: specs });
        return c.json({ syncs: (await syncStatuses(db, c.env, rows)) as z.infer<typeof statusSchema>[] }, 200);
    }
);

syncRoutes.openapi(
    createRoute({
        method: 'put',
        path: '/sync/update-connection-frequency',
        tags: ['Syncs'],
        summary: "Change how often a sync runs for one connection (null: back to the sync's frequency)",
        security: secretKeySecurity,
        middleware: [logOperation('sync', 'update_frequency')],
        request: {
            body: jsonBody(
                z.object({
                    sync_name: z.string().min(1),
                    sync_variant: z.string().min(1).optional(),
                    provider_config_key: z.string().min(1),
                    connection_id: z.string().min(1),
                    frequency: z.string().nullable()
                })
            )
        },
        responses: { 200: json(z.object({ frequency: z.string() }), 'The frequency now in force'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const body = c.req.valid('json');
        Object.assign(c.var.operation, { integrationKey: body.provider_config_key, connectionId: body.connection_id, meta: { sync: body.sync_name, frequency: body.frequency } });
        const frequencyMs = body.frequency === null ? null : parseFrequency(body.frequency);
        if (frequencyMs === null && body.frequency !== null) {
            throw badRequest('invalid_frequency', 'frequency must read like "every 5 minutes", "1h" or "half day", between 30 seconds and 31 days');
        }
        const db = database(c.env);
        const [row] = await targetSchedules(db, c.var.environment.id, {
            integrationKey: body.provider_config_key,
            connectionId: body.connection_id,
            syncs: [{ name: body.sync_name, variant: body.sync_variant }]
        });
        if (!row) throw new ApiError(404, 'not_found', `No schedule of ${body.sync_name} on this connection`);
        await setFrequencyOverride(db, c.env, row, frequencyMs);
        return c.json({ frequency: body.frequency ?? formatFrequency(row.frequencyMs) }, 200);
    }
);

const variantParams = z.object({ name: z.string().min(1), variant: z.string().regex(VARIANT_NAME, 'letters, digits, - and _') });
const variantBody = z.object({ provider_config_key: z.string().min(1), connection_id: z.string().min(1) });

syncRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/sync/{name}/variant/{variant}',
        tags: ['Syncs'],
        summary: 'Add a variant of a sync on one connection: its own schedule, checkpoint and records',
        security: secretKeySecurity,
        middleware: [logOperation('sync', 'variant.create')],
        request: { params: variantParams, body: jsonBody(variantBody) },
        responses: { 200: json(z.object({ id: z.string(), name: z.string(), variant: z.string() }), 'Created'), 409: json(z.object({}), 'Exists'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const { name, variant } = c.req.valid('param');
        const body = c.req.valid('json');
        Object.assign(c.var.operation, { integrationKey: body.provider_config_key, connectionId: body.connection_id, meta: { sync: name, variant } });
        const db = database(c.env);
        const ref = await requireConnection(db, c.var.environment.id, body.provider_config_key, body.connection_id);
        const id = await createVariant(db, c.env, ref, name, variant);
        return c.json({ id, name, variant }, 200);
    }
);

syncRoutes.openapi(
    createRoute({
        method: 'delete',
        path: '/sync/{name}/variant/{variant}',
        tags: ['Syncs'],
        summary: 'Remove a variant of a sync from one connection, with its records',
        security: secretKeySecurity,
        middleware: [logOperation('sync', 'variant.delete')],
        request: { params: variantParams, body: jsonBody(variantBody) },
        responses: { 200: json(successSchema, 'Deleted'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const { name, variant } = c.req.valid('param');
        const body = c.req.valid('json');
        Object.assign(c.var.operation, { integrationKey: body.provider_config_key, connectionId: body.connection_id, meta: { sync: name, variant } });
        const db = database(c.env);
        const ref = await requireConnection(db, c.var.environment.id, body.provider_config_key, body.connection_id);
        await deleteVariant(db, c.env, ref, name, variant);
        return c.json({ success: true as const }, 200);
    }
);
