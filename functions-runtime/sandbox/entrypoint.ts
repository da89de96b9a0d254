// The dynamic Worker's main module (`runtime.js`): the platform calls `run` over RPC.
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { FunctionHost, Invocation, RunResult, SandboxEntrypoint } from '../host-contract.js';
import definition from './function.js';
import { runFunction } from './run-function.js';

export default class SandboxRuntime extends WorkerEntrypoint implements SandboxEntrypoint {
    run(host: FunctionHost, invocation: Invocation): Promise<RunResult> {
        return runFunction(definition, host, invocation);
    }
}
