import { credentialPlaceholder } from '../host-contract.js';
import type { Credentials } from '../../workers/connections/credentials.js';
import { isSecretCredentialField } from '../../workers/proxy/secret-values.js';

// The integration's credential fields a function may see as they are; the others are secrets.
const VISIBLE_INTEGRATION_FIELDS = new Set(['type', 'client_id', 'scopes', 'app_id', 'app_link']);

/** A connection's credentials as a function sees them: secrets replaced by placeholders, the raw token response dropped. */
export function credentialsView(credentials: Credentials): Record<string, unknown> {
    const view: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(credentials)) {
        if (field === 'config_override') continue;
        if (field === 'raw') view[field] = {};
        else view[field] = isSecretCredentialField(field, value) ? credentialPlaceholder(field) : value;
    }
    return view;
}

/**
 * An integration's app credentials as a function sees them: secrets (client secret, webhook secret,
 * private key) as placeholders, which are never filled: the platform runs the flows that need them.
 */
export function integrationCredentialsView(credentials: Record<string, string | null>): Record<string, string | null> {
    return Object.fromEntries(
        Object.entries(credentials).map(([field, value]) => [field, value === null || VISIBLE_INTEGRATION_FIELDS.has(field) ? value : credentialPlaceholder(`integration.${field}`)])
    );
}
