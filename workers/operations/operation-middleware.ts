import type { MiddlewareHandler } from 'hono';
import { database } from '../db.js';
import type { AppEnv } from '../http/app-env.js';
import { isRejectedInput, toApiError } from '../http/error-envelope.js';
import type { OperationType } from './operation-draft.js';
import { recordOperation } from './operation-log.js';

/**
 * Records the route's outcome in the operation log. Handlers add what they know (integration,
 * connection, details) through `c.var.operation`. Requests refused for bad input are not
 * operations: they changed nothing. The write happens after the response, through
 * waitUntil, so logging never delays or fails the change it describes.
 */
export function logOperation(type: OperationType, action: string): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
        const draft = { type, action };
        c.set('operation', draft);
        const startedAt = Date.now();
        await next();
        const environment = c.get('environment');
        // Bad input never reaches the change it asks for; logging it would only add noise.
        if (!environment || isRejectedInput(c.error)) return;
        const failed = c.res.status >= 400;
        const apiError = c.error ? toApiError(c.error) : null;
        const write = recordOperation(database(c.env), {
            ...c.get('operation'),
            environmentId: environment.id,
            status: failed ? 'failed' : 'success',
            requestId: c.get('requestId'),
            method: c.req.method,
            path: c.req.path,
            httpStatus: c.res.status,
            ...(failed && { error: apiError ? { code: apiError.code, message: apiError.message } : { code: 'server_error', message: 'An unexpected error occurred' } }),
            startedAt,
            endedAt: Date.now()
        }).catch((err: unknown) => console.error(`[${c.get('requestId')}] could not write operation log`, err));
        c.executionCtx.waitUntil(write);
    };
}
