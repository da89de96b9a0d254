import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

/** The platform's public base URL: SPOKE_SERVER_URL when set (custom domains), else the request's origin. */
export function publicBaseUrl(c: Context<AppEnv>): string {
    const configured = c.env.SPOKE_SERVER_URL?.replace(/\/+$/, '');
    return configured || new URL(c.req.url).origin;
}
