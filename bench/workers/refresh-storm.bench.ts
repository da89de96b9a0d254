import { describe, expect, it } from 'vitest';
import { authorize, createSession, fake, oauthEnvironment } from '../../test/workers/auth-helpers.js';
import { call } from '../../test/workers/helpers.js';
import { percentile } from './stats.js';

const READS = 1000;

/** Starts READS token reads at once and reports latency percentiles (ms). */
async function storm(read: () => Promise<{ status: number; json: any }>) {
    const latencies: number[] = [];
    const results = await Promise.all(
        Array.from({ length: READS }, async () => {
            const started = performance.now();
            const res = await read();
            latencies.push(performance.now() - started);
            return res;
        })
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    latencies.sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), tokens: new Set(results.map((r) => r.json.credentials.access_token)).size };
}

describe('refresh storm', () => {
    it(`${READS} concurrent token reads: expired token vs fresh token`, async () => {
        const { key, scenario } = await oauthEnvironment({ oauth: { tokenDelayMs: 50 } });
        await authorize(scenario, await createSession(key));
        const id = (await call('/connections', { key })).json.connections[0].connection_id as string;
        const read = () => call(`/connections/${id}?provider_config_key=fake`, { key });

        // Make the stored token expired, keeping its refresh token.
        const { expires_at: _e, ...credentials } = (await call(`/connections/${id}?provider_config_key=fake&refresh_token=true`, { key })).json.credentials;
        await call('/connections', { method: 'POST', key, body: { provider_config_key: 'fake', connection_id: id, credentials: { ...credentials, expires_at: new Date(Date.now() - 60_000).toISOString() } } });

        const before = (await fake.state(scenario)).counts.refresh;
        const expired = await storm(read);
        const upstreamRefreshes = (await fake.state(scenario)).counts.refresh - before;
        const fresh = await storm(read);
        expect(upstreamRefreshes).toBe(1);
        expect(expired.tokens).toBe(1);

        console.log(
            [
                `\nRefresh storm: ${READS} concurrent GET /connections/:id (fake token endpoint answers in 50 ms)`,
                `  expired token   upstream refreshes ${upstreamRefreshes}   p50 ${expired.p50.toFixed(1)} ms   p99 ${expired.p99.toFixed(1)} ms`,
                `  fresh token     upstream refreshes 0   p50 ${fresh.p50.toFixed(1)} ms   p99 ${fresh.p99.toFixed(1)} ms`,
                `  ratio (expired/fresh)   p50 ×${(expired.p50 / fresh.p50).toFixed(2)}   p99 ×${(expired.p99 / fresh.p99).toFixed(2)}`
            ].join('\n')
        );
    });
});
