import { type IntegrationRow, openCredentials } from '../integrations/integrations.js';
import type { Credentials } from '../connections/credentials.js';
import { ApiError } from '../http/api-error.js';
import { netsuiteRealm } from './netsuite-account.js';
import { oauth1Authorization } from './oauth1-signature.js';
import type { UpstreamTarget } from './upstream-request.js';

export interface Consumer {
    key: string;
    secret: string;
}

/** Credentials that sign each request rather than carry a bearer token. */
export const signsRequests = (c: Credentials): c is Extract<Credentials, { type: 'OAUTH1' | 'TBA' }> => c.type === 'OAUTH1' || c.type === 'TBA';

/**
 * The consumer key and secret that sign a connection's requests: the integration's, or for TBA
 * the per-connection override the end user gave. Undefined for credentials that don't sign.
 */
export async function signingConsumer(env: Env, integration: IntegrationRow, credentials: Credentials): Promise<Consumer | undefined> {
    if (!signsRequests(credentials)) return undefined;
    if (credentials.type === 'TBA' && credentials.config_override) return { key: credentials.config_override.client_id, secret: credentials.config_override.client_secret };
    return integrationConsumer(env, integration, credentials.type);
}

/** The integration's consumer key and secret (its `OAUTH1` or `TBA` credentials), with the scopes it asks for. */
export async function integrationConsumer(env: Env, integration: IntegrationRow, type: 'OAUTH1' | 'TBA'): Promise<Consumer & { scopes?: string | undefined }> {
    const app = await openCredentials(env, integration);
    if (app?.type !== type) {
        throw new ApiError(400, 'missing_oauth_client', `Integration "${integration.uniqueKey}" has no consumer key and secret; add them with PATCH /integrations`);
    }
    return { key: app.client_id, secret: app.client_secret, scopes: app.scopes };
}

/** The `Authorization` header of one request, signed per RFC 5849 with the connection's token. */
export async function signedAuthorization(target: UpstreamTarget, method: string, url: URL, formBody: string | null): Promise<string> {
    const c = target.credentials;
    if (!signsRequests(c) || !target.consumer) throw new Error('signedAuthorization needs signing credentials and their consumer');
    const common = { method, url: url.toString(), formBody, consumer: target.consumer };
    if (c.type === 'OAUTH1') {
        return oauth1Authorization({ ...common, token: { key: c.oauth_token, secret: c.oauth_token_secret }, signatureMethod: target.provider.oauth?.signature_method ?? 'HMAC-SHA1' });
    }
    const accountId = target.connectionConfig['accountId'];
    if (typeof accountId !== 'string' || !accountId) throw new ApiError(400, 'missing_connection_config', 'Token-based auth needs the connection config accountId');
    return oauth1Authorization({ ...common, token: { key: c.token_id, secret: c.token_secret }, signatureMethod: 'HMAC-SHA256', realm: netsuiteRealm(accountId) });
}
