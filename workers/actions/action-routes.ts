import { createRoute, z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MAX_ACTION_OUTPUT_BYTES } from '../../functions-runtime/executor.js';
import { requireHeaderConnection } from '../connections/header-connection.js';
import { database } from '../db.js';
import { runContext } from '../functions/run-context.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { commonErrors, json, jsonBody, notFoundError, secretKeySecurity } from '../http/openapi.js';
import { createRouter } from '../http/router.js';
import { actionApiError } from './action-errors.js';
import { findActionRun, type StoredActionError } from './action-runs.js';
import { queueAsyncAction, statusUrl } from './async-actions.js';
import { findDeployedAction, runAction } from './run-action.js';
import { publicBaseUrl } from '../http/public-url.js';

export const actionRoutes = createRouter();

const MAX_RETRIES = 5;
const output = z.unknown().openapi({ description: "The action's output, as it returned it" });
const headers = z.object({
    'connection-id': z.string().trim().min(1).openapi({ description: 'The connection to run the action for' }),
    'provider-config-key': z.string().trim().min(1),
    'x-async': z.stringbool().optional().openapi({ description: 'Queue the action and answer 202 at once' }),
    'x-max-retries': z.coerce.number().int().min(0).max(MAX_RETRIES).optional().openapi({ description: `Async only: run again up to this many times if it fails` })
});

actionRoutes.openapi(
    createRoute({
        method: 'post',
        path: '/action/trigger',
        tags: ['Actions'],
        summary: 'Run a deployed action for a connection',
        description: `Synchronous by default: the answer is the action's output. With \`X-Async: true\` the action is queued and the answer is 202 with its id; \`GET /action/{id}\` gives the result and an \`async_action\` webhook announces it. Outputs may be at most ${MAX_ACTION_OUTPUT_BYTES} bytes of JSON.`,
        security: secretKeySecurity,
        request: { headers, body: jsonBody(z.object({ action_name: z.string().min(1).max(128), input: z.unknown().optional() })) },
        responses: {
            200: json(output, 'The output'),
            202: json(z.object({ id: z.string(), statusUrl: z.string() }), 'Queued'),
            424: json(z.object({ error: z.object({ code: z.literal('script_http_error') }) }), 'An upstream call of the action failed (`upstream` says how)'),
            500: json(z.object({ error: z.object({ code: z.string() }) }), 'The action failed: `action_script_failure`, `invalid_action_output`, `execution_timeout`, `action_output_too_large`'),
            ...notFoundError,
            ...commonErrors
        }
    }),
    async (c) => {
        const h = c.req.valid('header');
        const maxRetries = h['x-max-retries'] ?? 0;
        if (maxRetries > 0 && !h['x-async']) throw badRequest('invalid_headers', 'X-Max-Retries applies to async actions only (X-Async: true)', [{ code: 'invalid_value', message: 'Async only', path: ['x-max-retries'] }]);
        const { action_name: actionName, input } = c.req.valid('json');
        const db = database(c.env);
        const ref = await requireHeaderConnection(db, c.var.environment.id, h['provider-config-key'], h['connection-id']);
        if (h['x-async']) {
            await findDeployedAction(c.env, ref, actionName);
            const id = await queueAsyncAction(c.env, ref, actionName, input, maxRetries);
            return c.json({ id, statusUrl: statusUrl(id) }, 202, { location: statusUrl(id) });
        }
        const { result } = await runAction(runContext(c.env, c.executionCtx, publicBaseUrl(c)), { ref, environmentName: c.var.environment.name, actionName, input });
        if (!result.ok) throw actionApiError(result.error);
        return c.json(result.output ?? null, 200);
    }
);

actionRoutes.openapi(
    createRoute({
        method: 'get',
        path: '/action/{id}',
        tags: ['Actions'],
        summary: 'The result of an async action',
        description: 'While the action is queued or running the answer is 404 `not_found`, as for an unknown id (Nango behaves the same way).',
        security: secretKeySecurity,
        request: { params: z.object({ id: z.string().min(1).max(64) }) },
        responses: { 200: json(output, 'The output'), ...notFoundError, ...commonErrors }
    }),
    async (c) => {
        const run = await findActionRun(database(c.env), c.req.valid('param').id);
        if (!run || run.environmentId !== c.var.environment.id || run.status === 'pending' || run.status === 'running') {
            throw new ApiError(404, 'not_found', 'No finished action with this id');
        }
        if (run.status === 'failed') {
            const { status, code, message, ...details } = run.error as unknown as StoredActionError;
            throw new ApiError(status as ContentfulStatusCode, code, message, details);
        }
        return c.json(run.output ?? null, 200);
    }
);
