import { describe, expect, it } from 'vitest';
import { authorize, createSession, fake, oauthEnvironment } from '../../test/workers/auth-helpers.js';
import { call } from '../../test/workers/helpers.js';
import { percentile } from './stats.js';

const READS = 1000;
const ALONE = 50;
const TOKEN_DELAY_MS = 50;

type Read = () => Promise<{ status: number; json: any }>;

/** Times one read on its own, from its call to its parsed answer (ms). */
async function timed(read: Read) {
    const started = performance.now();
    const res = await read();
    return { res, ms: performance.now() - started };
}

const summary = (latencies: number[]) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
};

/**
 * Starts READS token reads at once, timing each request by itself, and counts the calls the fake
 * token endpoint received meanwhile.
 */
async function storm(read: Read, refreshCount: () => Promise<number>) {
    const before = await refreshCount();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: READS }, () => timed(read)));
    const wallMs = performance.now() - started;
    expect(results.every((r) => r.res.status === 200)).toBe(true);
    return {
        ...summary(results.map((r) => r.ms)),
        wallMs,
        upstreamRefreshes: (await refreshCount()) - before,
        tokens: new Set(results.map((r) => r.res.json.credentials.access_token)).size
    };
}

describe('refresh storm', () => {
    it(`${READS} concurrent token reads: expired token vs fresh token`, async () => {
        const { key, scenario } = await oauthEnvironment({ oauth: { tokenDelayMs: TOKEN_DELAY_MS } });
        await authorize(scenario, await createSession(key));
        const id = (await call('/connections', { key })).json.connections[0].connection_id as string;
        const read = () => call(`/connections/${id}?provider_config_key=fake`, { key });
        const refreshCount = async () => (await fake.state(scenario)).counts.refresh;

        // Make the stored token expired, keeping its refresh token.
        const { expires_at: _e, ...credentials } = (await call(`/connections/${id}?provider_config_key=fake&refresh_token=true`, { key })).json.credentials;
        await call('/connections', { method: 'POST', key, body: { provider_config_key: 'fake', connection_id: id, credentials: { ...credentials, expires_at: new Date(Date.now() - 60_000).toISOString() } } });

        const expired = await storm(read, refreshCount);
        const fresh = await storm(read, refreshCount);
        const alone: number[] = [];
        for (let i = 0; i < ALONE; i++) alone.push((await timed(read)).ms);
        const single = summary(alone);

        const row = (name: string, s: Awaited<ReturnType<typeof storm>>) =>
            `  ${name}  upstream refreshes ${s.upstreamRefreshes}   distinct tokens ${s.tokens}   p50 ${s.p50.toFixed(0)} ms   p99 ${s.p99.toFixed(0)} ms   max ${s.max.toFixed(0)} ms   whole storm ${s.wallMs.toFixed(0)} ms`;
        console.log(
            [
                `\nRefresh storm: ${READS} concurrent GET /connections/:id, each timed on its own (fake token endpoint answers in ${TOKEN_DELAY_MS} ms)`,
                row('expired token', expired),
                row('fresh token  ', fresh),
                `  one read at a time (${ALONE} reads, fresh token)   p50 ${single.p50.toFixed(0)} ms   p99 ${single.p99.toFixed(0)} ms`,
                `  ratio (expired/fresh)   p50 ×${(expired.p50 / fresh.p50).toFixed(2)}   p99 ×${(expired.p99 / fresh.p99).toFixed(2)}`
            ].join('\n')
        );
    });
});
