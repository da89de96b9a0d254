import { z } from 'zod';

// The platform's /functions API responses, as the CLI reads them (unknown fields are ignored).

export const missingBundlesSchema = z.object({ missing: z.array(z.string()) });

export const storedBundleSchema = z.object({ hash: z.string(), size: z.number() });

const deployedFunctionSchema = z.object({
    integration: z.string(),
    name: z.string(),
    type: z.enum(['sync', 'action', 'on-event']),
    bundle_hash: z.string(),
    config: z.record(z.string(), z.unknown())
});

export const deploymentSchema = z.object({
    version: z.number(),
    message: z.string().nullable(),
    active: z.boolean(),
    created_at: z.string(),
    functions: z.array(deployedFunctionSchema)
});

export type Deployment = z.infer<typeof deploymentSchema>;

const runErrorSchema = z.object({
    type: z.string(),
    message: z.string(),
    payload: z.unknown().optional(),
    upstream: z.object({ status: z.number(), headers: z.record(z.string(), z.string()).optional(), data: z.unknown().optional() }).optional(),
    stack: z.string().optional()
});

const runResultSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), output: z.unknown().optional() }), z.object({ ok: z.literal(false), error: runErrorSchema })]);

const logEntrySchema = z.object({ level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string(), payload: z.unknown().optional(), at: z.number() });

export const dryrunSchema = z.object({
    result: runResultSchema,
    operation_id: z.string().optional(),
    records: z.record(z.string(), z.array(z.unknown())),
    deletes: z.record(z.string(), z.array(z.unknown())),
    logs: z.array(logEntrySchema),
    checkpoint: z.record(z.string(), z.unknown()).nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    http: z.array(z.object({ method: z.string(), url: z.string(), status: z.number(), duration_ms: z.number() }))
});

export type DryrunReport = z.infer<typeof dryrunSchema>;
