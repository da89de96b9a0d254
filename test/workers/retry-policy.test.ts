import { describe, expect, it } from 'vitest';
import type { Provider } from '../../providers/schema.js';
import { backoffMs, isRetryable, requestedWaitMs } from '../../workers/proxy/retry-policy.js';

type Retry = NonNullable<NonNullable<Provider['proxy']>['retry']>;

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function provider(retry?: Retry): Provider {
    return { name: 'p', display_name: 'P', auth_mode: 'API_KEY', categories: [], docs: '', proxy: { base_url: 'https://api.example.com', ...(retry && { retry }) } } as unknown as Provider;
}

const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });
const none = { retries: 3, retryOn: [] };

describe('isRetryable', () => {
    it('retries 5xx, 429 and 401 by default, and nothing else', () => {
        for (const status of [500, 502, 503, 599, 429, 401]) expect(isRetryable(provider(), answer(status), none), String(status)).toBe(true);
        for (const status of [200, 204, 400, 403, 404, 409, 422]) expect(isRetryable(provider(), answer(status), none), String(status)).toBe(false);
    });

    it('adds the caller’s Retry-On statuses', () => {
        expect(isRetryable(provider(), answer(409), { retries: 1, retryOn: [409] })).toBe(true);
        expect(isRetryable(provider({ error_codes: [429] }), answer(409), { retries: 1, retryOn: [409] })).toBe(true);
    });

    it('replaces the defaults with the provider’s error_codes, where 5xx is any 500–599', () => {
        const p = provider({ error_codes: [429, '5xx'] });
        for (const status of [429, 500, 503, 599]) expect(isRetryable(p, answer(status), none), String(status)).toBe(true);
        expect(isRetryable(p, answer(401), none)).toBe(false);
        expect(isRetryable(provider({ error_codes: [403] }), answer(403), none)).toBe(true);
        expect(isRetryable(provider({ error_codes: [403] }), answer(500), none)).toBe(false);
    });

    it('retries an error whose remaining-quota header is 0, whatever its status', () => {
        const p = provider({ remaining: 'x-ratelimit-remaining', error_codes: [429] });
        expect(isRetryable(p, answer(403, { 'x-ratelimit-remaining': '0' }), none)).toBe(true);
        expect(isRetryable(p, answer(403, { 'x-ratelimit-remaining': '12' }), none)).toBe(false);
        expect(isRetryable(p, answer(403), none)).toBe(false);
    });

    it('never retries a success, even one that spent the last of the quota', () => {
        const p = provider({ remaining: 'x-ratelimit-remaining' });
        expect(isRetryable(p, answer(200, { 'x-ratelimit-remaining': '0' }), none)).toBe(false);
        expect(isRetryable(p, answer(201, { 'x-ratelimit-remaining': '0' }), { retries: 1, retryOn: [201] })).toBe(false);
    });
});

describe('requestedWaitMs', () => {
    it('reads the provider’s `at` headers as an epoch, in seconds or milliseconds', () => {
        const p = provider({ at: ['x-ratelimit-reset'] });
        expect(requestedWaitMs(p, answer(429, { 'x-ratelimit-reset': String(NOW / 1000 + 30) }), NOW)).toBe(30_000);
        expect(requestedWaitMs(p, answer(429, { 'x-ratelimit-reset': String(NOW + 1500) }), NOW)).toBe(1500);
        // A reset already past means no wait, not a negative one.
        expect(requestedWaitMs(p, answer(429, { 'x-ratelimit-reset': String(NOW / 1000 - 60) }), NOW)).toBe(0);
        expect(requestedWaitMs(p, answer(429, { 'x-ratelimit-reset': 'soon' }), NOW)).toBeNull();
    });

    it('reads the provider’s `after` headers as seconds', () => {
        const p = provider({ after: ['x-wait'] });
        expect(requestedWaitMs(p, answer(503, { 'x-wait': '2' }), NOW)).toBe(2000);
        expect(requestedWaitMs(p, answer(503, { 'x-wait': '0.25' }), NOW)).toBe(250);
    });

    it('honours a plain Retry-After in seconds or as an HTTP date, even undeclared', () => {
        expect(requestedWaitMs(provider(), answer(429, { 'retry-after': '7' }), NOW)).toBe(7000);
        expect(requestedWaitMs(provider(), answer(429, { 'retry-after': new Date(NOW + 90_000).toUTCString() }), NOW)).toBe(90_000);
        expect(requestedWaitMs(provider(), answer(429, { 'retry-after': new Date(NOW - 5000).toUTCString() }), NOW)).toBe(0);
        expect(requestedWaitMs(provider(), answer(429, { 'retry-after': 'whenever' }), NOW)).toBeNull();
    });

    it('is null when the answer says nothing', () => {
        expect(requestedWaitMs(provider({ at: ['x-reset'], after: ['x-wait'] }), answer(429), NOW)).toBeNull();
    });

    it('takes the longest wait when several headers apply', () => {
        const p = provider({ at: ['x-reset'], after: ['x-wait'] });
        const headers = { 'x-reset': String(NOW / 1000 + 20), 'x-wait': '5', 'retry-after': '12' };
        expect(requestedWaitMs(p, answer(429, headers), NOW)).toBe(20_000);
        expect(requestedWaitMs(p, answer(429, { ...headers, 'x-wait': '45' }), NOW)).toBe(45_000);
        expect(requestedWaitMs(p, answer(429, { ...headers, 'retry-after': new Date(NOW + 60_000).toUTCString() }), NOW)).toBe(60_000);
    });

    it('reads a caller’s retryHeader instead of the provider’s own headers', () => {
        const p = provider({ after: ['x-wait'] });
        const headers = { 'x-wait': '40', 'x-custom-reset': String(NOW / 1000 + 8) };
        expect(requestedWaitMs(p, answer(429, headers), NOW, { at: 'x-custom-reset' })).toBe(8000);
        expect(requestedWaitMs(p, answer(429, { 'x-wait': '40', 'x-custom-wait': '3' }), NOW, { after: 'x-custom-wait' })).toBe(3000);
    });

    it('waits at most 10 minutes', () => {
        expect(requestedWaitMs(provider(), answer(429, { 'retry-after': '86400' }), NOW)).toBe(600_000);
        expect(requestedWaitMs(provider({ at: ['x-reset'] }), answer(429, { 'x-reset': String(NOW / 1000 + 3600) }), NOW)).toBe(600_000);
    });
});

describe('backoffMs', () => {
    it('doubles from the base: 3 s·2^n', () => {
        expect([0, 1, 2, 3, 4].map((n) => backoffMs(3000, n))).toEqual([3000, 6000, 12_000, 24_000, 48_000]);
    });

    it('stops at 10 minutes', () => {
        expect(backoffMs(3000, 7)).toBe(384_000);
        expect(backoffMs(3000, 8)).toBe(600_000);
        expect(backoffMs(3000, 2000)).toBe(600_000);
    });
});
