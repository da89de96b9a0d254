import type { AuthOptions } from './types.js';

export interface CredentialRoute {
    path: string;
    body: Record<string, string>;
}

/** True when the credentials only override the OAuth app, so the pop-up flow still applies (a TBA token may override its consumer too). */
export function isOAuthOverride(credentials: NonNullable<AuthOptions['credentials']>): boolean {
    return !('token_id' in credentials) && ('oauth_client_id_override' in credentials || 'oauth_client_secret_override' in credentials);
}

/**
 * Picks the non-pop-up route from the shape of the credentials, as @nangohq/frontend does.
 * Returns null for shapes this platform has no route for.
 */
export function credentialRoute(integrationKey: string, credentials: NonNullable<AuthOptions['credentials']>): CredentialRoute | null {
    const key = encodeURIComponent(integrationKey);
    const c: Record<string, unknown> = { ...credentials };
    const text = (name: string): string => (typeof c[name] === 'string' ? (c[name] as string) : '');
    if ('apiKey' in c) return { path: `/api-auth/api-key/${key}`, body: { apiKey: text('apiKey') } };
    if ('username' in c || 'password' in c) {
        return { path: `/api-auth/basic/${key}`, body: { username: text('username'), password: text('password') } };
    }
    if ('token_id' in c || 'token_secret' in c) {
        const overrides = ['oauth_client_id_override', 'oauth_client_secret_override'].filter((k) => typeof c[k] === 'string');
        return { path: `/auth/tba/${key}`, body: { token_id: text('token_id'), token_secret: text('token_secret'), ...Object.fromEntries(overrides.map((k) => [k, text(k)])) } };
    }
    if ('client_id' in c && 'client_secret' in c) {
        return { path: `/oauth2/auth/${key}`, body: { client_id: text('client_id'), client_secret: text('client_secret') } };
    }
    return null;
}
