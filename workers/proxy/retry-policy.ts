import type { RetryHeader } from '../../functions-runtime/host-contract.js';
import type { Provider } from '../../providers/schema.js';

export interface RetryOptions {
    /** How many times to retry after the first attempt. */
    retries: number;
    /** Statuses to retry besides the provider's (or the defaults). */
    retryOn: number[];
}

const DEFAULT_STATUSES = (status: number) => status >= 500 || status === 429 || status === 401;
const MAX_WAIT_MS = 10 * 60_000;

/**
 * Whether an upstream answer is worth another attempt. Network errors always are; a success never
 * is, even one that spends the last of the quota: sending it again could repeat what it did.
 */
export function isRetryable(provider: Provider, response: Response, options: RetryOptions): boolean {
    if (response.ok) return false;
    if (options.retryOn.includes(response.status)) return true;
    const retry = provider.proxy?.retry;
    if (retry?.remaining && response.headers.get(retry.remaining) === '0') return true;
    const codes = retry?.error_codes;
    if (codes) return codes.some((c) => (c === '5xx' ? response.status >= 500 : c === response.status));
    return DEFAULT_STATUSES(response.status);
}

/**
 * How long the provider asks us to wait, from its declared headers (`at`: epoch seconds, `after`:
 * seconds; the longest wins) or a plain `Retry-After` (seconds or an HTTP date), which Spoke
 * honours even when the provider entry doesn't declare it. A caller's `retryHeader` replaces the
 * provider's declared headers. Null when the answer doesn't say.
 */
export function requestedWaitMs(provider: Provider, response: Response, now: number, retryHeader?: RetryHeader): number | null {
    const retry = retryHeader ? { at: retryHeader.at ? [retryHeader.at] : [], after: retryHeader.after ? [retryHeader.after] : [] } : provider.proxy?.retry;
    const waits: number[] = [];
    for (const name of retry?.at ?? []) {
        const at = Number(response.headers.get(name));
        if (Number.isFinite(at) && at > 0) waits.push((at > 1e12 ? at : at * 1000) - now);
    }
    for (const name of [...(retry?.after ?? []), 'retry-after']) {
        const value = response.headers.get(name);
        if (!value) continue;
        const seconds = Number(value);
        if (Number.isFinite(seconds)) waits.push(seconds * 1000);
        else if (!Number.isNaN(Date.parse(value))) waits.push(Date.parse(value) - now);
    }
    if (!waits.length) return null;
    return Math.min(Math.max(0, ...waits), MAX_WAIT_MS);
}

/** Exponential backoff when the provider doesn't say: base × 2^attempt, at most 10 minutes. */
export function backoffMs(baseMs: number, attempt: number): number {
    return Math.min(baseMs * 2 ** attempt, MAX_WAIT_MS);
}
