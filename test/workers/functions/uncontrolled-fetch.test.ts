import { beforeAll, describe, expect, it } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake } from '../auth-helpers.js';
import { call } from '../helpers.js';
import { deploy, trigger } from './function-helpers.js';

/** Fetches what its input says and answers what came back, or the error's message. */
const FETCH_ACTION = `
export default {
    type: 'action',
    exec: async (nango, input) => {
        try {
            const res = await nango.uncontrolledFetch(input);
            return { status: res.status, text: await res.text() };
        } catch (error) {
            return { error: error.message };
        }
    }
};`;

let key: string;
let scenario: string;

beforeAll(async () => {
    ({ key, scenario } = await apiEnvironment());
    const deployed = await deploy(key, [{ integration: 'api', name: 'fetch', type: 'action', code: FETCH_ACTION }]);
    expect(deployed.status, deployed.text).toBe(201);
});

async function fetchVia(input: Record<string, unknown>) {
    const res = await trigger(key, 'fetch', input);
    expect(res.status, res.text).toBe(200);
    return res.json as { status?: number; text?: string; error?: string };
}

/** The HTTP calls of the environment's latest run. */
async function lastRunCalls(k = key) {
    const [run] = (await call('/logs?type=action', { key: k })).json.data;
    return (await call(`/logs?parent_id=${run.id}`, { key: k })).json.data;
}

const requests = async () => (await fake.apiRequests(scenario)).map(({ host, path, headers, body }) => ({ host, path, headers, body }));

describe('uncontrolledFetch', () => {
    it('refuses private and loopback addresses, in every spelling, and logs the refusal', async () => {
        for (const url of ['http://127.0.0.1:8787/', 'http://[::ffff:7f00:1]/', 'http://[::ffff:a00:1]/', 'http://0x7f000001/', 'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/']) {
            const out = await fetchVia({ url });
            expect(out.error, url).toMatch(/^egress_denied: /);
        }
        expect(await lastRunCalls()).toEqual([expect.objectContaining({ action: 'uncontrolled_fetch', status: 'failed', error: expect.objectContaining({ code: 'egress_denied' }) })]);
    });

    it('goes through where the policy allows, logged with the upstream status', async () => {
        expect(await fetchVia({ url: `https://api.fake.test/${scenario}/ping` })).toMatchObject({ status: 200 });
        expect(await lastRunCalls()).toEqual([expect.objectContaining({ action: 'uncontrolled_fetch', status: 'success', http_status: 200, meta: expect.objectContaining({ endpoint: `/${scenario}/ping` }) })]);

        await fake.api(scenario, { script: [{ status: 404, body: { error: 'none here' } }] });
        expect(await fetchVia({ url: `https://api.fake.test/${scenario}/missing` })).toMatchObject({ status: 404 });
        expect(await lastRunCalls()).toEqual([expect.objectContaining({ status: 'failed', http_status: 404, error: expect.objectContaining({ code: 'upstream_404' }) })]);
    });

    it('refuses a redirect to a private address', async () => {
        await fake.api(scenario, { script: [{ status: 302, headers: { location: 'http://[::ffff:7f00:1]:8787/admin' } }] });
        expect((await fetchVia({ url: `https://api.fake.test/${scenario}/jump` })).error).toMatch(/^egress_denied: /);
    });

    it("fills placeholders again on the provider's host, and drops them on the way elsewhere", async () => {
        const headers = { 'x-key': 'spoke-credential-placeholder:apiKey', 'x-plain': 'kept' };
        await fake.api(scenario, { script: [{ status: 302, headers: { location: `/${scenario}/moved` } }] });
        const moved = await fetchVia({ url: `https://api.fake.test/${scenario}/start`, headers });
        expect(moved.status).toBe(200);
        await fake.api(scenario, { script: [{ status: 307, headers: { location: `https://mirror.fake.test/${scenario}/elsewhere` } }] });
        const elsewhere = await fetchVia({ url: `https://api.fake.test/${scenario}/start`, method: 'POST', headers, body: 'no secret here' });
        expect(elsewhere.status).toBe(200);
        const seen = await requests();
        expect(seen.find((r) => r.path === '/moved')?.headers).toMatchObject({ 'x-key': 'secret-api-key', 'x-plain': 'kept' });
        const landed = seen.find((r) => r.path === '/elsewhere');
        expect(landed).toMatchObject({ host: 'mirror.fake.test', headers: { 'x-plain': 'kept' }, body: 'no secret here' });
        expect(landed!.headers).not.toHaveProperty('x-key');

        // A body that carried a secret is not sent anywhere but the provider.
        await fake.api(scenario, { script: [{ status: 307, headers: { location: `https://mirror.fake.test/${scenario}/stolen` } }] });
        const refused = await fetchVia({ url: `https://api.fake.test/${scenario}/start`, method: 'POST', body: 'key=spoke-credential-placeholder:apiKey' });
        expect(refused.error).toMatch(/^credentials_egress_denied: /);
        expect((await requests()).some((r) => r.path === '/stolen')).toBe(false);
    });

    it('hands function code the echo of a secret as its placeholder', async () => {
        const echoed = await fetchVia({ url: `https://api.fake.test/${scenario}/echo`, headers: { 'x-key': 'spoke-credential-placeholder:apiKey' } });
        expect(JSON.parse(echoed.text!).headers['x-key']).toBe('spoke-credential-placeholder:apiKey');
        expect(echoed.text).not.toContain('secret-api-key');
    });
});
