import type { IntegrationRow } from '../integrations/integrations.js';
import type { DeployedFunctionRow } from './deployments.js';

type Config = Record<string, unknown>;

/**
 * `GET /scripts/config?format=nango`: per integration, its deployed syncs, actions and event
 * functions, described as Nango's clients read them (model names and JSON Schemas included).
 */
export function nangoScriptsConfig(integrations: IntegrationRow[], functions: DeployedFunctionRow[], deployedAt: string | null) {
    return integrations
        .map((integration) => {
            const own = functions.filter((f) => f.integrationKey === integration.uniqueKey);
            return {
                providerConfigKey: integration.uniqueKey,
                provider: integration.provider,
                syncs: own.filter((f) => f.type === 'sync').map((f) => syncEntry(f, deployedAt)),
                actions: own.filter((f) => f.type === 'action').map((f) => actionEntry(f, deployedAt)),
                'on-events': own.filter((f) => f.type === 'on-event').map((f) => ({ name: f.name, event: f.config.event, description: f.config.description ?? '', version: f.config.version ?? '' }))
            };
        })
        .filter((entry) => entry.syncs.length + entry.actions.length + entry['on-events'].length > 0);
}

function syncEntry(f: DeployedFunctionRow, deployedAt: string | null) {
    const c = f.config;
    const models = (c.models ?? {}) as Record<string, Config>;
    return {
        name: f.name,
        type: 'sync',
        description: c.description ?? '',
        version: c.version ?? '',
        runs: c.frequency,
        auto_start: c.auto_start === true,
        sync_type: c.sync_type ?? 'full',
        track_deletes: c.track_deletes === true,
        returns: Object.keys(models),
        models: Object.entries(models).map(([name, schema]) => ({ name, fields: fieldsOf(schema) })),
        input: c.metadata ? `SyncMetadata_${f.integrationKey}_${f.name}` : null,
        endpoints: c.endpoints ?? [],
        scopes: c.scopes ?? [],
        webhookSubscriptions: c.webhook_subscriptions ?? [],
        enabled: true,
        last_deployed: deployedAt,
        json_schema: { definitions: { ...models, ...(c.metadata ? { [`SyncMetadata_${f.integrationKey}_${f.name}`]: c.metadata } : {}) } }
    };
}

function actionEntry(f: DeployedFunctionRow, deployedAt: string | null) {
    const c = f.config;
    const inputModel = `ActionInput_${f.integrationKey}_${f.name}`;
    const outputModel = `ActionOutput_${f.integrationKey}_${f.name}`;
    return {
        name: f.name,
        type: 'action',
        description: c.description ?? '',
        version: c.version ?? '',
        input: c.input ? inputModel : null,
        returns: c.output ? [outputModel] : [],
        endpoint: c.endpoint ?? null,
        scopes: c.scopes ?? [],
        enabled: true,
        last_deployed: deployedAt,
        json_schema: { definitions: { ...(c.input ? { [inputModel]: c.input } : {}), ...(c.output ? { [outputModel]: c.output } : {}) } }
    };
}

/** Top-level fields of an object schema, as `{name, type}` pairs. */
function fieldsOf(schema: Config): { name: string; type: string }[] {
    const properties = (schema.properties ?? {}) as Record<string, Config>;
    return Object.entries(properties).map(([name, field]) => ({ name, type: typeName(field) }));
}

function typeName(field: Config): string {
    if (typeof field.type === 'string') return field.type;
    if (Array.isArray(field.type)) return field.type.join(' | ');
    const options = (field.anyOf ?? field.oneOf) as Config[] | undefined;
    return options ? options.map(typeName).join(' | ') : 'unknown';
}

/**
 * `GET /scripts/config?format=openai`: the actions as tool definitions an LLM can call; the
 * parameters are the action's input JSON Schema (an object, as tools require).
 */
export function openAiTools(functions: DeployedFunctionRow[]) {
    return functions
        .filter((f) => f.type === 'action')
        .map((f) => ({
            name: f.name,
            description: String(f.config.description ?? ''),
            parameters: toolParameters(f.config.input as Config | undefined)
        }));
}

function toolParameters(input: Config | undefined): Config {
    if (input?.type === 'object') return input;
    // A scalar or absent input: tools take an object, so a non-object input is wrapped as `input`.
    return input ? { type: 'object', properties: { input }, required: ['input'] } : { type: 'object', properties: {} };
}
