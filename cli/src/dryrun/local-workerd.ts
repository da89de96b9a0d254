import { convertV4MiniflareOptions, Miniflare, Response as WorkerdResponse } from 'miniflare';
import type { FunctionHost, Invocation, RunResult } from '../../../functions-runtime/host-contract.js';
import { SANDBOX_COMPATIBILITY_DATE, sandboxWorker } from '../../../functions-runtime/sandbox-worker.js';
import { BRIDGE_WORKER } from './bridge-worker.js';
import { decodeWire, encodeWire } from './host-wire.js';

/**
 * Runs a function bundle once in a workerd started for it, in the isolate the platform would load
 * it into, with `host` (in this process) answering its `nango` calls.
 */
export async function runInLocalWorkerd(code: string, invocation: Invocation, host: FunctionHost): Promise<RunResult> {
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
    try {
        const response = await workerd.dispatchFetch('http://dryrun/run', { method: 'POST', body: JSON.stringify({ worker: sandboxWorker(code), invocation }) });
        return (await response.json()) as RunResult;
    } finally {
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
