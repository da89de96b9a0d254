import wranglerConfig from '../../wrangler.jsonc?raw';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE_SECONDS, maxAttempts, retryDelaySeconds } from '../../workers/webhooks/webhook-delivery.js';

/** A var as wrangler.jsonc sets it for deployments (the test pool overrides it). */
const deployedVar = (name: string) => wranglerConfig.match(new RegExp(`"${name}":\\s*"(\\d+)"`))?.[1];

describe('the app-webhook retry schedule', () => {
    it('is the same in the code and in wrangler.jsonc', () => {
        expect(deployedVar('WEBHOOK_RETRY_BASE_SECONDS')).toBe(String(DEFAULT_RETRY_BASE_SECONDS));
        expect(deployedVar('WEBHOOK_MAX_ATTEMPTS')).toBe(String(DEFAULT_MAX_ATTEMPTS));
    });

    it('keeps trying for at least 24 hours by default, an hour apart at most', () => {
        const defaults = {};
        const delays = Array.from({ length: maxAttempts(defaults) - 1 }, (_, i) => retryDelaySeconds(defaults, i + 1));
        expect(delays.slice(0, 3)).toEqual([30, 60, 120]);
        expect(Math.max(...delays)).toBe(3600);
        // From the first attempt to the last.
        expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * 3600);
    });
});
