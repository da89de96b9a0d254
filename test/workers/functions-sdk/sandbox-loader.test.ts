// The built runtime, loaded the way the platform loads it: a dynamic Worker with no network,
// holding the runtime and a function bundle, called over real RPC with the host as an RpcTarget.
// Needs `node scripts/build-sandbox.mjs` first.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SANDBOX_RUNTIME } from '../../../functions-runtime/dist/sandbox-runtime.js';
import type { Invocation, RunResult } from '../../../functions-runtime/host-contract.js';
import { context, MemoryHost, respond } from './memory-host.js';

// What the CLI's esbuild output looks like for a small action: Node built-ins stay imports, and
// the SDK (here only what the function uses of it) is inlined, with its own ActionError copy.
const FUNCTION_BUNDLE = `
import { createHash, randomUUID } from 'crypto';
import { URL as NodeURL } from 'url';
import { Buffer } from 'node:buffer';

class ActionError extends Error {
    type = 'action_script_runtime_error';
    [Symbol.for('spoke.ActionError')] = true;
    constructor(payload) { super(payload?.message ?? 'The action failed'); this.payload = payload; }
}
const createAction = (props) => ({ ...props, type: 'action' });

function deepHelper() {
    return undefined.missing;
}

export default createAction({
    description: 'Probe the sandbox',
    input: { safeParse: (value) => (typeof value?.mode === 'string' ? { success: true, data: value } : { success: false, error: { issues: [{ message: 'mode is required', path: ['mode'] }] } }) },
    exec: async (nango, input) => {
        if (input.mode === 'action-error') throw new ActionError({ message: 'refused', reason: 'test' });
        if (input.mode === 'runtime-error') deepHelper();
        if (input.mode === 'http-error') await nango.get({ endpoint: '/missing' });
        if (input.mode === 'checkpoint') {
            await nango.saveCheckpoint({ step: 1 }).catch(() => undefined);
            return { saved: true };
        }
        let fetchError;
        try {
            await fetch('https://example.com/');
        } catch (error) {
            fetchError = error.message;
        }
        const user = await nango.get({ endpoint: '/user' });
        console.warn('from console', 1);
        await nango.log('from nango.log', { step: 1 }, { level: 'debug' });
        return {
            fetchError: fetchError ?? 'fetch did not throw',
            sha256: createHash('sha256').update('spoke').digest('hex'),
            uuidLength: randomUUID().length,
            query: new NodeURL('https://a.example.com/x?y=1').searchParams.get('y'),
            base64: Buffer.from('hi').toString('base64'),
            globalBuffer: typeof globalThis.Buffer,
            login: user.data.login,
            activityLogId: nango.activityLogId
        };
    }
});
`;

interface Sandbox {
    run(host: MemoryHost, invocation: Invocation): Promise<RunResult>;
}

function loadSandbox(): Sandbox {
    const worker = env.LOADER.get(`functions-sdk-test:${SANDBOX_RUNTIME.length}`, () => ({
        compatibilityDate: '2026-10-20',
        compatibilityFlags: ['nodejs_compat'],
        mainModule: 'runtime.js',
        modules: { 'runtime.js': SANDBOX_RUNTIME, 'function.js': FUNCTION_BUNDLE },
        globalOutbound: null,
        env: {}
    }));
    return worker.getEntrypoint() as unknown as Sandbox;
}

const run = (host: MemoryHost, input: unknown) => loadSandbox().run(host, { kind: 'action', input, context: context({ runId: 'run-77' }) });

describe('the built sandbox runtime in a dynamic Worker', () => {
    it('runs a function bundle with Node built-ins, no network, and the host over RPC', async () => {
        const host = new MemoryHost((request) => (request.endpoint === '/user' ? respond({ login: 'octocat' }) : respond({ message: 'Not Found' }, { status: 404 })));
        const result = await run(host, { mode: 'ok' });
        expect(result).toEqual({
            ok: true,
            output: {
                fetchError: expect.stringMatching(/not permitted to access the internet/),
                sha256: '5a6df92ae8c424224ef1810084e6fcc8b5669206af94b096080880ff120f30b5',
                uuidLength: 36,
                query: '1',
                base64: 'aGk=',
                globalBuffer: 'function',
                login: 'octocat',
                activityLogId: 'run-77'
            }
        });
        expect(host.requests).toEqual([{ method: 'GET', endpoint: '/user' }]);
        expect(host.logs.map(({ level, message, payload }) => ({ level, message, payload }))).toEqual([
            { level: 'warn', message: 'from console 1', payload: undefined },
            { level: 'debug', message: 'from nango.log', payload: { step: 1 } }
        ]);
    });

    it('maps errors across the RPC boundary', async () => {
        const host = new MemoryHost(() => respond({ message: 'Not Found' }, { status: 404 }));
        expect(await run(host, {})).toMatchObject({ ok: false, error: { type: 'invalid_input', payload: [{ message: 'mode is required', path: ['mode'] }] } });
        expect(await run(host, { mode: 'action-error' })).toEqual({ ok: false, error: { type: 'action_error', message: 'refused', payload: { message: 'refused', reason: 'test' } } });
        expect(await run(host, { mode: 'http-error' })).toMatchObject({
            ok: false,
            error: { type: 'http_error', message: 'Request failed with status code 404', upstream: { status: 404, data: { message: 'Not Found' } } }
        });

        const failed = await run(host, { mode: 'runtime-error' });
        expect(failed).toMatchObject({ ok: false, error: { type: 'runtime_error', message: expect.stringContaining('missing') } });
        const stack = (failed as { error: { stack: string } }).error.stack;
        expect(stack).toMatch(/deepHelper \(function\.js:\d+:\d+\)/);
        expect(stack).toMatch(/exec \(function\.js:\d+:\d+\)/);
        expect(stack).not.toContain('runtime.js');
    });

    it('ends a run interrupted when the host answers a checkpoint with true over RPC', async () => {
        const host = new MemoryHost();
        expect(await run(host, { mode: 'checkpoint' })).toEqual({ ok: true, output: { saved: true } });
        host.budgetSpent = true;
        expect(await run(host, { mode: 'checkpoint' })).toEqual({ ok: true, output: undefined, interrupted: true });
        expect(host.checkpoint).toEqual({ step: 1 });
    });
});
