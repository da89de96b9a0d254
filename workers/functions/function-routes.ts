import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { deployments } from '../../schema/tables.js';
import { checkpointKey } from '../../functions-runtime/checkpoint-key.js';
import { executeFunction } from '../../functions-runtime/executor.js';
import { requireConnection } from '../connections/connections.js';
import { sha256Hex } from '../crypto/hashing.js';
import { database } from '../db.js';
import { commonErrors, json, jsonBody, notFoundError, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { apiTimestampOrNull } from '../http/timestamps.js';
import { listIntegrations } from '../integrations/integrations.js';
import { logOperation } from '../operations/operation-middleware.js';
import { MAX_BUNDLE_BYTES, missingBundles, putBundle } from './bundle-store.js';
import { deploymentSchema, toApiDeployment } from './deployment-response.js';
import { activeFunctions, createDeployment, getDeployment, listDeployments, rollback } from './deployments.js';
import { functionManifestSchema } from './function-config.js';
import { runContext } from './run-context.js';
import { runTimeoutMs } from './run-limits.js';
import { nangoScriptsConfig, openAiTools } from './scripts-config.js';
import { rescheduleEnvironment } from '../syncs/sync-control.js';
import { publicBaseUrl } from '../http/public-url.js';

export const functionRoutes = createRouter();

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');

functionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/functions/bundles/missing',
        tags: ['Functions'],
        summary: 'Which of these bundles the platform does not have yet',
        description: 'Bundles are stored by the SHA-256 of their code; `spoke deploy` uploads only the missing ones.',
        security: secretKeySecurity,
        request: { body: jsonBody(z.object({ hashes: z.array(sha256).max(1000) })) },
        responses: { 200: json(z.object({ data: z.object({ missing: z.array(z.string()) }) }), 'The hashes to upload'), ...commonErrors }
    }),
    async (c) => c.json({ data: { missing: await missingBundles(database(c.env), c.req.valid('json').hashes) } }, 200)
);

functionRoutes.openapi(
    createRoute({
        method: 'put',
        path: '/functions/bundles/{hash}',
        tags: ['Functions'],
        summary: 'Upload a function bundle (its JavaScript, as the body)',
        description: `The code must hash to \`hash\`. At most ${MAX_BUNDLE_BYTES} bytes. Uploading a stored bundle again changes nothing.`,
        security: secretKeySecurity,
        middleware: [logOperation('deployment', 'bundle.upload')],
        request: { params: z.object({ hash: sha256 }), body: { required: true, content: { 'application/javascript': { schema: z.string() } } } },
        responses: {
            200: json(z.object({ data: z.object({ hash: z.string(), size: z.number() }) }), 'Already stored'),
            201: json(z.object({ data: z.object({ hash: z.string(), size: z.number() }) }), 'Stored'),
            ...commonErrors
        }
    }),
    async (c) => {
        const { hash } = c.req.valid('param');
        const code = await c.req.text();
        const size = new TextEncoder().encode(code).byteLength;
        c.var.operation.meta = { hash, size };
        const created = await putBundle(database(c.env), hash, code);
        c.var.operation.meta.created = created;
        return c.json({ data: { hash, size } }, created ? 201 : 200);
    }
);

functionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/functions/deployments',
        tags: ['Functions'],
        summary: 'The latest deployments, newest first; one of them is active',
        security: secretKeySecurity,
        request: {
            query: z.object({
                limit: z.coerce.number().int().min(1).max(100).default(20),
                active: z.stringbool().optional().openapi({ description: '`true`: only the active deployment, however old (none before the first deployment)' })
            })
        },
        responses: { 200: json(z.object({ data: z.array(deploymentSchema) }), 'Deployments'), ...commonErrors }
    }),
    async (c) => {
        const { limit, active } = c.req.valid('query');
        return c.json({ data: (await listDeployments(database(c.env), c.var.environment.id, limit, active === true)).map(toApiDeployment) }, 200);
    }
);

functionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/functions/deployments',
        tags: ['Functions'],
        summary: "Deploy a complete set of functions as the environment's new version",
        description:
            'The set replaces the active one as a whole, in one transaction. Bundles must be uploaded first. Syncs get schedules on every connection of their integration; removed syncs lose theirs.',
        security: secretKeySecurity,
        middleware: [logOperation('deployment', 'deploy')],
        request: { body: jsonBody(z.object({ message: z.string().max(500).optional(), functions: z.array(functionManifestSchema).max(2000) })) },
        responses: { 201: json(z.object({ data: deploymentSchema }), 'The new active deployment'), 409: json(z.object({}), 'A concurrent deployment'), ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const version = await createDeployment(db, c.var.environment.id, c.req.valid('json'));
        await rescheduleEnvironment(c.env, c.var.environment.id);
        c.var.operation.meta = { version };
        return c.json({ data: toApiDeployment(await getDeployment(db, c.var.environment.id, version)) }, 201);
    }
);

functionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/functions/deployments/rollback',
        tags: ['Functions'],
        summary: 'Re-activate an earlier deployment (by default the one before the active one)',
        security: secretKeySecurity,
        middleware: [logOperation('deployment', 'rollback')],
        request: { body: jsonBody(z.object({ version: z.number().int().positive().optional() })) },
        responses: { 200: json(z.object({ data: deploymentSchema }), 'The deployment now active'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const version = await rollback(db, c.var.environment.id, c.req.valid('json').version);
        await rescheduleEnvironment(c.env, c.var.environment.id);
        c.var.operation.meta = { version };
        return c.json({ data: toApiDeployment(await getDeployment(db, c.var.environment.id, version)) }, 200);
    }
);

