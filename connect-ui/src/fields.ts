// Which inputs a provider's form has, and which values the auth call receives.
import { t } from './i18n/strings.js';
import type { IntegrationDefaults, Provider, ProviderField } from './types.js';

export type FieldGroup = 'credentials' | 'connection_config';

export interface FieldSpec {
    /** `group.key`, unique within a form. */
    id: string;
    group: FieldGroup;
    key: string;
    field: ProviderField;
}

export interface FieldModel {
    /** What the user fills in, in display order. */
    inputs: FieldSpec[];
    /** `hidden` fields: never shown, always sent with their default value. */
    fixed: FieldSpec[];
}

export interface CollectedValues {
    credentials: Record<string, string>;
    params: Record<string, string>;
}

/** The credentials every provider of an auth mode has, whether or not its entry declares them. */
function baseCredentials(authMode: string): Record<string, ProviderField> {
    switch (authMode) {
        case 'API_KEY':
            return { apiKey: { title: t('field.apiKey'), secret: true } };
        case 'BASIC':
            return { username: { title: t('field.username') }, password: { title: t('field.password'), secret: true } };
        case 'OAUTH2_CC':
            return { client_id: { title: t('field.client_id') }, client_secret: { title: t('field.client_secret'), secret: true } };
        case 'TBA':
            return { token_id: { title: t('field.token_id') }, token_secret: { title: t('field.token_secret'), secret: true } };
        default:
            return {};
    }
}

/**
 * The form for a provider. Automated fields are the platform's to fill, and connection-config
 * values the session preconfigures are applied by the server, so neither is asked for.
 */
export function fieldModel(provider: Provider, defaults: IntegrationDefaults | undefined, withCredentials: boolean): FieldModel {
    const preconfigured = defaults?.connection_config ?? {};
    const specs: FieldSpec[] = [];
    for (const [key, field] of Object.entries(provider.connection_config ?? {})) {
        if (!(key in preconfigured)) specs.push({ id: `connection_config.${key}`, group: 'connection_config', key, field });
    }
    if (withCredentials) {
        const base = baseCredentials(provider.auth_mode);
        for (const key of new Set([...Object.keys(base), ...Object.keys(provider.credentials ?? {})])) {
            specs.push({ id: `credentials.${key}`, group: 'credentials', key, field: { ...base[key], ...provider.credentials?.[key] } as ProviderField });
        }
    }
    const kept = specs.filter((spec) => !spec.field.automated);
    const inputs = kept.filter((spec) => !spec.field.hidden);
    // Fields without `order` go last, in declaration order (the sort is stable; Infinity − Infinity is NaN).
    inputs.sort((a, b) => (a.field.order ?? Infinity) - (b.field.order ?? Infinity) || 0);
    return { inputs, fixed: kept.filter((spec) => spec.field.hidden) };
}

/**
 * Splits the form's values into the credentials body and the `params` query. Credentials are
 * always sent (the routes expect every key, e.g. BASIC's password may be empty); empty
 * connection-config values are left out. Secrets are sent exactly as typed.
 */
export function collectValues(model: FieldModel, values: Record<string, string>): CollectedValues {
    const collected: CollectedValues = { credentials: {}, params: {} };
    for (const spec of model.fixed) add(spec, spec.field.default_value ?? '');
    for (const spec of model.inputs) {
        const raw = values[spec.id] ?? '';
        add(spec, spec.field.secret ? raw : raw.trim());
    }
    return collected;

    function add(spec: FieldSpec, value: string): void {
        if (spec.group === 'credentials') collected.credentials[spec.key] = value;
        else if (value !== '') collected.params[spec.key] = value;
    }
}

/** The starting value of each input: what the user typed before, else the field's default. */
export function initialValues(model: FieldModel, previous: Record<string, string> = {}): Record<string, string> {
    const values: Record<string, string> = {};
    for (const spec of model.inputs) values[spec.id] = previous[spec.id] ?? spec.field.default_value ?? '';
    return values;
}
