// How a thrown value becomes the run's error, in the platform's terms.
import { ACTION_ERROR_BRAND } from '../sdk/action-error.js';
import type { RunError } from '../host-contract.js';
import { upstreamOf } from './axios-shape.js';
import { toPlainData } from './plain-data.js';
import { SdkError } from './sdk-error.js';
import { functionStack } from './stack.js';

/** Recognised by brand or by Nango's type tag, since the function's bundle has its own copy of the class. */
function isActionError(error: unknown): error is { message?: unknown; payload?: unknown } {
    if (typeof error !== 'object' || error === null) return false;
    const tagged = error as { [ACTION_ERROR_BRAND]?: unknown; type?: unknown };
    return tagged[ACTION_ERROR_BRAND] === true || tagged.type === 'action_script_runtime_error';
}

export function toRunError(error: unknown): RunError {
    const message = error instanceof Error ? error.message : String(error);
    if (isActionError(error)) {
        const runError: RunError = { type: 'action_error', message: typeof error.message === 'string' ? error.message : message };
        if (error.payload !== undefined) runError.payload = toPlainData(error.payload);
        return runError;
    }
    const runError: RunError = { type: 'runtime_error', message };
    if (error instanceof SdkError) runError.code = error.code;
    const upstream = upstreamOf(error);
    if (upstream) {
        runError.type = 'http_error';
        runError.upstream = upstream;
    }
    const stack = error instanceof Error ? functionStack(error.stack) : undefined;
    if (stack) runError.stack = stack;
    return runError;
}
