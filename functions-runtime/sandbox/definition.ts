// What the function module's default export must be for the invocation at hand.
import type { Invocation } from '../host-contract.js';
import { SdkError } from './sdk-error.js';

/** A zod schema, seen structurally: the runtime never imports zod, it calls the function's own schemas. */
export interface Schema {
    safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: unknown[] } };
    /** zod objects have it; it throws for objects with refinements. */
    partial?: () => unknown;
}

export function isSchema(value: unknown): value is Schema {
    return typeof (value as Partial<Schema> | null)?.safeParse === 'function';
}

export interface LoadedDefinition {
    type: 'sync' | 'action' | 'on-event';
    exec: (...args: unknown[]) => unknown;
    onWebhook?: (...args: unknown[]) => unknown;
    models?: Record<string, unknown>;
    input?: Schema;
    output?: Schema;
}

const TYPES = new Set<unknown>(['sync', 'action', 'on-event']);
const TYPE_OF_KIND: Record<Invocation['kind'], LoadedDefinition['type']> = { sync: 'sync', webhook: 'sync', action: 'action', 'on-event': 'on-event' };

export function checkedDefinition(value: unknown, kind: Invocation['kind']): LoadedDefinition {
    const definition = value as Partial<LoadedDefinition> | null;
    if (typeof definition !== 'object' || definition === null || typeof definition.exec !== 'function' || !TYPES.has(definition.type)) {
        throw new SdkError('invalid_function_definition', "The function file's default export must be the result of createSync, createAction or createOnEvent");
    }
    if (definition.type !== TYPE_OF_KIND[kind]) {
        throw new SdkError('function_kind_mismatch', `The function is of type "${definition.type}", so it cannot run as "${kind}"`);
    }
    if (kind === 'webhook' && typeof definition.onWebhook !== 'function') {
        throw new SdkError('function_kind_mismatch', 'This sync has no onWebhook handler');
    }
    for (const field of ['input', 'output'] as const) {
        if (definition[field] !== undefined && !isSchema(definition[field])) {
            throw new SdkError('invalid_function_definition', `The action's \`${field}\` must be a zod schema`);
        }
    }
    return definition as LoadedDefinition;
}
