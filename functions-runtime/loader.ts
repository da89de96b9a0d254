import type { Invocation, RunResult } from './host-contract.js';
import { SANDBOX_RUNTIME_ID, sandboxWorker } from './sandbox-worker.js';
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

// Per-run ceilings in production (the local runtime doesn't enforce them).
const LIMITS = { cpuMs: 30_000, subRequests: 10_000 };

/**
 * The isolate of a function bundle: loaded once per bundle (and runtime) and reused across runs.
 * It gets no bindings and no network (`globalOutbound: null`); each run hands it a host instead.
 */
export function loadSandbox(env: Env, db: Database, fn: LoadableFunction): SandboxStub {
    const worker = env.LOADER.get(`fn:${SANDBOX_RUNTIME_ID}:${fn.bundleHash}`, async () => sandboxWorker(fn.code ?? (await bundleCode(db, fn.bundleHash))));
    return worker.getEntrypoint(undefined, { limits: LIMITS }) as unknown as SandboxStub;
}
