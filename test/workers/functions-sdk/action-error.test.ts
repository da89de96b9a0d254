import { describe, expect, it } from 'vitest';
import { runFunction } from '../../../functions-runtime/sandbox/run-function.js';
import { ActionError, createAction } from '../../../functions-runtime/sdk/index.js';
import { z } from 'zod';
import { context, MemoryHost } from './memory-host.js';

// A second copy of the class's module, as a function's own bundle carries one.
const secondCopy = '../../../functions-runtime/sdk/action-error.js?bundle=function';
const otherBundle = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../../../functions-runtime/sdk/action-error.js');

const run = (exec: () => Promise<unknown>) =>
    runFunction(createAction({ description: 'a', input: z.void(), output: z.any(), exec }), new MemoryHost(), { kind: 'action', context: context() });

describe('ActionError', () => {
    it('carries its payload, a message taken from it, and Nango’s type tag', () => {
        const error = new ActionError({ message: 'Issue not found', id: 3 });
        expect(error).toBeInstanceOf(Error);
        expect(error).toMatchObject({ name: 'ActionError', message: 'Issue not found', type: 'action_script_runtime_error', payload: { message: 'Issue not found', id: 3 } });
        expect(new ActionError('plain').message).toBe('plain');
        expect(new ActionError().payload).toBeUndefined();
    });

    it('is recognised when it comes from another copy of the class', async () => {
        expect(otherBundle.ActionError).not.toBe(ActionError);
        const foreign = new otherBundle.ActionError({ message: 'from the bundle', code: 'E1' });
        expect(foreign).not.toBeInstanceOf(ActionError);
        expect(await run(async () => Promise.reject(foreign))).toEqual({ ok: false, error: { type: 'action_error', message: 'from the bundle', payload: { message: 'from the bundle', code: 'E1' } } });
    });

    it('is recognised by Nango’s type tag alone', async () => {
        const lookalike = Object.assign(new Error('tagged'), { type: 'action_script_runtime_error', payload: { a: 1 } });
        expect(await run(async () => Promise.reject(lookalike))).toEqual({ ok: false, error: { type: 'action_error', message: 'tagged', payload: { a: 1 } } });
    });
});
