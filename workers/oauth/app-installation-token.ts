import type { Provider } from '../../providers/schema.js';
import type { Credentials } from '../connections/credentials.js';
import { importRsaPrivateKey, signRs256Jwt } from '../crypto/rs256-jwt.js';
import { type IntegrationRow, openCredentials } from '../integrations/integrations.js';
import { assertUpstreamUrl } from './egress.js';
import { providerUrl } from './provider-urls.js';
import { TokenRequestError } from './token-request.js';

/** A GitHub App: its id and the private key that signs its JWTs. */
export interface AppKey {
    appId: string;
    privateKey: string;
}

const TIMEOUT_MS = 30_000;

/** The integration's app; a refresh without one cannot work again until the developer adds it. */
export async function integrationAppKey(env: Env, integration: IntegrationRow): Promise<AppKey> {
    const credentials = await openCredentials(env, integration);
    if (credentials?.type !== 'APP') throw new TokenRequestError(`Integration "${integration.uniqueKey}" has no app id and private key`, null, 'invalid_client');
    return { appId: credentials.app_id, privateKey: credentials.private_key };
}

/**
 * The app's JWT, as GitHub wants it: issued a minute in the past against clock drift, valid for
 * nine minutes (GitHub refuses more than ten).
 */
async function appJwt(app: AppKey): Promise<string> {
    let key: CryptoKey;
    try {
        key = await importRsaPrivateKey(app.privateKey);
    } catch (error) {
        throw new TokenRequestError(`The app's private key cannot be used: ${(error as Error).message}`, null, 'invalid_client');
    }
    const now = Math.floor(Date.now() / 1000);
    return signRs256Jwt(key, { iat: now - 60, exp: now + 9 * 60, iss: app.appId });
}

/**
 * Mints an installation access token (about an hour) at the provider's token URL, filled with the
 * connection's `installation_id`. Minting again is how these credentials refresh.
 */
export async function mintInstallationToken(
    env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string },
    provider: Provider,
    app: AppKey,
    connectionConfig: Record<string, unknown>
): Promise<Extract<Credentials, { type: 'APP' }>> {
    const url = assertUpstreamUrl(providerUrl(provider.oauth!.token_url, { connectionConfig }, 'installation token URL'), env);
    const headers = { accept: 'application/vnd.github+json', authorization: `Bearer ${await appJwt(app)}`, 'user-agent': 'Spoke' };
    let res: Response;
    try {
        res = await fetch(url, { method: 'POST', headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
        throw new TokenRequestError(`The installation token endpoint could not be reached: ${(error as Error).message}`, null, null);
    }
    const raw = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof raw['token'] !== 'string') {
        const message = typeof raw['message'] === 'string' ? `: ${raw['message'].slice(0, 300)}` : '';
        // 401: the app's key or id is wrong; 404: the installation is gone. Neither heals by retrying.
        const error = res.status === 401 ? 'invalid_client' : res.status === 404 ? 'invalid_grant' : null;
        throw new TokenRequestError(`The provider refused an installation token (HTTP ${res.status}${message})`, res.status, error);
    }
    const expiresAt = typeof raw['expires_at'] === 'string' ? new Date(raw['expires_at']) : null;
    return { type: 'APP', access_token: raw['token'], ...(expiresAt && !Number.isNaN(expiresAt.getTime()) && { expires_at: expiresAt.toISOString() }), raw };
}
