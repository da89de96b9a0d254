import type { FunctionHost } from '../host-contract.js';
import { HOST_METHODS } from './host-methods.js';

/**
 * Makes every FunctionHost method of a host class refuse calls once its run is past the deadline
 * (a run that outlived its time limit may not act any more): one guard installed on the class,
 * rather than a check in each method that a new one could forget.
 */
export function guardDeadline<T extends FunctionHost>(prototype: T, checkDeadline: (host: T) => void): void {
    for (const name of Object.keys(HOST_METHODS) as (keyof FunctionHost)[]) {
        const method = prototype[name] as (...args: unknown[]) => Promise<unknown>;
        Object.defineProperty(prototype, name, {
            configurable: true,
            writable: true,
            value: async function (this: T, ...args: unknown[]) {
                checkDeadline(this);
                return method.apply(this, args);
            }
        });
    }
}
