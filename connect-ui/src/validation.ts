import { t } from './i18n/strings.js';
import type { ProviderField } from './types.js';

const FORMATS: Record<NonNullable<ProviderField['format']>, { test: (value: string) => boolean; message: () => string }> = {
    email: { test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), message: () => t('validation.email') },
    hostname: {
        test: (v) => v.length <= 253 && /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(v),
        message: () => t('validation.hostname')
    },
    uri: { test: (v) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) && parses(v), message: () => t('validation.uri') },
    uuid: { test: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), message: () => t('validation.uuid') }
};

/** The message to show for this value, or null when it is acceptable. */
export function validate(field: ProviderField, rawValue: string): string | null {
    const value = field.secret ? rawValue : rawValue.trim();
    if (value.trim() === '') return field.optional ? null : t('validation.required');
    if (field.enum && !field.enum.includes(value)) return t('validation.required');
    if (field.pattern && !matches(field.pattern, value)) {
        return field.example ? t('validation.patternExample', { example: field.example }) : t('validation.pattern');
    }
    if (field.format && !FORMATS[field.format].test(value)) return FORMATS[field.format].message();
    return null;
}

/** The schema says patterns are anchored by the form, so `[a-z]+` must match the whole value. */
function matches(pattern: string, value: string): boolean {
    try {
        return new RegExp(`^(?:${pattern})$`).test(value);
    } catch {
        // An invalid pattern is the catalogue's bug; it must not lock the user out.
        return true;
    }
}

function parses(url: string): boolean {
    try {
        new URL(url);
        return true;
    } catch {
        return false;
    }
}
