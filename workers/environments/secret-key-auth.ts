import type { Context } from 'hono';
import { database } from '../db.js';
import type { AppEnv } from '../http/app-env.js';
import { ApiError } from '../http/api-error.js';
import { findEnvironmentBySecretKey, UUID } from './environments.js';

/** The secret key alone selects the environment; there is no environment header. */
export async function authenticateSecretKey(c: Context<AppEnv>, key: string): Promise<void> {
    if (!UUID.test(key)) throw new ApiError(401, 'invalid_secret_key_format', 'Authentication failed: the secret key must be a UUID');
    const environment = await findEnvironmentBySecretKey(database(c.env), key);
    if (!environment) throw new ApiError(401, 'unknown_account', 'Authentication failed: no environment has this secret key');
    c.set('environment', environment);
}
