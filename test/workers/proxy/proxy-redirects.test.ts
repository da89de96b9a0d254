import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake } from '../auth-helpers.js';
import { BASE, call, expectError, proxyCall } from '../helpers.js';

let key: string;
let scenario: string;

/** `k`: another environment's key. */
const proxy = (path: string, { k = key, ...options }: Parameters<typeof proxyCall>[2] & { k?: string } = {}) => proxyCall(k, path, options);

const redirect = (location: string, status = 302) => ({ status, headers: { location }, body: '' });

// The fake API records requests on both of its hosts under the scenario: api.fake.test is the provider's, mirror.fake.test is not.
const requests = async (sc = scenario) => (await fake.apiRequests(sc)).map(({ host, method, path, query, headers, body }) => ({ host, method, path, query, headers, body }));

beforeAll(async () => {
    ({ key, scenario } = await apiEnvironment());
});

describe('redirects of provider calls', () => {
    it("are followed on the provider's host, with the credentials injected again", async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: [redirect(`https://api.fake.test/${sc}/moved?page=2`), redirect(`/${sc}/moved-again`, 301)] });
        const res = await proxy('/old', { k });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ path: '/moved-again', headers: { 'x-api-key': 'secret-api-key' } });
        const [, moved, again] = await requests(sc);
        expect(moved).toMatchObject({ host: 'api.fake.test', path: '/moved', query: { page: '2', tenant: 'acme' }, headers: { 'x-api-key': 'secret-api-key' } });
        expect(again).toMatchObject({ host: 'api.fake.test', path: '/moved-again', query: { tenant: 'acme' }, headers: { 'x-api-key': 'secret-api-key' } });
    });

    it('to a private or loopback address are refused', async () => {
        for (const target of ['http://127.0.0.1:8080/admin', 'http://[::ffff:7f00:1]/admin', 'http://[::ffff:a00:1]/', 'http://169.254.169.254/latest/meta-data', 'https://localhost/']) {
            await fake.api(scenario, { script: [redirect(target)] });
            expectError(await proxy('/jump'), 400, 'egress_denied');
        }
        const [log] = (await call('/logs?type=proxy', { key })).json.data;
        expect(log).toMatchObject({ status: 'failed', error: { code: 'egress_denied' } });
    });

    it('to a private address are followed where the environment allows private networks', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await call('/environment/egress-settings', { method: 'PATCH', key: k, body: { allow_private_network: true } });
        await fake.api(sc, { script: [redirect('http://10.0.0.5/internal')] });
        // The fake network has nothing there: the answer comes from the fake, not a refusal.
        const res = await proxy('/jump', { k });
        expect(res.status).toBe(502);
        expect(res.text).toContain('No fake upstream for 10.0.0.5');
    });

    it('to another host carry no credentials, and the forwarded headers only when asked', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        // One scripted answer at a time: the mirror plays the same script.
        await fake.api(sc, { script: [redirect(`https://mirror.fake.test/${sc}/landing`)] });
        const plain = await proxy('/go', { k, headers: { 'nango-proxy-x-custom': 'hello', 'nango-proxy-authorization': 'Bearer mine' } });
        expect(plain.status, plain.text).toBe(200);
        await fake.api(sc, { script: [redirect(`https://mirror.fake.test/${sc}/landing`)] });
        const forwarded = await proxy('/go', { k, headers: { 'nango-proxy-x-custom': 'hello', 'nango-proxy-authorization': 'Bearer mine', 'forward-headers-on-redirect': 'true' } });
        expect(forwarded.status, forwarded.text).toBe(200);
        const landed = (await requests(sc)).filter((r) => r.host === 'mirror.fake.test');
        expect(landed).toHaveLength(2);
        expect(landed[0]!.headers).not.toHaveProperty('x-custom');
        expect(landed[1]!.headers).toMatchObject({ 'x-custom': 'hello' });
        for (const r of landed) {
            expect(r.headers).not.toHaveProperty('x-api-key');
            expect(r.headers).not.toHaveProperty('authorization');
            expect(r.query).toEqual({});
        }
    });

    it("to another host are refused when their URL carries the connection's secret", async () => {
        await fake.api(scenario, { script: [redirect(`https://mirror.fake.test/${scenario}/landing?api_key=secret-api-key`)] });
        expectError(await proxy('/leak'), 400, 'credentials_egress_denied');
        expect((await requests()).filter((r) => r.host === 'mirror.fake.test')).toEqual([]);
    });

    it('turn a POST into a GET without its body after 301, 302 and 303, and keep it after 307 and 308', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        const statuses = [301, 302, 303, 307, 308];
        for (const status of statuses) {
            await fake.api(sc, { script: [redirect(`/${sc}/after-${status}`, status)] });
            // With retries the body is buffered, so it can be sent again.
            const res = await proxy('/form', { k, method: 'POST', body: { n: 1 }, headers: { retries: '1' } });
            expect(res.status, res.text).toBe(200);
        }
        const after = (await requests(sc)).filter((r) => r.path.startsWith('/after-'));
        expect(after.map((r) => [r.path, r.method, r.body, r.headers['content-type'] ?? null])).toEqual([
            ['/after-301', 'GET', '', null],
            ['/after-302', 'GET', '', null],
            ['/after-303', 'GET', '', null],
            ['/after-307', 'POST', '{"n":1}', 'application/json'],
            ['/after-308', 'POST', '{"n":1}', 'application/json']
        ]);
    });

    it('that would send a streamed body again come back as they are', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: [redirect(`https://api.fake.test/${sc}/again`, 307)] });
        const res = await exports.default.fetch(
            new Request(`${BASE}/proxy/upload`, {
                method: 'POST',
                redirect: 'manual',
                headers: { authorization: `Bearer ${k}`, 'connection-id': 'c1', 'provider-config-key': 'api', 'content-type': 'text/plain' },
                body: 'streamed once'
            })
        );
        expect(res.status).toBe(307);
        expect(res.headers.get('location')).toBe(`https://api.fake.test/${sc}/again`);
        expect((await requests(sc)).map((r) => r.path)).toEqual(['/upload']);
    });

    it('end after 10 hops', async () => {
        const { key: k, scenario: sc } = await apiEnvironment();
        await fake.api(sc, { script: Array.from({ length: 11 }, (_, i) => redirect(`/${sc}/hop-${i}`)) });
        const res = await proxy('/loop', { k });
        expectError(res, 502, 'upstream_unreachable');
        expect(res.json.error.message).toContain('redirects');
        expect(await requests(sc)).toHaveLength(11);
    });
});
