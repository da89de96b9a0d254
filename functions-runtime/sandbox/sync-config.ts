// `nango.syncConfig`: the deployed function's configuration in the shape Nango's functions read
// (its sync config row), built from what `spoke compile` produced.
import type { SyncConfig } from '../sdk/nango.js';
import type { ScriptType } from './nango-action.js';

const TYPE: Record<ScriptType, SyncConfig['type']> = { sync: 'sync', webhook: 'sync', action: 'action', 'on-event': 'on-event' };

export function syncConfigOf(name: string, config: Record<string, unknown>, scriptType: ScriptType): SyncConfig {
    const models = (config['models'] ?? {}) as Record<string, unknown>;
    const schemas: Record<string, unknown> = { ...models };
    if (config['input'] !== undefined) schemas['input'] = config['input'];
    if (config['output'] !== undefined) schemas['output'] = config['output'];
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    return {
        sync_name: name,
        type: TYPE[scriptType],
        version: text(config['version']),
        runs: text(config['frequency']),
        auto_start: config['auto_start'] === true,
        sync_type: config['sync_type'] === 'full' || config['sync_type'] === 'incremental' ? config['sync_type'] : null,
        track_deletes: config['track_deletes'] === true,
        models: Object.keys(models),
        models_json_schema: Object.keys(schemas).length ? structuredClone(schemas) : null,
        webhook_subscriptions: strings(config['webhook_subscriptions']),
        attributes: {},
        metadata: { description: text(config['description']) ?? '', scopes: strings(config['scopes']) },
        enabled: true
    };
}
