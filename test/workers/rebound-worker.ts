import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../workers/index.js';
import { BASE, type CallOptions, readResponse, toRequest } from './helpers.js';

/**
 * `call`, against the Worker with some bindings changed: a deployment with a rotated encryption key
 * or without the admin secret. Durable Objects keep the bindings of the test pool.
 */
export async function callWithBindings(bindings: Partial<Env>, path: string, options: CallOptions = {}) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(toRequest(BASE + path, options), { ...env, ...bindings }, ctx);
    await waitOnExecutionContext(ctx);
    return readResponse(res);
}
