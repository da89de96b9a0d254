import type { MiddlewareHandler } from 'hono';
import { secretsEqual } from '../crypto/hashing.js';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { bearerToken } from './bearer-token.js';

/** Operator routes authenticate with the SPOKE_ADMIN_SECRET deployment secret. */
export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
    const configured = c.env.SPOKE_ADMIN_SECRET;
    if (!configured) throw new ApiError(403, 'admin_disabled', 'Admin routes are disabled: SPOKE_ADMIN_SECRET is not set');
    if (!(await secretsEqual(bearerToken(c), configured))) {
        throw new ApiError(401, 'invalid_admin_secret', 'Authentication failed: wrong admin secret');
    }
    await next();
};
