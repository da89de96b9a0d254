import { convertV4MiniflareOptions, Miniflare, Response as WorkerdResponse } from 'miniflare';
import type { FunctionHost, Invocation, RunResult } from '../../../functions-runtime/host-contract.js';
import { SANDBOX_COMPATIBILITY_DATE, sandboxWorker } from '../../../functions-runtime/sandbox-worker.js';
import { BRIDGE_WORKER } from './bridge-worker.js';
import { decodeWire, encodeWire } from './host-wire.js';

/**
 * Runs a function bundle once in a workerd started for it, in the isolate the platform would load
 * it into, with `host` (in this process) answering its `nango` calls. Past `timeoutMs` the run
 * fails as it would on the platform, and the workerd is stopped with it.
 */
export async function runInLocalWorkerd(code: string, invocation: Invocation, host: FunctionHost, timeoutMs: number): Promise<RunResult> {
    const workerd = new Miniflare(
        convertV4MiniflareOptions({
            modules: true,
            script: BRIDGE_WORKER,
            compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
            compatibilityFlags: ['nodejs_compat'],
            workerLoaders: { LOADER: {} },
            serviceBindings: { HOST: async (request) => answerHostCall(host, new URL(request.url).pathname.slice(1), await request.text()) }
        })
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<RunResult>((resolve) => {
        timer = setTimeout(
            () => resolve({ ok: false, error: { type: 'runtime_error', code: 'execution_timeout', message: `The run did not finish within ${timeoutMs / 1000} s` } }),
            timeoutMs
        );
    });
    const run = async () => {
        const response = await workerd.dispatchFetch('http://dryrun/run', { method: 'POST', body: JSON.stringify({ worker: sandboxWorker(code), invocation }) });
        return (await response.json()) as RunResult;
    };
    try {
        return await Promise.race([run(), timedOut]);
    } finally {
        clearTimeout(timer);
        await workerd.dispose();
    }
}

async function answerHostCall(host: FunctionHost, method: string, body: string): Promise<WorkerdResponse> {
    try {
        const call = host[method as keyof FunctionHost] as ((...args: unknown[]) => Promise<unknown>) | undefined;
        if (typeof call !== 'function') throw new Error(`unknown_host_method: ${method}`);
        const value = await call.apply(host, decodeWire(body) as unknown[]);
        return new WorkerdResponse(encodeWire({ value }));
    } catch (error) {
        return new WorkerdResponse(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }), { status: 500 });
    }
}
