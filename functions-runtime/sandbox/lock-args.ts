// Lock calls take Nango's `{ key, ttlMs }` object, or the key and ttl as two arguments.
import { SdkError } from './sdk-error.js';

const MAX_KEY_LENGTH = 255;

export function lockArgs(method: string, keyOrArgs: unknown, ttlMs?: unknown): { key: string; ttlMs: number } {
    const args = typeof keyOrArgs === 'object' && keyOrArgs !== null ? (keyOrArgs as { key?: unknown; ttlMs?: unknown }) : { key: keyOrArgs, ttlMs };
    if (typeof args.key !== 'string' || args.key.length === 0 || args.key.length > MAX_KEY_LENGTH) {
        throw new SdkError('invalid_lock', `${method}: key must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
    }
    if (method !== 'tryAcquireLock') return { key: args.key, ttlMs: 0 };
    if (typeof args.ttlMs !== 'number' || !Number.isFinite(args.ttlMs) || args.ttlMs <= 0) {
        throw new SdkError('invalid_lock', `${method}: ttlMs must be a positive number of milliseconds`);
    }
    return { key: args.key, ttlMs: args.ttlMs };
}
