import type { Provider } from '../../providers/schema.js';

/**
 * Splits a connection config into the part the D1 index may hold and the fields the provider marks
 * secret, which are stored encrypted in the ConnectionDO with the credentials.
 */
export function splitConnectionConfig(provider: Provider, config: Record<string, unknown>) {
    const secretFields = new Set(Object.entries(provider.connection_config ?? {}).flatMap(([key, field]) => (field.secret ? [key] : [])));
    const publicConfig: Record<string, unknown> = {};
    const secretConfig: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        (secretFields.has(key) ? secretConfig : publicConfig)[key] = value;
    }
    return { publicConfig, secretConfig };
}
