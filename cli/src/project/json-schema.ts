import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of one of the project's zod schemas, or undefined for `z.void()` (no value).
 * `io` picks the side of transforms: what callers send ('input') or what the function produces
 * ('output'). What JSON Schema cannot express (dates, transforms) becomes `{}`: any value.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema | undefined {
    const kind = schema._zod.def.type;
    if (kind === 'void' || kind === 'undefined') return undefined;
    const { $schema: _, ...document } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
    return document;
}

const ID_TYPES = new Set(['string', 'number', 'integer']);
const CHECKPOINT_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/** Why a model's schema can't describe records, if it can't: records are objects with a string or number `id`. */
export function modelProblem(schema: JsonSchema): string | undefined {
    if (schema.type !== 'object') return 'must be a z.object({ id: … })';
    const id = (schema.properties as Record<string, JsonSchema> | undefined)?.id;
    if (!id || !(schema.required as string[] | undefined)?.includes('id')) return 'needs a required `id` field';
    if (!typesOf(id).every((type) => ID_TYPES.has(type))) return '`id` must be a string or a number';
    return undefined;
}

/** Why a checkpoint's schema is not a flat object of strings, numbers and booleans, if it isn't. */
export function checkpointProblem(schema: JsonSchema): string | undefined {
    if (schema.type !== 'object') return 'must be a z.object({...})';
    for (const [key, field] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        // No type at all is z.date() or z.any(): dates are saved as ISO strings.
        if (!typesOf(field).every((type) => CHECKPOINT_TYPES.has(type))) return `field "${key}" must be a string, a number, a boolean or a date`;
    }
    return undefined;
}

/** The JSON types a schema allows, looking through unions; empty when it allows anything. */
function typesOf(schema: JsonSchema): string[] {
    if (typeof schema.type === 'string') return [schema.type];
    if (Array.isArray(schema.type)) return schema.type as string[];
    const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
    if (options) return options.flatMap(typesOf);
    if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map((value) => typeof value))];
    if ('const' in schema) return [typeof schema.const];
    return [];
}
