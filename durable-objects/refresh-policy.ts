import type { Credentials } from '../workers/connections/credentials.js';

/** Refreshing stops on its own after this many failures in a row (or one permanent refusal). */
export const MAX_REFRESH_FAILURES = 5;

/**
 * The refresh sweep renews idle tokens this long before they expire: more than the default read
 * margin (15 minutes), so a read rarely has to wait for a refresh.
 */
export const SWEEP_LOOKAHEAD_MS = 20 * 60_000;

export interface FailureState {
    failures: number;
    lastFailureAt: number | null;
    lastError: string | null;
    exhausted: boolean;
}

export const NO_FAILURES: FailureState = { failures: 0, lastFailureAt: null, lastError: null, exhausted: false };

/**
 * Credentials that can renew themselves: an OAuth 2 token with a refresh token, a
 * client-credentials token (the grant runs again) or an app installation token (minted again).
 * Every credentials type must be decided here.
 */
export function canRefresh(c: Credentials): boolean {
    switch (c.type) {
        case 'OAUTH2':
            return !!c.refresh_token;
        case 'OAUTH2_CC':
        case 'APP':
            return true;
        case 'OAUTH1':
        case 'TBA':
        case 'API_KEY':
        case 'BASIC':
        case 'NONE':
            return false;
        default:
            return unknownType(c);
    }
}

/** When the credentials stop working on their own, as Unix ms; null when they don't expire. */
function credentialsExpiry(c: Credentials): number | null {
    const at = c.type === 'OAUTH2' || c.type === 'OAUTH2_CC' || c.type === 'APP' ? c.expires_at : undefined;
    return at ? Date.parse(at) : null;
}

/** Within the margin of expiry, or forced. No expiry means no proactive refresh. */
export function dueForRefresh(c: Credentials, force: boolean, marginMs: number, now: number): boolean {
    if (!canRefresh(c)) return false;
    if (force) return true;
    const expiresAt = credentialsExpiry(c);
    return expiresAt !== null && expiresAt - now < marginMs;
}

export function stillValid(c: Credentials, now: number): boolean {
    const expiresAt = credentialsExpiry(c);
    return expiresAt === null || expiresAt > now;
}

/** After a failure, non-forced reads wait before asking the provider again: 30 s, doubling, at most an hour. */
function backoffEndsAt(state: FailureState): number {
    if (!state.failures || state.lastFailureAt === null) return 0;
    return state.lastFailureAt + Math.min(30_000 * 2 ** (state.failures - 1), 3_600_000);
}

export function inBackoff(state: FailureState, now: number): boolean {
    return now < backoffEndsAt(state);
}

/**
 * When the refresh sweep should next renew these credentials (Unix ms), kept in the D1 index so
 * the sweep reads only connections it can act on: ahead of expiry, or once a failure's backoff
 * ends. Null when nothing will: no expiry, no means to refresh, or refreshing gave up.
 */
export function sweepDueAt(c: Credentials, state: FailureState): number | null {
    const expiresAt = credentialsExpiry(c);
    if (expiresAt === null || !canRefresh(c) || state.exhausted) return null;
    return Math.max(expiresAt - SWEEP_LOOKAHEAD_MS, backoffEndsAt(state));
}

function unknownType(c: never): never {
    throw new Error(`no refresh policy for credentials of type ${(c as { type: string }).type}`);
}
