import type { Credentials } from '../workers/connections/credentials.js';

/** Refreshing stops on its own after this many failures in a row (or one permanent refusal). */
export const MAX_REFRESH_FAILURES = 5;

export interface FailureState {
    failures: number;
    lastFailureAt: number | null;
    lastError: string | null;
    exhausted: boolean;
}

/** Only credentials that carry a way to renew themselves can be refreshed. */
export function canRefresh(c: Credentials): boolean {
    return (c.type === 'OAUTH2' && !!c.refresh_token) || c.type === 'OAUTH2_CC';
}

/** Within the margin of expiry, or forced. No expiry means no proactive refresh. */
export function dueForRefresh(c: Credentials, force: boolean, marginMs: number, now: number): boolean {
    if (!canRefresh(c)) return false;
    if (force) return true;
    const expiresAt = expiryOf(c);
    return expiresAt !== null && expiresAt - now < marginMs;
}

export function stillValid(c: Credentials, now: number): boolean {
    const expiresAt = expiryOf(c);
    return expiresAt === null || expiresAt > now;
}

function expiryOf(c: Credentials): number | null {
    const at = c.type === 'OAUTH2' || c.type === 'OAUTH2_CC' ? c.expires_at : undefined;
    return at ? Date.parse(at) : null;
}

/** After a failure, non-forced reads wait before asking the provider again: 30 s, doubling, at most an hour. */
export function inBackoff(state: FailureState, now: number): boolean {
    if (!state.failures || state.lastFailureAt === null) return false;
    return now < state.lastFailureAt + Math.min(30_000 * 2 ** (state.failures - 1), 3_600_000);
}
