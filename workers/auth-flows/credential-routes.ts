import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuthMode } from '../../providers/schema.js';
import type { Credentials } from '../connections/credentials.js';
import type { AppEnv } from '../http/app-env.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { toApiError } from '../http/error-envelope.js';
import { commonErrors, json, jsonBody, notFoundError } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { logOperation } from '../operations/operation-middleware.js';
import { OAUTH_CLIENT_CREDENTIALS_LIFETIME_MS, requestToken, TokenRequestError } from '../oauth/token-request.js';
import { parseTokenResponse } from '../oauth/token-response.js';
import { signingConsumer } from '../upstream/request-signing.js';
import { verifyCredentials } from '../upstream/verify-credentials.js';
import { type AuthAttempt, resolveAuthAttempt } from './auth-attempt.js';
import { validateFields } from './field-input.js';
import { reportFailedCreation, saveAuthorization } from './save-authorization.js';

const keyParam = z.object({ providerConfigKey: z.string().min(1) });
const sessionQuery = z.object({ connect_session_token: z.string().optional() }).catchall(z.string());
const resultSchema = z.object({ connectionId: z.string(), providerConfigKey: z.string() }).openapi('AuthResult');
const sessionInQuery = [{ connectSessionTokenQuery: [] }];

/**
 * The non-popup flows: the end user typed credentials (in the Connect UI or through the frontend
 * SDK's `auth()`). They are proven against the provider before anything is stored; on any
 * failure nothing is saved.
 */
async function authorize(c: Context<AppEnv>, key: string, mode: AuthMode, obtain: (attempt: AuthAttempt) => Promise<Credentials>) {
    const attempt = await resolveAuthAttempt(c, key, [mode]);
    let credentials: Credentials;
    try {
        credentials = await obtain(attempt);
        await verifyCredentials(c.env, {
            provider: attempt.provider.provider,
            credentials,
            connectionConfig: attempt.connectionConfig,
            consumer: await signingConsumer(c.env, attempt.integration, credentials)
        });
    } catch (error) {
        const apiError = toApiError(error) ?? new ApiError(400, 'connection_test_failed', (error as Error).message);
        await reportFailedCreation(c, attempt, { type: apiError.code, description: apiError.message });
        throw apiError;
    }
    try {
        const ref = await saveAuthorization(c, attempt, credentials);
        return { connectionId: ref.row.connectionId, providerConfigKey: attempt.integration.uniqueKey };
    } catch (error) {
        // The connection's validation functions rejected it, or storing it failed.
        const apiError = toApiError(error);
        if (apiError) await reportFailedCreation(c, attempt, { type: apiError.code, description: apiError.message });
        throw error;
    }
}

function credentialRoute<B extends z.ZodType>(path: string, summary: string, action: string, body: B) {
    return createRoute({
        method: 'post',
        path,
        tags: ['Auth'],
        summary,
        security: sessionInQuery,
        middleware: [logOperation('auth', action)] as const,
        request: { params: keyParam, query: sessionQuery, body: jsonBody(body) },
        responses: { 200: json(resultSchema, 'The connection was created'), ...commonErrors, ...notFoundError }
    });
}

export const credentialRoutes = createRouter();

/**
 * The typed credentials, checked against the provider's credential fields. Fields the provider
 * declares beyond the auth mode's own (Datadog's `appKey`) are kept; undeclared ones are refused.
 */
function declaredCredentials(attempt: AuthAttempt, body: Record<string, string>, own: string[]): Record<string, string> {
    const fields = attempt.provider.provider.credentials ?? {};
    const undeclared = Object.keys(body).filter((k) => !own.includes(k) && !Object.hasOwn(fields, k));
    if (undeclared.length) {
        throw badRequest('invalid_body', `This provider takes no credential named ${undeclared.join(', ')}`, undeclared.map((k) => ({ code: 'unrecognized_key', message: 'Not a credential of this provider', path: [k] })));
    }
    return validateFields(fields, body, 'credentials', 'invalid_credentials') as Record<string, string>;
}

