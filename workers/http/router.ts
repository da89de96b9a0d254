import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { validationHook } from './validation.js';

/**
 * Every router validates with zod and reports failures in the error envelope. `strict: false`
 * makes `/records/` match `/records`, as the Nango Node client calls some routes with a slash.
 */
export function createRouter() {
    return new OpenAPIHono<AppEnv>({ defaultHook: validationHook, strict: false });
}
