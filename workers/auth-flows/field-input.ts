import type { ProviderField } from '../../providers/schema.js';
import { badRequest, type FieldError } from '../http/api-error.js';

const FORMATS: Record<NonNullable<ProviderField['format']>, RegExp> = {
    hostname: /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    uri: /^https?:\/\/[^\s]+$/,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/
};

/**
 * Checks what an end user typed against a provider's form fields (connection config or
 * credentials): required fields present, enums, patterns and formats respected, defaults filled
 * in. Fields the provider fills itself (`automated`) are not asked for.
 */
export function validateFields(fields: Record<string, ProviderField>, input: Record<string, unknown>, source: string, code: string): Record<string, unknown> {
    const values: Record<string, unknown> = { ...input };
    const errors: FieldError[] = [];
    for (const [key, field] of Object.entries(fields)) {
        if (field.automated) continue;
        let value = values[key];
        if ((value === undefined || value === '') && field.default_value !== undefined) value = values[key] = field.default_value;
        if (value === undefined || value === '') {
            if (!field.optional) errors.push({ code: 'required', message: `${field.title} is required`, path: [source, key] });
            continue;
        }
        const text = String(value);
        if (field.enum && !field.enum.includes(text)) errors.push({ code: 'invalid_enum_value', message: `${field.title} must be one of ${field.enum.join(', ')}`, path: [source, key] });
        if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(text)) errors.push({ code: 'invalid_format', message: `${field.title} has an invalid format`, path: [source, key] });
        if (field.format && !FORMATS[field.format].test(text)) errors.push({ code: 'invalid_format', message: `${field.title} must be a valid ${field.format}`, path: [source, key] });
    }
    if (errors.length) throw badRequest(code, errors.map((e) => e.message).join('; '), errors);
    return values;
}