credentialRoutes.openapi(
    credentialRoute('/api-auth/api-key/{providerConfigKey}', 'Connect with an API key', 'api_key', z.object({ apiKey: z.string().min(1) }).catchall(z.string())),
    async (c) => {
        const body = c.req.valid('json');
        const result = await authorize(c, c.req.valid('param').providerConfigKey, 'API_KEY', async (attempt) => ({
            ...declaredCredentials(attempt, body, ['apiKey']),
            type: 'API_KEY',
            apiKey: body.apiKey
        }));
        return c.json(result, 200);
    }
);

credentialRoutes.openapi(
    credentialRoute(
        '/api-auth/basic/{providerConfigKey}',
        'Connect with a username and password',
        'basic',
        // Some providers take an API key as the username and no password.
        z.object({ username: z.string().min(1), password: z.string() }).catchall(z.string())
    ),
    async (c) => {
        const body = c.req.valid('json');
        const result = await authorize(c, c.req.valid('param').providerConfigKey, 'BASIC', async (attempt) => ({
            ...declaredCredentials(attempt, body, ['username', 'password']),
            type: 'BASIC',
            username: body.username,
            password: body.password
        }));
        return c.json(result, 200);
    }
);

credentialRoutes.openapi(
    credentialRoute(
        '/oauth2/auth/{providerConfigKey}',
        'Connect with OAuth 2 client credentials',
        'client_credentials',
        z.strictObject({
            client_id: z.string().min(1),
            client_secret: z.string().min(1),
            client_certificate: z.string().optional(),
            client_private_key: z.string().optional()
        })
    ),
    async (c) => {
        const body = c.req.valid('json');
        const result = await authorize(c, c.req.valid('param').providerConfigKey, 'OAUTH2_CC', async (attempt) => {
            const provider = attempt.provider.provider;
            const scope = (provider.oauth?.default_scopes ?? []).join(provider.oauth?.scope_separator ?? ' ');
            let raw: Record<string, unknown>;
            try {
                raw = await requestToken(
                    c.env,
                    provider,
                    { clientId: body.client_id, clientSecret: body.client_secret },
                    { grant_type: 'client_credentials', ...(scope && { scope }) },
                    attempt.connectionConfig
                );
            } catch (error) {
                if (error instanceof TokenRequestError) throw new ApiError(400, 'connection_test_failed', error.message);
                throw error;
            }
            const token = parseTokenResponse(provider, raw);
            return {
                type: 'OAUTH2_CC',
                token: token.accessToken,
                // Without an expiry, assume the common lifetime so the token is renewed in time.
                expires_at: token.expiresAt ?? new Date(Date.now() + OAUTH_CLIENT_CREDENTIALS_LIFETIME_MS).toISOString(),
                client_id: body.client_id,
                client_secret: body.client_secret,
                ...(body.client_certificate && { client_certificate: body.client_certificate }),
                ...(body.client_private_key && { client_private_key: body.client_private_key }),
                raw
            };
        });
        return c.json(result, 200);
    }
);

credentialRoutes.openapi(
    credentialRoute(
        '/auth/tba/{providerConfigKey}',
        'Connect with a NetSuite token (token-based authentication)',
        'tba',
        z.strictObject({
            token_id: z.string().min(1),
            token_secret: z.string().min(1),
            // A consumer of the end user's own, instead of the integration's.
            oauth_client_id_override: z.string().min(1).optional(),
            oauth_client_secret_override: z.string().min(1).optional()
        })
    ),
    async (c) => {
        const body = c.req.valid('json');
        if (!body.oauth_client_id_override !== !body.oauth_client_secret_override) {
            throw badRequest('invalid_body', 'oauth_client_id_override and oauth_client_secret_override go together', [
                { code: 'required', message: 'Both overrides or neither', path: [body.oauth_client_id_override ? 'oauth_client_secret_override' : 'oauth_client_id_override'] }
            ]);
        }
        const result = await authorize(c, c.req.valid('param').providerConfigKey, 'TBA', async () => ({
            type: 'TBA',
            token_id: body.token_id,
            token_secret: body.token_secret,
            ...(body.oauth_client_id_override && body.oauth_client_secret_override && { config_override: { client_id: body.oauth_client_id_override, client_secret: body.oauth_client_secret_override } })
        }));
        return c.json(result, 200);
    }
);
