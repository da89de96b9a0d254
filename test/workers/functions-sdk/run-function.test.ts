import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runFunction } from '../../../functions-runtime/sandbox/run-function.js';
import type { Invocation } from '../../../functions-runtime/host-contract.js';
import { createAction, createOnEvent, createSync } from '../../../functions-runtime/sdk/index.js';
import { context, MemoryHost, respond } from './memory-host.js';

const invoke = (kind: Invocation['kind'], input?: unknown): Invocation => ({ kind, input, context: context({ syncName: 'issues' }) });

const createIssue = createAction({
    description: 'Create an issue',
    version: '1.0.0',
    input: z.object({ title: z.string() }),
    output: z.object({ id: z.number() }),
    exec: async (nango, input) => {
        const res = await nango.post({ endpoint: '/repos/a/b/issues', data: { title: input.title }, retries: 3 });
        if (res.status !== 201) throw new nango.ActionError({ message: 'failed', status: res.status });
        return { id: res.data.id, extra: 'kept' };
    }
});

describe('actions', () => {
    it('validates the input, runs exec and returns the output as plain JSON', async () => {
        const host = new MemoryHost(() => respond({ id: 12 }, { status: 201 }));
        expect(await runFunction(createIssue, host, invoke('action', { title: 'Bug' }))).toEqual({ ok: true, output: { id: 12, extra: 'kept' } });
        expect(host.requests).toEqual([{ method: 'POST', endpoint: '/repos/a/b/issues', data: { title: 'Bug' }, retries: 3 }]);
    });

    it('maps ActionError to action_error with its payload', async () => {
        const host = new MemoryHost(() => respond({ id: 1 }, { status: 200 }));
        expect(await runFunction(createIssue, host, invoke('action', { title: 'Bug' }))).toEqual({ ok: false, error: { type: 'action_error', message: 'failed', payload: { message: 'failed', status: 200 } } });
    });

    it('maps invalid input to invalid_input with the zod issues, without running exec', async () => {
        const host = new MemoryHost();
        const result = await runFunction(createIssue, host, invoke('action', { title: 5 }));
        expect(result).toEqual({ ok: false, error: { type: 'invalid_input', message: expect.any(String), payload: [expect.objectContaining({ path: ['title'], code: 'invalid_type' })] } });
        expect(host.requests).toEqual([]);
    });

    it('maps an output that does not match its schema, or is not JSON, to invalid_output', async () => {
        const host = new MemoryHost(() => respond({ id: 'not a number' }, { status: 201 }));
        const result = await runFunction(createIssue, host, invoke('action', { title: 'Bug' }));
        expect(result).toEqual({ ok: false, error: { type: 'invalid_output', message: expect.any(String), payload: [expect.objectContaining({ path: ['id'] })] } });

        const cyclic = createAction({ description: 'c', input: z.void(), output: z.any(), exec: async () => { const o: Record<string, unknown> = {}; o['o'] = o; return o; } });
        expect(await runFunction(cyclic, host, invoke('action'))).toEqual({ ok: false, error: { type: 'invalid_output', message: expect.stringMatching(/not JSON-serialisable/) } });
        const bigint = createAction({ description: 'b', input: z.void(), output: z.any(), exec: async () => ({ n: 1n }) });
        expect(await runFunction(bigint, host, invoke('action'))).toMatchObject({ ok: false, error: { type: 'invalid_output' } });
        const fn = createAction({ description: 'f', input: z.void(), output: z.any(), exec: async () => () => 1 });
        expect(await runFunction(fn, host, invoke('action'))).toMatchObject({ ok: false, error: { type: 'invalid_output' } });
    });

    it('returns undefined for a z.void() output, and JSON data for dates', async () => {
        const host = new MemoryHost();
        const noOutput = createAction({ description: 'v', input: z.void(), output: z.void(), exec: async () => {} });
        expect(await runFunction(noOutput, host, invoke('action'))).toEqual({ ok: true, output: undefined });
        const dated = createAction({ description: 'd', input: z.void(), output: z.object({ at: z.date() }), exec: async () => ({ at: new Date('2026-01-02T00:00:00Z') }) });
        expect(await runFunction(dated, host, invoke('action'))).toEqual({ ok: true, output: { at: '2026-01-02T00:00:00.000Z' } });
    });

    it('maps an uncaught upstream error to http_error with what the provider answered', async () => {
        const host = new MemoryHost(() => respond({ message: 'Validation Failed' }, { status: 422, headers: { 'x-github-request-id': 'r1' } }));
        expect(await runFunction(createIssue, host, invoke('action', { title: 'Bug' }))).toEqual({
            ok: false,
            error: {
                type: 'http_error',
                message: 'Request failed with status code 422',
                upstream: { status: 422, headers: { 'content-type': 'application/json', 'x-github-request-id': 'r1' }, data: { message: 'Validation Failed' } },
                stack: expect.any(String)
            }
        });
    });

    it('reports upstream data as JSON or text even when the function asked for bytes', async () => {
        const host = new MemoryHost(() => respond('gone', { status: 410 }));
        const download = createAction({ description: 'd', input: z.void(), output: z.any(), exec: async (nango) => (await nango.get({ endpoint: '/file', responseType: 'arraybuffer' })).data });
        expect(await runFunction(download, host, invoke('action'))).toMatchObject({ ok: false, error: { type: 'http_error', upstream: { status: 410, data: 'gone' } } });
    });

    it('lets the function catch upstream errors itself', async () => {
        const host = new MemoryHost(() => respond({}, { status: 404 }));
        const tolerant = createAction({
            description: 't',
            input: z.void(),
            output: z.object({ found: z.boolean() }),
            exec: async (nango) => {
                try {
                    await nango.get({ endpoint: '/maybe' });
                    return { found: true };
                } catch (error) {
                    if ((error as { response?: { status?: number } }).response?.status === 404) return { found: false };
                    throw error;
                }
            }
        });
        expect(await runFunction(tolerant, host, invoke('action'))).toEqual({ ok: true, output: { found: false } });
    });
});

