import type { AuthOptions } from './types.js';

const OVERRIDE_KEYS = ['oauth_client_id_override', 'oauth_client_secret_override', 'oauth_refresh_token_override'] as const;

/**
 * The query string shared by every auth route. Brackets stay literal (`params[subdomain]=acme`)
 * because that is the documented form; keys and values are encoded.
 */
export function authQuery(sessionToken: string, connectionId: string | null, options: AuthOptions): string {
    const parts = [`connect_session_token=${encodeURIComponent(sessionToken)}`];
    if (connectionId) parts.push(`connection_id=${encodeURIComponent(connectionId)}`);
    for (const [key, value] of Object.entries(options.params ?? {})) {
        if (typeof value === 'string') parts.push(`params[${encodeURIComponent(key)}]=${encodeURIComponent(value)}`);
    }
    if (options.user_scope?.length) parts.push(`user_scope=${encodeURIComponent(options.user_scope.join(','))}`);
    for (const [key, value] of Object.entries(options.authorization_params ?? {})) {
        if (typeof value === 'string') parts.push(`authorization_params[${encodeURIComponent(key)}]=${encodeURIComponent(value)}`);
    }
    const credentials: Record<string, unknown> = { ...options.credentials };
    for (const key of OVERRIDE_KEYS) {
        const value = credentials[key];
        if (typeof value === 'string') parts.push(`credentials[${key}]=${encodeURIComponent(value)}`);
    }
    return '?' + parts.join('&');
}