const dryRunRequest = z.object({
    integration: z.string().min(1),
    name: z.string().min(1).max(128),
    type: z.enum(['sync', 'action', 'on-event']),
    bundle: z.string().min(1).max(MAX_BUNDLE_BYTES),
    connection_id: z.string().min(1),
    input: z.unknown().optional().openapi({ description: "The action's input; for a sync, a webhook payload to run its onWebhook handler with" }),
    metadata: z.record(z.string(), z.unknown()).optional().openapi({ description: "Used instead of the connection's metadata" }),
    checkpoint: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().openapi({ description: 'Used instead of the stored checkpoint' }),
    config: z.object({ models: z.record(z.string(), z.unknown()).optional() }).optional().openapi({ description: "The function's compiled config; a sync's `models` say which records it may read" }),
    variant: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/).default('base')
});

const runErrorSchema = z.object({
    type: z.string(),
    message: z.string(),
    payload: z.unknown().optional(),
    upstream: z.object({ status: z.number(), headers: z.record(z.string(), z.string()), data: z.unknown() }).optional(),
    stack: z.string().optional()
});

const dryRunReport = z.object({
    result: z.union([z.object({ ok: z.literal(true), output: z.unknown() }), z.object({ ok: z.literal(false), error: runErrorSchema })]),
    operation_id: z.string(),
    records: z.record(z.string(), z.array(z.unknown())),
    deletes: z.record(z.string(), z.array(z.unknown())),
    rejected: z.record(z.string(), z.number()).openapi({ description: 'Per model, records left out for failing its schema' }),
    logs: z.array(z.object({ level: z.string(), message: z.string(), payload: z.unknown().optional(), at: z.number() })),
    checkpoint: z.record(z.string(), z.unknown()).nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    http: z.array(z.object({ method: z.string(), url: z.string(), status: z.number(), duration_ms: z.number() }))
});

functionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/functions/dryrun',
        tags: ['Functions'],
        summary: 'Run a function (sent with the request) against a real connection, persisting nothing',
        description:
            "Upstream calls are real and use the connection's credentials. Records, deletes, metadata and checkpoint writes and log lines are collected and returned instead of stored. `spoke dryrun` calls this.",
        security: secretKeySecurity,
        request: { body: jsonBody(dryRunRequest) },
        responses: { 200: json(z.object({ data: dryRunReport }), 'What the run did (a failed run is reported here too)'), ...commonErrors }
    }),
    async (c) => {
        const body = c.req.valid('json');
        const db = database(c.env);
        const ref = await requireConnection(db, c.var.environment.id, body.integration, body.connection_id);
        const kind = body.type === 'on-event' ? 'on-event' : body.type === 'action' ? 'action' : body.input === undefined ? 'sync' : 'webhook';
        const stored = body.checkpoint ? null : await c.env.CONNECTION.getByName(ref.row.uid).getCheckpoint(checkpointKey(kind, body.name, body.variant));
        const syncs = kind === 'sync' || kind === 'webhook';
        const report = await executeFunction(runContext(c.env, c.executionCtx, publicBaseUrl(c)), {
            kind,
            fn: { integrationKey: body.integration, name: body.name, type: body.type, bundleHash: await sha256Hex(body.bundle), code: body.bundle, config: body.config ?? {} },
            ref,
            environmentName: c.var.environment.name,
            input: body.input,
            timeoutMs: runTimeoutMs(c.env, kind),
            ...(syncs && { sync: { runId: null, variant: body.variant, models: Object.keys(body.config?.models ?? {}), lastSyncDate: null, interruptAt: null } }),
            dryRun: { checkpoint: body.checkpoint ?? (stored === null ? null : JSON.parse(stored)), ...(body.metadata && { metadata: body.metadata }) }
        });
        return c.json({ data: { result: report.result, operation_id: String(report.operationId), ...report.dryRun!.outcome(ref.row.metadata) } }, 200);
    }
);

functionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/scripts/config',
        tags: ['Functions'],
        summary: 'The deployed functions, per integration (`nango`), or the actions as LLM tools (`openai`)',
        security: secretKeySecurity,
        request: { query: z.object({ format: z.enum(['nango', 'openai']).default('nango') }) },
        responses: { 200: json(z.union([z.array(z.record(z.string(), z.unknown())), z.object({ data: z.array(z.record(z.string(), z.unknown())) })]), 'The configuration'), ...commonErrors }
    }),
    async (c) => {
        const db = database(c.env);
        const environmentId = c.var.environment.id;
        const functions = await activeFunctions(db, environmentId);
        if (c.req.valid('query').format === 'openai') return c.json({ data: openAiTools(functions) }, 200);
        const [active] = await db.select({ createdAt: deployments.createdAt }).from(deployments).where(eq(deployments.environmentId, environmentId)).orderBy(desc(deployments.active), desc(deployments.version)).limit(1);
        return c.json(nangoScriptsConfig(await listIntegrations(db, environmentId), functions, apiTimestampOrNull(active?.createdAt)), 200);
    }
);
