import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { signDelivery } from '../../test/support/provider-signing.js';
import { createIntegration, importConnection, ingressPath } from '../../test/workers/webhook-ingress/ingress-helpers.js';
import { BASE, call, newEnvironment } from '../../test/workers/helpers.js';
import { median, percentile as pct } from './stats.js';

// The provider-facing answer of `POST /webhook/:environmentId/:integrationKey` (verify the GitHub
// signature, store the delivery and claim its delivery id in one D1 batch, queue it, answer 200),
// next to `GET /health` on the same runtime, in interleaved rounds whose first variant rotates.
// A duplicate (a delivery id seen before, as GitHub's redelivery sends it) is a third line: it is
// stored and marked processed but never queued.
//
// What the queue does afterwards, kept cheap and the same for every delivery: route the event by
// `installation.id` to the one connection, run no handler (no sync is deployed) and forward nothing
// (the environment has no webhook URL). Every phase that sends new deliveries is followed by an
// untimed wait until the queue has processed them all, so one phase's processing never runs during
// the next phase. Within a phase it could (the consumer shares this workerd process), so the report
// says how much of a phase's deliveries the queue had finished when the phase ended.

const SECRET = 'gh-bench-secret';
const INSTALLATION = 111;
const ROUNDS = 4;
const LATENCY_SAMPLES = 100; // per variant and round
const THROUGHPUT_REQUESTS = 200; // per variant and round
const CONCURRENCY = 20;

type Variant = 'health' | 'ingress' | 'duplicate';
type Call = () => Promise<{ status: number; json: any }>;

