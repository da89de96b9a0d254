import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { apiEnvironment } from '../../test/workers/api-environment.js';
import { deploy, trigger } from '../../test/workers/functions/function-helpers.js';
import { call } from '../../test/workers/helpers.js';
import { percentile as pct } from './stats.js';

// An action doing what most actions do: zod schemas and one authenticated call to the provider,
// bundled with zod as `spoke compile` does (bench/fixtures/zod-action.ts, built by the bench config).
// A comment makes each cold variant a bundle of its own, so its first run loads a new isolate.
const BUNDLE = (env as unknown as { BENCH_ACTION_BUNDLE: string }).BENCH_ACTION_BUNDLE;
const actionCode = (variant: number) => `${BUNDLE}\n// variant ${variant}\n`;

const SAMPLES = 200;

async function latencies(request: () => Promise<{ status: number }>, samples = SAMPLES): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < samples; i++) {
        const started = performance.now();
        const res = await request();
        out.push(performance.now() - started);
        expect(res.status).toBe(200);
    }
    return out.sort((a, b) => a - b);
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Runs `total` requests, `concurrency` at a time; answers requests per second. */
async function throughput(request: () => Promise<{ status: number }>, total: number, concurrency: number): Promise<number> {
    let next = 0;
    const started = performance.now();
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (next < total) {
                next++;
                expect((await request()).status).toBe(200);
            }
        })
    );
    return (total / (performance.now() - started)) * 1000;
}

describe('functions and the proxy', () => {
    it('proxy overhead, function cold start and warm call, actions per second', async () => {
        const { key, scenario } = await apiEnvironment();
        const direct = () => fetch(`https://api.fake.test/${scenario}/x`);
        const proxied = () => call('/proxy/x', { key, headers: { 'connection-id': 'c1', 'provider-config-key': 'api' } });
        const COLD = 8;
        await deploy(key, [
            { integration: 'api', name: 'warm', type: 'action', code: actionCode(0) },
            ...Array.from({ length: COLD }, (_, i) => ({ integration: 'api', name: `cold-${i}`, type: 'action' as const, code: actionCode(i + 1) }))
        ]);
        const warm = () => trigger(key, 'warm');

        // Proxy: interleave the two in rounds so machine noise hits both alike.
        const directMs: number[] = [];
        const proxyMs: number[] = [];
        for (let round = 0; round < 4; round++) {
            directMs.push(...(await latencies(direct, SAMPLES / 4)));
            proxyMs.push(...(await latencies(proxied, SAMPLES / 4)));
        }
        directMs.sort((a, b) => a - b);
        proxyMs.sort((a, b) => a - b);

        // Cold: the first run of a bundle loads its isolate; warm: the same action again.
        const coldMs: number[] = [];
        for (let i = 0; i < COLD; i++) {
            const started = performance.now();
            expect((await trigger(key, `cold-${i}`)).status).toBe(200);
            coldMs.push(performance.now() - started);
        }
        coldMs.sort((a, b) => a - b);
        const warmMs = await latencies(warm, 50);

        const proxyRate = await throughput(proxied, 300, 20);
        const actionRate = await throughput(warm, 300, 20);

        const p50 = { direct: pct(directMs, 50), proxy: pct(proxyMs, 50) };
        const p99 = { direct: pct(directMs, 99), proxy: pct(proxyMs, 99) };
        console.log(
            [
                `\nProxy overhead: GET /proxy/x vs the same upstream called directly (${SAMPLES} sequential calls each)`,
                `  direct   p50 ${fmt(p50.direct)}   p99 ${fmt(p99.direct)}`,
                `  proxy    p50 ${fmt(p50.proxy)}   p99 ${fmt(p99.proxy)}`,
                `  added    p50 +${fmt(p50.proxy - p50.direct)} (×${(p50.proxy / p50.direct).toFixed(2)})   p99 +${fmt(p99.proxy - p99.direct)} (×${(p99.proxy / p99.direct).toFixed(2)})`,
                `\nAction with one provider call (POST /action/trigger, a ${(BUNDLE.length / 1024).toFixed(0)} KB bundle), vs the proxy call it makes`,
                `  cold start (new bundle)  median ${fmt(pct(coldMs, 50))}   ×${(pct(coldMs, 50) / p50.proxy).toFixed(2)} of a proxy call`,
                `  warm call                median ${fmt(pct(warmMs, 50))}   ×${(pct(warmMs, 50) / p50.proxy).toFixed(2)} of a proxy call`,
                `  cold / warm              ×${(pct(coldMs, 50) / pct(warmMs, 50)).toFixed(2)}`,
                `\nThroughput, 20 concurrent callers`,
                `  proxy    ${proxyRate.toFixed(0)} calls/s`,
                `  actions  ${actionRate.toFixed(0)} actions/s   ×${(actionRate / proxyRate).toFixed(2)} of the proxy rate`
            ].join('\n')
        );
        // Every run is in the log.
        const runs = (await call('/logs?type=action&limit=500', { key })).json.data;
        expect(runs.length).toBeGreaterThanOrEqual(300);
    });
});
