import type { Provider } from '../../providers/schema.js';
import { dotGet } from '../json/dot-path.js';
import { TokenRequestError } from './token-request.js';

export interface ParsedToken {
    accessToken: string;
    refreshToken?: string;
    /** ISO time; absent when the provider gives no expiry (then nothing refreshes proactively). */
    expiresAt?: string;
    /** Values the provider's `token_response_metadata` asks to copy into the connection config. */
    metadata: Record<string, unknown>;
}

/**
 * Reads a token response. The token may sit under another path (Slack user tokens); expiry comes
 * from `expires_at` (seconds, milliseconds or ISO) or `expires_in` (in the provider's unit).
 */
export function parseTokenResponse(provider: Provider, raw: Record<string, unknown>, now = Date.now()): ParsedToken {
    const oauth = provider.oauth;
    const source = (oauth?.access_token_path ? dotGet(raw, oauth.access_token_path) : raw) as Record<string, unknown> | undefined;
    // Client-credentials endpoints sometimes return the token as `token` or `jwt`, or under `data`.
    const accessToken = [source?.['access_token'], dotGet(raw, 'data.token'), raw['token'], raw['jwt']].find((v) => typeof v === 'string' && v) as
        | string
        | undefined;
    if (!accessToken) throw new TokenRequestError('The token response has no access token', 200, 'invalid_token_response');
    const refreshToken = typeof source?.['refresh_token'] === 'string' && source['refresh_token'] ? source['refresh_token'] : undefined;
    const expiresAt = expiry(source ?? raw, oauth?.expires_in_unit, now);
    const metadata: Record<string, unknown> = {};
    for (const path of oauth?.token_response_metadata ?? []) {
        const value = dotGet(raw, path);
        if (value !== undefined && value !== null) metadata[path] = value;
    }
    return { accessToken, ...(refreshToken && { refreshToken }), ...(expiresAt && { expiresAt }), metadata };
}

function expiry(token: Record<string, unknown>, unit: 'seconds' | 'milliseconds' | undefined, now: number): string | undefined {
    const at = token['expires_at'];
    if (typeof at === 'number' || (typeof at === 'string' && /^\d+$/.test(at))) {
        const n = Number(at);
        // Epoch seconds for the next few thousand years are below 1e12; milliseconds are above.
        return new Date(n < 1e12 ? n * 1000 : n).toISOString();
    }
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return new Date(at).toISOString();
    const inValue = Number(token['expires_in']);
    if (token['expires_in'] !== undefined && Number.isFinite(inValue) && inValue > 0) {
        return new Date(now + inValue * (unit === 'milliseconds' ? 1 : 1000)).toISOString();
    }
    return undefined;
}
