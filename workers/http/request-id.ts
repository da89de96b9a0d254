import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

// An incoming id is kept only if it is harmless to echo and to log.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Tags every request and response with an id that also appears in the operation log. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', id);
    // Set before next() so responses built by handlers and by onError both carry it.
    c.header('x-request-id', id);
    await next();
};
