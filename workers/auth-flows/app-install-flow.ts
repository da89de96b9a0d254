import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { publicBaseUrl } from '../http/public-url.js';
import { openCredentials } from '../integrations/integrations.js';
import { integrationAppKey, mintInstallationToken } from '../oauth/app-installation-token.js';
import { assertUpstreamUrl } from '../oauth/egress.js';
import { providerUrl } from '../oauth/provider-urls.js';
import { TokenRequestError } from '../oauth/token-request.js';
import type { AuthAttempt } from './auth-attempt.js';
import type { OAuthSessionPayload } from './oauth-sessions.js';
import { APP_SETUP_PATH, CALLBACK_PATH, type CallbackQuery, type FlowResult, type FlowStart } from './popup-flow.js';

/**
 * A GitHub App installation: the user installs the app on their account or organization, and
 * GitHub sends them to the app's setup URL (`/app-auth/connect`) with the installation id and our
 * state. The app's public link (the integration's `app_link`) fills `${connectionConfig.appPublicLink}`.
 */
export async function beginAppInstall(c: Context<AppEnv>, attempt: AuthAttempt): Promise<FlowStart> {
    const app = await openCredentials(c.env, attempt.integration);
    if (app?.type !== 'APP') {
        throw new ApiError(400, 'missing_app_credentials', `Integration "${attempt.integration.uniqueKey}" has no app id, link and private key; add them with PATCH /integrations`);
    }
    const payload: OAuthSessionPayload = {
        mode: 'APP',
        connectionId: attempt.connectionId,
        reconnecting: attempt.reconnecting,
        redirectUri: publicBaseUrl(c) + APP_SETUP_PATH,
        connectionConfig: attempt.connectionConfig
    };
    const config = { ...attempt.connectionConfig, appPublicLink: app.app_link.replace(/\/+$/, '') };
    const location = (state: string) => {
        const url = assertUpstreamUrl(providerUrl(attempt.provider.provider.oauth!.authorization_url!, { connectionConfig: config }, 'installation URL'), c.env);
        url.searchParams.set('state', state);
        return url.toString();
    };
    // GitHub returns to the setup URL; an app whose setup URL is the OAuth callback works too.
    return { payload, location, returnPaths: [APP_SETUP_PATH, CALLBACK_PATH] };
}

/** The installation exists: mint its first token, which also proves the app's key and id work. */
export async function completeAppInstall(env: Env, attempt: AuthAttempt, payload: OAuthSessionPayload, query: CallbackQuery): Promise<FlowResult> {
    const installationId = query['installation_id'];
    if (!installationId) {
        const why = query['setup_action'] === 'request' ? 'an organization owner must approve the installation request first' : 'no installation_id';
        throw new ApiError(400, 'oauth_error', `The app was not installed: ${why}`);
    }
    if (!/^\d+$/.test(installationId)) throw new ApiError(400, 'oauth_error', 'The installation_id is not a number');
    const app = await integrationAppKey(env, attempt.integration).catch(asOAuthError);
    const config = { installation_id: installationId, app_id: app.appId };
    const credentials = await mintInstallationToken(env, attempt.provider.provider, app, { ...payload.connectionConfig, ...config }).catch(asOAuthError);
    return { credentials, config };
}

function asOAuthError(error: unknown): never {
    throw error instanceof TokenRequestError ? new ApiError(400, 'oauth_error', error.message) : error;
}
