import type { ConnectionSecrets, Credentials } from '../workers/connections/credentials.js';
import { openCredentials } from '../workers/integrations/integrations.js';
import { integrationAppKey, mintInstallationToken } from '../workers/oauth/app-installation-token.js';
import { OAUTH_CLIENT_CREDENTIALS_LIFETIME_MS, type OAuthClient, requestToken, TokenRequestError } from '../workers/oauth/token-request.js';
import { parseTokenResponse } from '../workers/oauth/token-response.js';
import type { RefreshContext } from './refresh-context.js';

/**
 * Asks the provider for new credentials. A rotated refresh token replaces the old one; a
 * response without one keeps the old (most providers don't rotate). An app installation gets a
 * new token minted with the app's key.
 */
export async function refreshUpstream(env: Env, ctx: RefreshContext, secrets: ConnectionSecrets): Promise<ConnectionSecrets> {
    const c = secrets.credentials;
    const connectionConfig = { ...ctx.connection.connectionConfig, ...secrets.secretConfig };
    if (c.type === 'OAUTH2' && c.refresh_token) {
        const client = c.config_override?.client_id && c.config_override.client_secret ? { clientId: c.config_override.client_id, clientSecret: c.config_override.client_secret } : await appClient(env, ctx);
        const raw = await requestToken(env, ctx.provider, client, { grant_type: 'refresh_token', refresh_token: c.refresh_token }, connectionConfig);
        const token = parseTokenResponse(ctx.provider, raw);
        const { expires_at: _previous, ...rest } = c;
        const credentials: Credentials = {
            ...rest,
            access_token: token.accessToken,
            refresh_token: token.refreshToken ?? c.refresh_token,
            ...(token.expiresAt && { expires_at: token.expiresAt }),
            raw
        };
        return { ...secrets, credentials };
    }
    if (c.type === 'OAUTH2_CC') {
        const provider = ctx.provider;
        const scope = (provider.oauth?.default_scopes ?? []).join(provider.oauth?.scope_separator ?? ' ');
        const raw = await requestToken(env, provider, { clientId: c.client_id, clientSecret: c.client_secret }, { grant_type: 'client_credentials', ...(scope && { scope }) }, connectionConfig);
        const token = parseTokenResponse(provider, raw);
        const expiresAt = token.expiresAt ?? new Date(Date.now() + OAUTH_CLIENT_CREDENTIALS_LIFETIME_MS).toISOString();
        return { ...secrets, credentials: { ...c, token: token.accessToken, expires_at: expiresAt, raw } };
    }
    if (c.type === 'APP') {
        const credentials = await mintInstallationToken(env, ctx.provider, await integrationAppKey(env, ctx.integration), connectionConfig);
        return { ...secrets, credentials };
    }
    throw new TokenRequestError(`${c.type} credentials cannot be refreshed`, null, 'not_refreshable');
}

async function appClient(env: Env, ctx: RefreshContext): Promise<OAuthClient> {
    const app = await openCredentials(env, ctx.integration);
    if (app?.type !== 'OAUTH2') throw new TokenRequestError(`Integration "${ctx.integration.uniqueKey}" has no OAuth client credentials`, null, 'invalid_client');
    return { clientId: app.client_id, clientSecret: app.client_secret };
}
