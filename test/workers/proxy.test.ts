import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { streamedChunk } from '../support/fake-upstream-scenarios.js';
import { authorize, createSession, fake, fakeOAuthProvider, oauthEnvironment } from './auth-helpers.js';
import { apiEnvironment } from './api-environment.js';
import { BASE, call, expectError, proxyCall } from './helpers.js';

let key: string;
let scenario: string;

/** `k`: another environment's key. */
const proxy = (path: string, { k = key, ...options }: Parameters<typeof proxyCall>[2] & { k?: string } = {}) => proxyCall(k, path, options);

/** The proxy's answer, body unread and not decoded, for bodies `call` can't hold as text. */
function rawProxy(path: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string>; k?: string } = {}): Promise<Response> {
    const headers = { authorization: `Bearer ${init.k ?? key}`, 'connection-id': 'c1', 'provider-config-key': 'api', ...init.headers };
    // Bytes as they were sent: a client's own fetch would decode a compressed body.
    return exports.default.fetch(new Request(`${BASE}/proxy${path}`, { method: init.method ?? 'GET', headers, body: init.body ?? null }), { encodeResponseBody: 'manual' });
}

async function sha256(data: BufferSource | ReadableStream<Uint8Array>): Promise<string> {
    const bytes = data instanceof ReadableStream ? await new Response(data).arrayBuffer() : data;
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const gunzip = (body: ReadableStream<Uint8Array>) => new Response(body.pipeThrough(new DecompressionStream('gzip'))).json();

/** The rate limit the Durable Object of the environment's connection `c1` holds (0: none ever). */
async function heldRateLimit(environmentId: string): Promise<number> {
    const row = await env.DB.prepare("SELECT uid FROM connections WHERE environment_id = ? AND connection_id = 'c1'").bind(environmentId).first<{ uid: string }>();
    // Read in the object itself: a limit of a few ms may have passed by the time a caller asks.
    return runInDurableObject(env.CONNECTION.getByName(row!.uid), (instance) => (instance as unknown as { rateLimitedUntil: number }).rateLimitedUntil);
}

beforeAll(async () => {
    ({ key, scenario } = await apiEnvironment({ after: ['x-wait'] }));
});

describe('proxy', () => {
    it('injects the credentials per the provider template and passes the answer through', async () => {
        const res = await proxy('/items?page=2', { headers: { 'nango-proxy-x-custom': 'hello', 'x-not-forwarded': 'no' } });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ method: 'GET', path: '/items', query: { page: '2', tenant: 'acme' }, headers: { 'x-api-key': 'secret-api-key', 'x-custom': 'hello' } });
        expect(res.json.headers).not.toHaveProperty('x-not-forwarded');
        expect(res.json.headers).not.toHaveProperty('authorization');
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(res.headers.get('x-request-id')).toBeTruthy();
    });

    it('forwards bodies and methods, and upstream errors as they are', async () => {
        const posted = await proxy('/items', { method: 'POST', body: { name: 'x' } });
        expect(posted.json).toMatchObject({ method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' } });
        await fake.api(scenario, { script: [{ status: 404, headers: { 'x-upstream': 'yes' }, body: { error: 'nope' } }] });
        const missing = await proxy('/gone');
        expect(missing.status).toBe(404);
        expect(missing.json).toEqual({ error: 'nope' });
        expect(missing.headers.get('x-upstream')).toBe('yes');
        await fake.api(scenario, {});
    });

    it('decodes compressed answers with Decompress: true, and passes them on encoded otherwise, as Nango', async () => {
        const body = { compressed: 'no more' };
        await fake.api(scenario, { script: [{ status: 200, gzip: true, body }] });
        const decoded = await proxy('/gzipped', { headers: { decompress: 'true' } });
        expect(decoded.status, decoded.text).toBe(200);
        expect(decoded.json).toEqual(body);
        expect(decoded.headers.get('content-encoding')).toBeNull();
        // Asked to decode, Spoke asks the provider only for encodings it decodes.
        expect((await proxy('/echo', { headers: { decompress: 'true' } })).json.headers['accept-encoding']).toBe('gzip, deflate');

        for (const decompress of [undefined, 'false']) {
            await fake.api(scenario, { script: [{ status: 200, gzip: true, body }] });
            const encoded = await rawProxy('/gzipped', { headers: decompress ? { decompress } : {} });
            expect(encoded.status).toBe(200);
            expect(encoded.headers.get('content-encoding')).toBe('gzip');
            expect(await gunzip(encoded.body!)).toEqual(body);
        }

        // An encoding Spoke does not decode goes through untouched, under its header, even when asked to decode.
        await fake.api(scenario, { script: [{ status: 200, headers: { 'content-encoding': 'br' }, body: 'opaque-brotli-bytes' }] });
        const br = await proxy('/brotli', { headers: { decompress: 'true' } });
        expect(br.headers.get('content-encoding')).toBe('br');
        expect(br.text).toBe('opaque-brotli-bytes');
    });

    it('always decodes the answers of a provider whose entry says decompress', async () => {
        const { key: k, scenario: sc } = await apiEnvironment(undefined, { decompress: true });
        await fake.api(sc, { script: [{ status: 200, gzip: true, body: { from: 'provider' } }] });
        const res = await proxy('/gzipped', { k });
        expect(res.json).toEqual({ from: 'provider' });
        expect(res.headers.get('content-encoding')).toBeNull();
    });

    it('streams large bodies both ways, byte for byte', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        // 6 MB of text up: the fake API echoes what it received.
        const sent = 'spoke-'.repeat(1_000_000);
        const upload = await rawProxy('/upload', { k, method: 'POST', body: sent, headers: { 'content-type': 'text/plain' } });
        expect(upload.status).toBe(200);
        const echoed = (await upload.json()) as { body: string; headers: Record<string, string> };
        expect(echoed.headers['content-type']).toBe('text/plain');
        expect(await sha256(new TextEncoder().encode(echoed.body))).toBe(await sha256(new TextEncoder().encode(sent)));

        // 8 MiB down, chunked, as an attachment: every header of the provider comes along.
        const stream = { chunks: 128, size: 64 * 1024 };
        const headers = { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="export.csv"', 'x-export-id': 'exp-42', 'cache-control': 'private, max-age=60' };
        await fake.api(sc, { script: [{ status: 200, stream, headers }] });
        const download = await rawProxy('/export', { k });
        expect(download.status).toBe(200);
        for (const [name, value] of Object.entries(headers)) expect(download.headers.get(name), name).toBe(value);
        expect(download.headers.get('transfer-encoding')).toBeNull();
        const expected = new Uint8Array(stream.chunks * stream.size);
        for (let i = 0; i < stream.chunks; i++) expected.set(streamedChunk(i, stream.size), i * stream.size);
        expect(await sha256(download.body!)).toBe(await sha256(expected));
    });

    it('retries 5xx and honours the provider’s wait headers', async () => {
        const { key: k, scenario: sc } = await apiEnvironment({ after: ['x-wait'] });
        await fake.api(sc, { script: [{ status: 503 }, { status: 500, headers: { 'x-wait': '0.2' } }] });
        const started = Date.now();
        const res = await proxy('/flaky', { k, headers: { retries: '3' } });
        expect(res.status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(200);
        expect((await fake.apiRequests(sc)).map((r) => r.status)).toEqual([503, 500, 200]);
        const logs = (await call('/logs?type=proxy', { key: k })).json.data;
        expect(logs[0]).toMatchObject({ action: 'get', status: 'success', http_status: 200, meta: { attempts: 3, endpoint: '/flaky' } });
        expect(JSON.stringify(logs)).not.toContain('secret-api-key');
    });

    it('does not retry without Retries, and retries extra statuses with Retry-On', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: [{ status: 500 }] });
        expect((await proxy('/once', { k })).status).toBe(500);
        await fake.api(sc, { script: [{ status: 409 }] });
        expect((await proxy('/conflict', { k, headers: { retries: '1' } })).status).toBe(409);
        await fake.api(sc, { script: [{ status: 409 }] });
        expect((await proxy('/conflict', { k, headers: { retries: '1', 'retry-on': '409' } })).status).toBe(200);
    });

    it('makes every caller of a connection wait after a 429, instead of hammering the provider', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { rateLimitMs: 1000 });
        const first = await proxy('/limited', { k });
        expect(first.status).toBe(429);
        expect(first.headers.get('retry-after')).toBe('1');
        const results = await Promise.all(Array.from({ length: 100 }, () => proxy('/limited', { k })));
        expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
        const requests = await fake.apiRequests(sc);
        expect(requests.filter((r) => r.status === 429)).toHaveLength(1);
        expect(requests.filter((r) => r.status === 200)).toHaveLength(100);
    });

    it('waits out a 429 within its retries', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: [{ status: 429, headers: { 'retry-after': '1' } }] });
        const started = Date.now();
        expect((await proxy('/later', { k, headers: { retries: '2' } })).status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it('keeps waiting callers waiting when a later 429 moves the limit while they sleep', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        // A slow call already under way will come back 429 asking for 2 s, after a quick one asked for 1 s.
        await fake.api(sc, { script: [{ status: 429, delayMs: 300, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': '1' } }] });
        const slow = proxy('/slow', { k });
        while ((await fake.apiRequests(sc)).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        expect((await proxy('/quick', { k })).status).toBe(429);
        const waiting = Promise.all(Array.from({ length: 20 }, () => proxy('/after', { k })));
        expect((await slow).status).toBe(429);
        expect((await waiting).map((r) => r.status)).toEqual(Array(20).fill(200));
        const requests = await fake.apiRequests(sc);
        const slowAnswered = requests[0]!.at + 300;
        const later = requests.filter((r) => r.path === '/after');
        expect(later).toHaveLength(20);
        // Woken after 1 s, they asked again and waited out the 2 s the slow call's answer asked for.
        for (const r of later) expect(r.at).toBeGreaterThanOrEqual(slowAnswered + 2000 - 50);
    });

    it('returns a 429 that names no wait to its caller without holding up the others', async () => {
        const { key: k, id, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: [{ status: 429 }] });
        const limited = await proxy('/no-wait', { k });
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toBeNull();
        expect(await heldRateLimit(id)).toBe(0);
        // A 429 that names its wait holds up every caller of the connection.
        await fake.api(sc, { script: [{ status: 429, headers: { 'retry-after': '30' } }] });
        expect((await proxy('/wait', { k })).status).toBe(429);
        expect(await heldRateLimit(id)).toBeGreaterThan(Date.now() + 25_000);
    });

    it('applies the base URL override, empty meaning none, and refuses private addresses', async () => {
        const other = crypto.randomUUID();
        const overridden = await proxy('/x', { headers: { 'base-url-override': `https://api.fake.test/${other}` } });
        expect(overridden.json.path).toBe('/x');
        expect((await fake.apiRequests(other))).toHaveLength(1);
        expect((await proxy('/y', { headers: { 'base-url-override': '' } })).json.path).toBe('/y');
        for (const target of ['http://10.0.0.5', 'https://127.0.0.1:8443', 'https://[::1]', 'http://169.254.169.254/latest', 'https://metadata.internal']) {
            expectError(await proxy('/z', { headers: { 'base-url-override': target } }), 400, 'egress_denied');
        }
        expectError(await proxy('/z', { headers: { 'base-url-override': 'ftp://files.example.com' } }), 400, 'invalid_url');
    });

    it('refuses to send the credentials to a host that is not the provider’s', async () => {
        const res = await proxy('/x', { headers: { 'base-url-override': 'https://oauth.fake.test/elsewhere' } });
        expectError(res, 400, 'credentials_egress_denied');
    });

    it('follows the environment’s egress settings', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        // A connection without secrets: where its calls go, the egress settings alone decide.
        await call('/providers', {
            method: 'POST',
            key: k,
            body: { name: 'open-api', display_name: 'Open API', categories: ['dev-tools'], docs: 'https://docs.example.com', auth_mode: 'NONE', proxy: { base_url: `https://api.fake.test/${sc}` } }
        });
        await call('/integrations', { method: 'POST', key: k, body: { provider: 'open-api', unique_key: 'open' } });
        expect((await call('/connections', { method: 'POST', key: k, body: { provider_config_key: 'open', connection_id: 'o1', credentials: { type: 'NONE' } } })).status).toBe(201);
        const open = (path: string, override: string) => proxy(path, { k, headers: { 'connection-id': 'o1', 'provider-config-key': 'open', 'base-url-override': override } });
        expect((await open('/y', 'https://oauth.fake.test/elsewhere')).status).not.toBe(400);

        expectError(await call('/environment/egress-settings', { method: 'PATCH', key: k, body: { allow_everything: true } }), 400, 'invalid_body');
        await call('/environment/egress-settings', { method: 'PATCH', key: k, body: { allow_base_url_override: false } });
        expectError(await open('/z', 'https://oauth.fake.test/elsewhere'), 400, 'base_url_override_not_allowed');
        expectError(await proxy('/z', { k, headers: { 'base-url-override': 'https://oauth.fake.test/elsewhere' } }), 400, 'base_url_override_not_allowed');
        // The provider's own host is no override at all.
        expect((await proxy('/z', { k, headers: { 'base-url-override': `https://api.fake.test/${sc}` } })).json.path).toBe('/z');

        const settings = await call('/environment/egress-settings', { method: 'PATCH', key: k, body: { allow_base_url_override: true, allow_private_network: true } });
        expect(settings.json.data).toEqual({ allow_base_url_override: true, allow_private_network: true });
        // Allowed now; the fake network has nothing there, so the call fails upstream rather than being refused.
        expect((await open('/z', 'https://10.0.0.5')).status).toBe(502);
        // Credentials still go nowhere but the provider's API.
        expectError(await proxy('/z', { k, headers: { 'base-url-override': 'https://10.0.0.5' } }), 400, 'credentials_egress_denied');
    });

    it('retries a 401 once, after a forced refresh, and never for credentials that cannot refresh', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: [{ status: 401 }] });
        expect((await proxy('/key', { k, headers: { retries: '3' } })).status).toBe(401);
        expect(await fake.apiRequests(sc)).toHaveLength(1);

        const o = await oauthEnvironment();
        await authorize(o.scenario, await createSession(o.key));
        const id = (await call('/connections', { key: o.key })).json.connections[0].connection_id;
        // The provider's API on the scriptable fake, its tokens still from the fake OAuth server.
        const moved = await call('/providers/fake-oauth', { method: 'PUT', key: o.key, body: { ...fakeOAuthProvider(o.scenario), proxy: { base_url: `https://api.fake.test/${o.scenario}` } } });
        expect(moved.status, moved.text).toBe(200);
        await fake.api(o.scenario, { script: [{ status: 401 }, { status: 401 }, { status: 401 }] });
        const res = await call('/proxy/me', { key: o.key, headers: { 'connection-id': id, 'provider-config-key': 'fake', retries: '3' } });
        expect(res.status).toBe(401);
        const requests = await fake.apiRequests(o.scenario);
        expect(requests).toHaveLength(2);
        expect(requests[0]!.headers['authorization']).not.toBe(requests[1]!.headers['authorization']);
        expect((await fake.state(o.scenario)).counts.refresh).toBe(1);
    });

    it('injects a Bearer token for OAuth connections, refreshed first when due', async () => {
        const { key: k, scenario: sc } = await oauthEnvironment();
        await authorize(sc, await createSession(k));
        const id = (await call('/connections', { key: k })).json.connections[0].connection_id;
        const res = await call('/proxy/me', { key: k, headers: { 'connection-id': id, 'provider-config-key': 'fake' } });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ id: 'me' });
    });

    it('rejects bad proxy requests', async () => {
        expectError(await call('/proxy/x', { key, headers: { 'provider-config-key': 'api' } }), 400, 'invalid_headers');
        expectError(await proxy('/x', { headers: { retries: 'many' } }), 400, 'invalid_headers');
        expectError(await proxy('/x', { headers: { 'retry-on': 'abc' } }), 400, 'invalid_headers');
        expectError(await proxy('/x', { headers: { 'connection-id': 'nobody' } }), 404, 'unknown_connection');
        expectError(await call('/proxy/x', { headers: { 'connection-id': 'c1', 'provider-config-key': 'api' } }), 401, 'missing_auth_header');
    });
});
