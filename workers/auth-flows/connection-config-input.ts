import type { Provider, ProviderField } from '../../providers/schema.js';
import { badRequest, type FieldError } from '../http/api-error.js';

const FORMATS: Record<NonNullable<ProviderField['format']>, RegExp> = {
    hostname: /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    uri: /^https?:\/\/[^\s]+$/,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/
};

/**
 * Checks the connection config an end user supplied against the provider's fields: required
 * fields present, enums, patterns and formats respected, defaults filled in. Values the provider
 * captures itself (`automated`) are not asked for.
 */
export function validateConnectionConfig(provider: Provider, input: Record<string, unknown>, source: string): Record<string, unknown> {
    const config: Record<string, unknown> = { ...input };
    const errors: FieldError[] = [];
    for (const [key, field] of Object.entries(provider.connection_config ?? {})) {
        if (field.automated) continue;
        let value = config[key];
        if ((value === undefined || value === '') && field.default_value !== undefined) value = config[key] = field.default_value;
        if (value === undefined || value === '') {
            if (!field.optional) errors.push({ code: 'required', message: `${field.title} is required`, path: [source, key] });
            continue;
        }
        const text = String(value);
        if (field.enum && !field.enum.includes(text)) errors.push({ code: 'invalid_enum_value', message: `${field.title} must be one of ${field.enum.join(', ')}`, path: [source, key] });
        if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(text)) errors.push({ code: 'invalid_format', message: `${field.title} has an invalid format`, path: [source, key] });
        if (field.format && !FORMATS[field.format].test(text)) errors.push({ code: 'invalid_format', message: `${field.title} must be a valid ${field.format}`, path: [source, key] });
    }
    if (errors.length) throw badRequest('invalid_connection_config', errors.map((e) => e.message).join('; '), errors);
    return config;
}
