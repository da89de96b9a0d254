import type { Invocation, RunResult } from './host-contract.js';
import { SANDBOX_RUNTIME } from './dist/sandbox-runtime.js';
import type { Database } from '../workers/db.js';
import { bundleCode } from '../workers/functions/bundle-store.js';

/** The sandbox's side of RPC, as the platform calls it. */
export interface SandboxStub {
    run(host: unknown, invocation: Invocation): Promise<RunResult>;
}

export interface LoadableFunction {
    bundleHash: string;
    /** Given for dry runs; otherwise read from the bundle store when the isolate is first loaded. */
    code?: string | undefined;
}

// Must not be newer than the workerd that runs the platform (see wrangler.jsonc).
const COMPATIBILITY_DATE = '2026-10-20';
// Per-run ceilings in production (the local runtime doesn't enforce them).
const LIMITS = { cpuMs: 30_000, subRequests: 10_000 };

/** Identifies the runtime, so a platform update starts fresh isolates instead of reusing ones with the old runtime. */
const RUNTIME_ID = fnv1a(SANDBOX_RUNTIME);

/**
 * The isolate of a function bundle: loaded once per bundle (and runtime) and reused across runs.
 * It gets no bindings and no network (`globalOutbound: null`); each run hands it a host instead.
 */
export function loadSandbox(env: Env, db: Database, fn: LoadableFunction): SandboxStub {
    const worker = env.LOADER.get(`fn:${RUNTIME_ID}:${fn.bundleHash}`, async () => ({
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags: ['nodejs_compat'],
        mainModule: 'runtime.js',
        modules: { 'runtime.js': SANDBOX_RUNTIME, 'function.js': fn.code ?? (await bundleCode(db, fn.bundleHash)) },
        globalOutbound: null,
        env: {}
    }));
    return worker.getEntrypoint(undefined, { limits: LIMITS }) as unknown as SandboxStub;
}

function fnv1a(text: string): string {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0).toString(16);
}
