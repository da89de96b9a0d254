import { z } from 'zod';
import { parseFrequency } from '../../../workers/functions/frequency.js';
import type { FunctionType } from './discover.js';

/** A zod 4 schema from the project's own copy of zod (bundled into the function), recognised by shape rather than by class. */
const zodSchema = z.custom<z.ZodType>((value) => typeof value === 'object' && value !== null && '_zod' in value, 'a zod schema');
const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'a function');

const MODEL_NAME = /^[A-Z][a-zA-Z0-9_]+$/;
const EVENTS = ['post-connection-creation', 'pre-connection-deletion', 'validate-connection'] as const;

const endpoint = z.object({ method: z.string(), path: z.string(), group: z.string().optional() });
const common = {
    description: z.string({ error: 'a description is required' }),
    version: z.string().optional(),
    metadata: zodSchema.optional(),
    checkpoint: zodSchema.optional()
};

const syncDefinition = z.object({
    ...common,
    type: z.literal('sync'),
    frequency: z.string().refine((text) => parseFrequency(text) !== null, {
        error: (issue) => `"${String(issue.input)}" is not a frequency between 30 seconds and 31 days, such as "every hour", "every 5 minutes" or "1h"`
    }),
    models: z.record(z.string(), zodSchema).superRefine((models, ctx) => {
        if (Object.keys(models).length === 0) ctx.addIssue({ code: 'custom', message: 'at least one model is required' });
        for (const name of Object.keys(models)) {
            if (!MODEL_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'model names start with a capital letter and use only letters, digits and _' });
        }
    }),
    autoStart: z.boolean().optional(),
    syncType: z.enum(['full', 'incremental']).optional(),
    trackDeletes: z.boolean().optional(),
    endpoints: z.array(endpoint).optional(),
    scopes: z.array(z.string()).optional(),
    webhookSubscriptions: z.array(z.string()).optional(),
    exec: fn,
    onWebhook: fn.optional()
});

const actionDefinition = z.object({
    ...common,
    type: z.literal('action'),
    input: zodSchema.optional(),
    output: zodSchema.optional(),
    endpoint: endpoint.optional(),
    scopes: z.array(z.string()).optional(),
    exec: fn
});

const onEventDefinition = z.object({
    ...common,
    type: z.literal('on-event'),
    event: z.enum(EVENTS, { error: `one of ${EVENTS.join(', ')}` }),
    exec: fn
});

const definitionSchema = z
    .discriminatedUnion('type', [syncDefinition, actionDefinition, onEventDefinition])
    .refine((d) => d.type !== 'sync' || !(d.trackDeletes && d.syncType === 'incremental'), { message: 'trackDeletes cannot be used with an incremental sync', path: ['trackDeletes'] })
    .refine((d) => d.type !== 'sync' || !d.webhookSubscriptions?.length || d.onWebhook, { message: 'webhookSubscriptions needs an onWebhook handler', path: ['webhookSubscriptions'] });

export type FunctionDefinition = z.infer<typeof definitionSchema>;
export type SyncDefinition = z.infer<typeof syncDefinition>;
export type ActionDefinition = z.infer<typeof actionDefinition>;
export type OnEventDefinition = z.infer<typeof onEventDefinition>;

const CREATORS: Record<FunctionType, string> = { sync: 'createSync', action: 'createAction', 'on-event': 'createOnEvent' };

/** Reads a bundle's default export as a function definition, or says what is wrong with it. */
export function readDefinition(value: unknown): { definition: FunctionDefinition } | { problems: string[] } {
    const type = (value as { type?: unknown } | null | undefined)?.type;
    if (typeof value !== 'object' || value === null || typeof type !== 'string' || !Object.hasOwn(CREATORS, type)) {
        return { problems: ["the default export must be a function definition: export default createSync({...}), createAction({...}) or createOnEvent({...}) from 'nango'"] };
    }
    const parsed = definitionSchema.safeParse(value);
    if (parsed.success) return { definition: parsed.data };
    return { problems: parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)) };
}

export function creatorOf(type: FunctionType): string {
    return CREATORS[type];
}