/** A GitHub `issues.opened` delivery as GitHub sends it (trimmed a little): 4.8 KB of JSON. */
function issuesPayload(n: number): string {
    const user = (login: string, id: number, type = 'User') => ({
        login,
        id,
        node_id: `MDQ6VXNlcj${id}`,
        avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
        gravatar_id: '',
        url: `https://api.github.com/users/${login}`,
        html_url: `https://github.com/${login}`,
        followers_url: `https://api.github.com/users/${login}/followers`,
        following_url: `https://api.github.com/users/${login}/following{/other_user}`,
        gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
        starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
        subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
        organizations_url: `https://api.github.com/users/${login}/orgs`,
        repos_url: `https://api.github.com/users/${login}/repos`,
        events_url: `https://api.github.com/users/${login}/events{/privacy}`,
        received_events_url: `https://api.github.com/users/${login}/received_events`,
        type,
        user_view_type: 'public',
        site_admin: false
    });
    const repo = 'https://api.github.com/repos/acme/widgets';
    const created = new Date(1_767_225_600_000 + n * 60_000).toISOString().replace('.000Z', 'Z');
    const sender = user('octocat', 583231);
    return JSON.stringify({
        action: 'opened',
        issue: {
            url: `${repo}/issues/${n}`,
            repository_url: repo,
            labels_url: `${repo}/issues/${n}/labels{/name}`,
            comments_url: `${repo}/issues/${n}/comments`,
            events_url: `${repo}/issues/${n}/events`,
            html_url: `https://github.com/acme/widgets/issues/${n}`,
            id: 2_900_000_000 + n,
            node_id: `I_kwDOBench${n}`,
            number: n,
            title: `Widget export fails for large workspaces (#${n})`,
            user: sender,
            labels: [{ id: 7_001, node_id: 'LA_kwDOBench', url: `${repo}/labels/bug`, name: 'bug', color: 'd73a4a', default: true, description: "Something isn't working" }],
            state: 'open',
            locked: false,
            assignee: null,
            assignees: [],
            milestone: null,
            comments: 0,
            created_at: created,
            updated_at: created,
            closed_at: null,
            author_association: 'MEMBER',
            active_lock_reason: null,
            body: 'Exporting a workspace with more than 10,000 widgets times out after 30 s.\n\n### Steps\n1. Open a large workspace\n2. Export as CSV\n\nExpected: a file. Actual: a 504.',
            reactions: { url: `${repo}/issues/${n}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
            timeline_url: `${repo}/issues/${n}/timeline`,
            performed_via_github_app: null,
            state_reason: null
        },
        repository: {
            id: 123_456_789,
            node_id: 'R_kgDOBench',
            name: 'widgets',
            full_name: 'acme/widgets',
            private: true,
            owner: user('acme', 9_919, 'Organization'),
            html_url: 'https://github.com/acme/widgets',
            description: 'Widgets service',
            fork: false,
            url: repo,
            issues_url: `${repo}/issues{/number}`,
            pulls_url: `${repo}/pulls{/number}`,
            created_at: '2024-03-01T09:00:00Z',
            updated_at: created,
            pushed_at: created,
            default_branch: 'main',
            visibility: 'private',
            open_issues_count: n
        },
        sender,
        installation: { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMTEx' }
    });
}

const ratio = (x: number, base: number) => (base > 0 ? `×${(x / base).toFixed(2)}` : 'n/a');

/** Sequential calls; answers each call's time. */
async function latencies(requests: Call[], check: (res: { status: number; json: any }) => void): Promise<number[]> {
    const out: number[] = [];
    for (const request of requests) {
        const started = performance.now();
        const res = await request();
        out.push(performance.now() - started);
        check(res);
    }
    return out;
}

/** All the calls, `CONCURRENCY` at a time; answers calls per second and each call's time. */
async function throughput(requests: Call[], check: (res: { status: number; json: any }) => void): Promise<{ rate: number; latencies: number[] }> {
    let next = 0;
    const out: number[] = [];
    const started = performance.now();
    await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
            while (next < requests.length) {
                const request = requests[next++]!;
                const t = performance.now();
                const res = await request();
                out.push(performance.now() - t);
                check(res);
            }
        })
    );
    return { rate: (requests.length / (performance.now() - started)) * 1000, latencies: out };
}

let environmentId: string;
let integrationId: string;
let path: string;
let sent = 0; // new deliveries so far
let duplicatesSent = 0;
const delivered: { body: string; headers: Record<string, string> }[] = [];

/** A new delivery: its own id and issue, signed ahead of time so signing is not timed. */
function freshDelivery(): Call {
    const n = ++sent;
    const id = `bench-delivery-${n}-${crypto.randomUUID()}`;
    const body = issuesPayload(n);
    const headers = { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': id, 'x-github-hook-id': '42', ...signDelivery({ type: 'github' }, SECRET, { method: 'POST', url: BASE + path, body }, Date.now()) };
    delivered.push({ body, headers });
    return () => call(path, { method: 'POST', body, headers });
}

/** GitHub's redelivery of one of the first 50 deliveries, all processed long before: same id, body and signature. */
function duplicateDelivery(i: number): Call {
    const { body, headers } = delivered[i % 50]!;
    duplicatesSent++;
    return () => call(path, { method: 'POST', body, headers });
}

const requests: Record<Variant, (count: number) => Call[]> = {
    health: (count) => Array.from({ length: count }, () => () => call('/health')),
    ingress: (count) => Array.from({ length: count }, freshDelivery),
    duplicate: (count) => Array.from({ length: count }, (_, i) => duplicateDelivery(i))
};

const checks: Record<Variant, (res: { status: number; json: any }) => void> = {
    health: (res) => {
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ status: 'ok' });
    },
    ingress: (res) => {
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ status: 'success' });
    },
    duplicate: (res) => {
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ status: 'success' });
    }
};

const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;

/** Deliveries still waiting for the queue. */
const unprocessed = () => count(`SELECT count(*) AS n FROM incoming_webhooks WHERE environment_id = ? AND status != 'processed'`, environmentId);

/** Untimed: until the queue has processed every delivery and every delivery's operation is finished. */
async function drain(): Promise<void> {
    await vi.waitFor(
        async () => {
            expect(await unprocessed()).toBe(0);
            expect(await count(`SELECT count(*) AS n FROM operations WHERE environment_id = ? AND type = 'webhook' AND status = 'running'`, environmentId)).toBe(0);
        },
        { timeout: 60_000, interval: 50 }
    );
}

beforeAll(async () => {
    // No webhook settings: the environment has no URL to forward to.
    const environment = await newEnvironment();
    environmentId = environment.id;
    path = ingressPath(environmentId, 'gh');
    await createIntegration(environment.key, { provider: 'github', unique_key: 'gh', credentials: { type: 'OAUTH2', client_id: 'app-id', client_secret: 'app-client-secret', webhook_secret: SECRET } });
    await importConnection(environment.key, 'gh', 'acme', { connection_config: { installation_id: String(INSTALLATION) } });
    integrationId = (await env.DB.prepare(`SELECT id FROM integrations WHERE environment_id = ? AND unique_key = 'gh'`).bind(environmentId).first<{ id: string }>())!.id;
    // Warm-up, and the 50 deliveries the duplicates repeat.
    for (const request of requests.ingress(50)) checks.ingress(await request());
    for (const request of requests.health(10)) checks.health(await request());
    for (const request of requests.duplicate(10)) checks.duplicate(await request());
    await drain();
});

describe('webhook ingress', () => {
    it('signed GitHub deliveries vs GET /health: p50, p99 and requests per second', async () => {
        const variants: Variant[] = ['health', 'ingress', 'duplicate'];
        const sequential: Record<Variant, number[]> = { health: [], ingress: [], duplicate: [] };
        // Per round: one stall during a concurrent phase delays all 20 calls in flight, so a pooled p99 would be one round's noise.
        const loaded: Record<Variant, { p50: number; p99: number }[]> = { health: [], ingress: [], duplicate: [] };
        const rates: Record<Variant, number[]> = { health: [], ingress: [], duplicate: [] };
        const processedWhileTimed: number[] = []; // share of a phase's new deliveries the queue had finished when the phase ended
        const drainSeconds: number[] = []; // after each concurrent phase of new deliveries

        /** One timed phase of one variant, its calls built and signed before the clock starts; then the queue drains, untimed. */
        const phase = async (variant: Variant, size: number, measure: (calls: Call[]) => Promise<void>) => {
            const calls = requests[variant](size);
            await measure(calls);
            if (variant !== 'ingress') return drain();
            processedWhileTimed.push(1 - (await unprocessed()) / size);
            const started = performance.now();
            await drain();
            if (size === THROUGHPUT_REQUESTS) drainSeconds.push((performance.now() - started) / 1000);
        };

        for (let round = 0; round < ROUNDS; round++) {
            const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
            for (const v of order) await phase(v, LATENCY_SAMPLES, async (calls) => void sequential[v].push(...(await latencies(calls, checks[v]))));
            for (const v of order) {
                await phase(v, THROUGHPUT_REQUESTS, async (calls) => {
                    const { rate, latencies } = await throughput(calls, checks[v]);
                    rates[v].push(rate);
                    const sorted = latencies.sort((a, b) => a - b);
                    loaded[v].push({ p50: pct(sorted, 50), p99: pct(sorted, 99) });
                });
            }
        }

        // Every new delivery was stored once, claimed its id once and was processed once; no duplicate was queued.
        await drain();
        expect(await count(`SELECT count(*) AS n FROM webhook_delivery_keys WHERE integration_id = ?`, integrationId)).toBe(sent);
        expect(await count(`SELECT count(*) AS n FROM incoming_webhooks WHERE environment_id = ?`, environmentId)).toBe(sent + duplicatesSent);
        const metas = (await env.DB.prepare(`SELECT meta FROM operations WHERE environment_id = ? AND type = 'webhook' AND action = 'incoming'`).bind(environmentId).all<{ meta: string }>()).results.map(
            (r) => JSON.parse(r.meta) as { duplicates: number; routing?: unknown[] }
        );
        expect(metas).toHaveLength(sent + duplicatesSent);
        const duplicates = metas.filter((m) => m.duplicates === 1);
        expect(duplicates).toHaveLength(duplicatesSent);
        expect(duplicates.every((m) => m.routing === undefined)).toBe(true);
        const processed = metas.filter((m) => m.duplicates === 0);
        expect(processed).toHaveLength(sent);
        // Processing routed each event to the one connection, ran no handler and forwarded nothing.
        for (const m of processed) expect(m.routing).toEqual([expect.objectContaining({ connections: ['acme'], unattributed: false, handlers: [], deliveries: [] })]);
        expect(await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE environment_id = ?`, environmentId)).toBe(0);

        const stats = Object.fromEntries(
            variants.map((v) => {
                const seq = [...sequential[v]].sort((a, b) => a - b);
                const rounds = loaded[v];
                return [
                    v,
                    { mean: seq.reduce((a, b) => a + b, 0) / seq.length, p50: pct(seq, 50), p99: pct(seq, 99), rate: median(rates[v]), loadP50: median(rounds.map((r) => r.p50)), loadP99: median(rounds.map((r) => r.p99)) }
                ];
            })
        ) as Record<Variant, { mean: number; p50: number; p99: number; rate: number; loadP50: number; loadP99: number }>;
        const base = stats.health;
        // workerd's clock reads whole milliseconds: a reading of 0 means under 1 ms, and no ratio can be taken to it.
        const whole = (x: number) => (x === 0 ? '<1 ms' : `${x.toFixed(0)} ms`);
        const cols = (cells: string[]) => `  ${cells[0]!.padEnd(34)}${cells.slice(1).map((c, i) => c.padStart(i === 3 ? 12 : 9)).join('')}`;
        const row = (label: string, v: Variant) => {
            const s = stats[v];
            return cols([label, `${s.mean.toFixed(2)} ms`, whole(s.p50), whole(s.p99), `${s.rate.toFixed(0)}/s`, whole(s.loadP50), whole(s.loadP99)]);
        };
        const ratios = (label: string, v: Variant) => {
            const s = stats[v];
            return cols([label, ratio(s.mean, base.mean), ratio(s.p50, base.p50), ratio(s.p99, base.p99), ratio(s.rate, base.rate), ratio(s.loadP50, base.loadP50), ratio(s.loadP99, base.loadP99)]);
        };
        const kb = (issuesPayload(sent).length / 1024).toFixed(1);
        console.log(
            [
                `\nWebhook ingress: signed GitHub issues deliveries (${kb} KB each) vs GET /health, through the Worker's fetch handler`,
                `  ${ROUNDS} interleaved rounds, first variant rotating: ${LATENCY_SAMPLES} calls one at a time, then ${THROUGHPUT_REQUESTS} calls ${CONCURRENCY} at a time, per variant and round`,
                `  Queue processing of a new delivery: routed by installation.id to 1 connection, no handler run (no sync deployed), nothing forwarded (no webhook URL)`,
                `  ${''.padEnd(34)}${'─ one at a time ─'.padStart(27)}${`─ ${CONCURRENCY} concurrent ─`.padStart(30)}`,
                cols(['', 'mean', 'p50', 'p99', 'req/s', 'p50', 'p99']),
                row('GET /health (baseline)', 'health'),
                row('POST /webhook, new delivery', 'ingress'),
                row('POST /webhook, duplicate delivery', 'duplicate'),
                ratios('  ratio new / health', 'ingress'),
                ratios('  ratio duplicate / health', 'duplicate'),
                `  One at a time: p50/p99 of all ${ROUNDS * LATENCY_SAMPLES} calls; concurrent: medians of the ${ROUNDS} rounds' figures. Latencies read whole milliseconds`,
                `  (workerd's clock); the mean, the phases' time over their calls, is finer.`,
                `  ${sent} new deliveries, each processed once; ${duplicatesSent} duplicates, none queued. The queue had finished ${(median(processedWhileTimed) * 100).toFixed(0)}% (median, max ${(Math.max(...processedWhileTimed) * 100).toFixed(0)}%) of a phase's new deliveries when the phase ended,`,
                `  and processed the ${THROUGHPUT_REQUESTS} of a concurrent phase in ${median(drainSeconds).toFixed(1)} s (median, untimed, before the next phase).`
            ].join('\n')
        );
    });
});
