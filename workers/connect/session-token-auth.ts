import type { Context, MiddlewareHandler } from 'hono';
import { database } from '../db.js';
import { bearerToken } from '../environments/bearer-token.js';
import { authenticateSecretKey } from '../environments/secret-key-auth.js';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { findLiveSession, isSessionToken, SESSION_TOKEN_FORMAT } from './connect-sessions.js';

export async function authenticateSessionToken(c: Context<AppEnv>, token: string | undefined): Promise<void> {
    if (!token) throw new ApiError(401, 'missing_connect_session_token', 'Authentication failed: no connect session token');
    if (!SESSION_TOKEN_FORMAT.test(token)) {
        throw new ApiError(401, 'invalid_connect_session_token_format', 'Authentication failed: malformed connect session token');
    }
    const found = await findLiveSession(database(c.env), token);
    if (!found) throw new ApiError(401, 'unknown_connect_session_token', 'Authentication failed: the connect session is unknown or has expired');
    c.set('environment', found.environment);
    c.set('connectSession', found.session);
}

/** Routes for the Connect UI itself (`/connect/session`): a session token and nothing else. */
export const sessionTokenAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
    await authenticateSessionToken(c, bearerToken(c));
    await next();
};

// What a browser holding a session token may read, besides its own session.
const SESSION_TOKEN_ROUTES: { method: string; path: RegExp }[] = [
    { method: 'GET', path: /^\/integrations\/?$/ },
    { method: 'GET', path: /^\/providers\/[^/]+\/?$/ }
];

/**
 * The API's authentication: an environment's secret key, or, on the few routes the Connect UI
 * reads, a connect session token.
 */
export const apiAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
    const token = bearerToken(c);
    if (isSessionToken(token)) {
        if (!SESSION_TOKEN_ROUTES.some((r) => r.method === c.req.method && r.path.test(c.req.path))) {
            throw new ApiError(403, 'forbidden', 'A connect session token cannot call this route; use a secret key');
        }
        await authenticateSessionToken(c, token);
    } else {
        await authenticateSecretKey(c, token);
    }
    await next();
};
