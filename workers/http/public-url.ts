import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

/** The platform's public base URL: SPOKE_SERVER_URL when set (custom domains), else the request's origin. */
export function publicBaseUrl(c: Context<AppEnv>): string {
    return configuredPublicUrl(c.env) ?? new URL(c.req.url).origin;
}

/** SPOKE_SERVER_URL without its trailing slashes; null when unset (work that no request started can't know the URL then). */
export function configuredPublicUrl(env: Env): string | null {
    return env.SPOKE_SERVER_URL?.replace(/\/+$/, '') || null;
}
