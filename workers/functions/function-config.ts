import { z } from '@hono/zod-openapi';
import { parseFrequency } from './frequency.js';

/** JSON Schema documents produced from the functions' zod schemas by `spoke compile`. */
const jsonSchema = z.record(z.string(), z.unknown());
const modelName = z.string().regex(/^[A-Z][a-zA-Z0-9_]+$/, 'model names start with a capital letter');

export const EVENTS = ['post-connection-creation', 'pre-connection-deletion', 'validate-connection'] as const;
export type FunctionEvent = (typeof EVENTS)[number];

const common = { description: z.string().max(2000).default(''), version: z.string().max(50).optional(), scopes: z.array(z.string()).optional() };

export const syncConfigSchema = z.object({
    ...common,
    frequency: z.string().refine((f) => parseFrequency(f) !== null, 'a frequency between 30 seconds and 31 days, e.g. "every hour"'),
    auto_start: z.boolean().default(false),
    sync_type: z.enum(['full', 'incremental']).optional(),
    track_deletes: z.boolean().optional(),
    models: z.record(modelName, jsonSchema).refine((m) => Object.keys(m).length > 0, 'at least one model'),
    metadata: jsonSchema.optional(),
    checkpoint: jsonSchema.optional(),
    webhook_subscriptions: z.array(z.string()).optional(),
    endpoints: z.array(z.unknown()).optional()
});

export const actionConfigSchema = z.object({ ...common, input: jsonSchema.optional(), output: jsonSchema.optional(), endpoint: z.unknown().optional() });

export const onEventConfigSchema = z.object({ ...common, event: z.enum(EVENTS) });

const identity = {
    integration: z.string().min(1).max(255),
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}$/, 'letters, digits, - and _'),
    bundle_hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')
};

export const functionManifestSchema = z
    .discriminatedUnion('type', [
        z.object({ ...identity, type: z.literal('sync'), config: syncConfigSchema }),
        z.object({ ...identity, type: z.literal('action'), config: actionConfigSchema }),
        z.object({ ...identity, type: z.literal('on-event'), config: onEventConfigSchema })
    ])
    .openapi('FunctionManifest');

export type FunctionManifest = z.infer<typeof functionManifestSchema>;
export type FunctionType = FunctionManifest['type'];
export type SyncConfig = z.infer<typeof syncConfigSchema>;
