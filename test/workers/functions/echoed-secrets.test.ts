import { beforeAll, describe, expect, it } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake } from '../auth-helpers.js';
import { deploy, trigger } from './function-helpers.js';

/** Answers everything of the provider's answer function code can read, success or error. */
const READ_ALL_ACTION = `
export default {
    type: 'action',
    exec: async (nango) => {
        try {
            const res = await nango.get({ endpoint: '/echo' });
            return { status: res.status, headers: res.headers, data: res.data };
        } catch (error) {
            if (!error.response) return { error: error.message };
            return { status: error.response.status, headers: error.response.headers, data: error.response.data };
        }
    }
};`;

let key: string;
let scenario: string;

beforeAll(async () => {
    ({ key, scenario } = await apiEnvironment());
    const deployed = await deploy(key, [{ integration: 'api', name: 'read-all', type: 'action', code: READ_ALL_ACTION }]);
    expect(deployed.status, deployed.text).toBe(201);
});

describe('an upstream echoing the connection’s secret', () => {
    it('gets it to function code as the placeholder, in headers and bodies, success or error', async () => {
        await fake.api(scenario, {
            script: [
                {
                    status: 200,
                    headers: { link: `<https://api.fake.test/${scenario}/echo?page=2&api_key=secret-api-key>; rel="next"` },
                    body: { seen: 'x-api-key: secret-api-key' }
                },
                { status: 401, body: 'Invalid key "secret-api-key"' }
            ]
        });
        const ok = await trigger(key, 'read-all');
        expect(ok.status, ok.text).toBe(200);
        expect(ok.json).toMatchObject({
            status: 200,
            headers: { link: `<https://api.fake.test/${scenario}/echo?page=2&api_key=spoke-credential-placeholder:apiKey>; rel="next"` },
            data: { seen: 'x-api-key: spoke-credential-placeholder:apiKey' }
        });
        const failed = await trigger(key, 'read-all');
        expect(failed.json).toMatchObject({ status: 401, data: 'Invalid key "spoke-credential-placeholder:apiKey"' });
        for (const res of [ok, failed]) expect(res.text).not.toContain('secret');

        // The request itself went out with the key, which the fake echoes back by default.
        const echoed = await trigger(key, 'read-all');
        expect(echoed.json.data.headers['x-api-key']).toBe('spoke-credential-placeholder:apiKey');
        expect((await fake.apiRequests(scenario)).every((r) => r.headers['x-api-key'] === 'secret-api-key')).toBe(true);
    });

    it('is not handed over in a body the platform cannot decode to check', async () => {
        await fake.api(scenario, { script: [{ status: 200, headers: { 'content-encoding': 'br' }, body: 'opaque brotli bytes' }] });
        const res = await trigger(key, 'read-all');
        expect(res.json.error).toMatch(/^unsupported_encoding: /);
        // Function code can't ask for such an encoding.
        expect((await fake.apiRequests(scenario)).at(-1)!.headers['accept-encoding']).toBe('gzip, deflate');
    });
});
