/**
 * A global-registry symbol, not a module-local one: the function's bundle and the sandbox runtime
 * each carry their own copy of this class, so `instanceof` cannot tell one copy's errors apart
 * from the other's; the brand can.
 */
export const ACTION_ERROR_BRAND: unique symbol = Symbol.for('spoke.ActionError');

/** Thrown by an action to fail with a payload that is returned to the caller as is. */
export class ActionError<TPayload = Record<string, unknown>> extends Error {
    readonly type = 'action_script_runtime_error';
    readonly payload: TPayload | undefined;
    readonly [ACTION_ERROR_BRAND] = true;

    constructor(payload?: TPayload) {
        super(messageOf(payload));
        this.name = 'ActionError';
        this.payload = payload;
    }
}

function messageOf(payload: unknown): string {
    if (typeof payload === 'string') return payload;
    const message = (payload as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' ? message : 'The action failed';
}
