import type { FunctionType } from './discover.js';
import type { ActionDefinition, FunctionDefinition, OnEventDefinition, SyncDefinition } from './definition.js';
import { checkpointProblem, type JsonSchema, modelProblem, toJsonSchema } from './json-schema.js';

/** A function as the platform deploys it (POST /functions/deployments), with its code. */
export interface ManifestEntry {
    integration: string;
    name: string;
    type: FunctionType;
    bundle: string;
    bundle_hash: string;
    config: Record<string, unknown>;
}

const FUNCTION_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}$/;

type Built = { config: Record<string, unknown>; problems: string[] };

/** The definition's deployable configuration: plain JSON, its zod schemas turned into JSON Schemas. */
export function functionConfig(name: string, definition: FunctionDefinition): Built {
    const built = definition.type === 'sync' ? syncConfig(definition) : definition.type === 'action' ? actionConfig(definition) : onEventConfig(definition);
    if (!FUNCTION_NAME.test(name)) built.problems.unshift(`the file name "${name}" is the function's name: use letters, digits, - and _ (at most 128)`);
    return built;
}

function syncConfig(definition: SyncDefinition): Built {
    const problems: string[] = [];
    const models: Record<string, JsonSchema> = {};
    for (const [model, schema] of Object.entries(definition.models)) {
        const document = toJsonSchema(schema, 'output') ?? {};
        const problem = modelProblem(document);
        if (problem) problems.push(`models.${model} ${problem}`);
        models[model] = document;
    }
    const checkpoint = definition.checkpoint && toJsonSchema(definition.checkpoint, 'output');
    const checkpointIssue = checkpoint && checkpointProblem(checkpoint);
    if (checkpointIssue) problems.push(`checkpoint ${checkpointIssue}`);
    const config = {
        description: definition.description,
        version: definition.version ?? '',
        frequency: definition.frequency,
        // Only an explicit `true` starts schedules, as Nango's zero-yaml projects behave.
        auto_start: definition.autoStart === true,
        sync_type: definition.syncType ?? 'full',
        track_deletes: definition.trackDeletes ?? false,
        models,
        metadata: definition.metadata && toJsonSchema(definition.metadata, 'output'),
        checkpoint,
        webhook_subscriptions: definition.webhookSubscriptions,
        scopes: definition.scopes,
        endpoints: definition.endpoints
    };
    return { config: withoutUndefined(config), problems };
}

function actionConfig(definition: ActionDefinition): Built {
    const config = {
        description: definition.description,
        version: definition.version ?? '',
        input: definition.input && toJsonSchema(definition.input, 'input'),
        output: definition.output && toJsonSchema(definition.output, 'output'),
        scopes: definition.scopes,
        endpoint: definition.endpoint
    };
    return { config: withoutUndefined(config), problems: [] };
}

function onEventConfig(definition: OnEventDefinition): Built {
    return { config: { description: definition.description, version: definition.version ?? '', event: definition.event }, problems: [] };
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
