import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { FunctionHost } from '../../../functions-runtime/host-contract.js';
import { HOST_METHODS } from '../../../functions-runtime/host/host-methods.js';
import { DryRunHost } from '../../../functions-runtime/host/dry-run-host.js';
import { FunctionHost as FunctionHostEntrypoint } from '../../../functions-runtime/host/function-host.js';
import type { HostProps } from '../../../functions-runtime/host/host-props.js';

// Past the deadline, every call is refused before it looks at anything else (so props can be bare).
const expired = { deadline: Date.now() - 1, depth: 0 } as HostProps;

async function refusals(host: FunctionHost): Promise<Record<string, string>> {
    const answers: Record<string, string> = {};
    for (const name of Object.keys(HOST_METHODS) as (keyof FunctionHost)[]) {
        answers[name] = await (host[name] as (...args: unknown[]) => Promise<unknown>)('Item', []).then(
            () => 'answered',
            (error: Error) => error.message
        );
    }
    return answers;
}

describe('a host past its run deadline', () => {
    const everyCall = Object.fromEntries(Object.keys(HOST_METHODS).map((name) => [name, 'execution_timeout: the run exceeded its time limit']));

    it('refuses every call on the platform', async () => {
        expect(await refusals(exports.FunctionHost({ props: expired }) as unknown as FunctionHost)).toEqual(everyCall);
    });

    it('refuses every call in a dry run', async () => {
        expect(await refusals(new DryRunHost(env, exports, expired, {}, () => undefined))).toEqual(everyCall);
    });
});

describe('the platform host over RPC', () => {
    // The sandbox holds a stub of it, and RPC offers every method of its prototype: a helper method
    // there would be a capability (the connection's Durable Object stub is one, with the credentials
    // behind it). Helpers are #private, which RPC can't reach.
    it('offers the contract and nothing else', () => {
        const methods = Object.getOwnPropertyNames(FunctionHostEntrypoint.prototype).filter((name) => name !== 'constructor');
        expect(methods.sort()).toEqual(Object.keys(HOST_METHODS).sort());
    });
});