describe('runtime errors', () => {
    function helperThatThrows(): never {
        throw new TypeError('Cannot read properties of undefined');
    }

    it('carry the message and a stack of the function’s own frames only', async () => {
        const failing = createAction({ description: 'f', input: z.void(), output: z.void(), exec: async () => helperThatThrows() });
        const result = await runFunction(failing, new MemoryHost(), invoke('action'));
        expect(result).toMatchObject({ ok: false, error: { type: 'runtime_error', message: 'Cannot read properties of undefined' } });
        const stack = (result as { error: { stack: string } }).error.stack;
        expect(stack.split('\n')[0]).toBe('TypeError: Cannot read properties of undefined');
        expect(stack).toContain('helperThatThrows');
        expect(stack).toContain('run-function.test.ts');
        expect(stack).not.toContain('functions-runtime/');
        expect(stack).not.toContain('node_modules');
    });

    it('drop the runtime frames of an SDK error thrown under the function’s call', async () => {
        const misuse = createSync({ description: 's', frequency: 'every hour', models: { Issue: z.object({ id: z.string() }) }, exec: async (nango) => void (await nango.batchSave([{ title: 'no id' }], 'Issue')) });
        const result = await runFunction(misuse, new MemoryHost(), invoke('sync'));
        expect(result).toMatchObject({ ok: false, error: { type: 'runtime_error', code: 'invalid_sync_record', message: expect.stringContaining('needs an `id`') } });
        const stack = (result as { error: { stack: string } }).error.stack;
        expect(stack).toContain('run-function.test.ts');
        expect(stack).not.toContain('functions-runtime/');
    });

    it('report thrown non-errors as their string', async () => {
        const odd = createAction({ description: 'o', input: z.void(), output: z.void(), exec: async () => Promise.reject('just a string') });
        expect(await runFunction(odd, new MemoryHost(), invoke('action'))).toEqual({ ok: false, error: { type: 'runtime_error', message: 'just a string' } });
    });
});

describe('definitions and kinds', () => {
    it('runs syncs, their webhook handler with the payload, and event functions', async () => {
        const host = new MemoryHost();
        const sync = createSync({
            description: 's',
            frequency: 'every hour',
            models: { Issue: z.object({ id: z.string() }) },
            exec: async (nango) => void (await nango.batchSave([{ id: 'from-exec' }], 'Issue')),
            onWebhook: async (nango, payload) => void (await nango.batchSave([{ id: (payload as { id: string }).id }], 'Issue'))
        });
        expect(await runFunction(sync, host, invoke('sync'))).toEqual({ ok: true, output: undefined });
        expect(await runFunction(sync, host, invoke('webhook', { id: 'from-webhook' }))).toEqual({ ok: true, output: undefined });
        expect(host.recordCalls.map((c) => c.records[0]?.id)).toEqual(['from-exec', 'from-webhook']);

        const event = createOnEvent({ description: 'e', event: 'post-connection-creation', exec: async (nango) => nango.log(`created ${nango.connectionId}`) });
        expect(await runFunction(event, host, invoke('on-event'))).toEqual({ ok: true, output: undefined });
        expect(host.logs.at(-1)?.message).toBe('created conn-1');
    });

    it('refuses a default export that is not a definition, or of another kind', async () => {
        const host = new MemoryHost();
        const sync = createSync({ description: 's', frequency: 'every hour', models: {}, exec: async () => {} });
        for (const bad of [undefined, null, {}, { type: 'sync' }, { type: 'job', exec: () => {} }, async () => {}]) {
            expect(await runFunction(bad, host, invoke('sync'))).toMatchObject({
                ok: false,
                error: { type: 'runtime_error', code: 'invalid_function_definition', message: expect.stringMatching(/createSync, createAction or createOnEvent/) }
            });
        }
        expect(await runFunction(sync, host, invoke('action'))).toMatchObject({ ok: false, error: { type: 'runtime_error', code: 'function_kind_mismatch', message: 'The function is of type "sync", so it cannot run as "action"' } });
        expect(await runFunction(createIssue, host, invoke('sync'))).toMatchObject({ ok: false, error: { message: 'The function is of type "action", so it cannot run as "sync"' } });
        expect(await runFunction(sync, host, invoke('webhook', {}))).toMatchObject({ ok: false, error: { message: 'This sync has no onWebhook handler' } });
        expect(await runFunction({ type: 'action', exec: () => 1, input: { not: 'zod' } }, host, invoke('action'))).toMatchObject({ ok: false, error: { message: expect.stringContaining('must be a zod schema') } });
    });
});
