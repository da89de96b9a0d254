import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake, receivedWebhooks } from '../auth-helpers.js';
import { call, expectError } from '../helpers.js';
import { ECHO_ACTION, PROBE_ACTION } from './bundles.js';
import { deploy, trigger } from './function-helpers.js';

let key: string;
let scenario: string;

beforeAll(async () => {
    ({ key, scenario } = await apiEnvironment());
    const deployed = await deploy(key, [
        { integration: 'api', name: 'echo', type: 'action', code: ECHO_ACTION },
        { integration: 'api', name: 'probe', type: 'action', code: PROBE_ACTION }
    ]);
    expect(deployed.status, deployed.text).toBe(201);
});

/** The function run's operation, and the operations (HTTP calls, nested runs) under it. */
async function runLogs(action: string) {
    const runs = (await call('/logs?type=action', { key })).json.data.filter((o: any) => o.action === action);
    const children = (await call(`/logs?parent_id=${runs[0].id}`, { key })).json.data;
    const messages = (await call(`/logs/${runs[0].id}/messages`, { key })).json.data;
    return { run: runs[0], children, messages };
}

describe('POST /action/trigger', () => {
    it('runs the action with credentials injected by the host, and answers its output', async () => {
        const res = await trigger(key, 'echo', { q: 'hello' });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ path: '/items', query: { q: 'hello', tenant: 'acme' }, sawKey: true, input: { q: 'hello' } });
        const { run, children, messages } = await runLogs('echo');
        expect(run).toMatchObject({ type: 'action', status: 'success', integration_key: 'api', connection_id: 'c1', meta: { function: 'echo', kind: 'action' } });
        expect(children).toEqual([expect.objectContaining({ type: 'proxy', action: 'get', status: 'success', http_status: 200, meta: expect.objectContaining({ endpoint: '/items' }) })]);
        expect(messages).toEqual([expect.objectContaining({ level: 'info', message: 'echoed', payload: { q: 'hello' } })]);
        expect(JSON.stringify({ run, children, messages })).not.toContain('secret-api-key');
    });

    it('maps each way a run fails to a stable code', async () => {
        const refused = await trigger(key, 'probe', { mode: 'action-error' });
        expectError(refused, 500, 'action_script_failure');
        expect(refused.json.error).toMatchObject({ message: 'refused', payload: { message: 'refused', reason: 'test' } });

        const crashed = await trigger(key, 'probe', { mode: 'crash' });
        expectError(crashed, 500, 'action_script_failure');
        expect(crashed.json.error.message).toContain('undefined');
        expect(crashed.json.error).not.toHaveProperty('stack');

        await fake.api(scenario, { script: [{ status: 422, headers: { 'x-upstream': 'yes' }, body: { problem: 'bad' } }] });
        const upstream = await trigger(key, 'probe', { mode: 'http-error' });
        expectError(upstream, 424, 'script_http_error');
        expect(upstream.json.error.upstream).toMatchObject({ status: 422, headers: { 'x-upstream': 'yes' }, data: { problem: 'bad' } });
        await fake.api(scenario, {});

        const invalid = await trigger(key, 'probe', { nope: true });
        expectError(invalid, 400, 'invalid_action_input');
        expect(invalid.json.error.payload).toEqual([expect.objectContaining({ message: 'mode is required', path: ['mode'] })]);

        expectError(await trigger(key, 'probe', { mode: 'big' }), 500, 'action_output_too_large');
        expectError(await trigger(key, 'nope', {}), 404, 'not_found');
        expectError(await trigger(key, 'echo', {}, {}, 'no-such-connection'), 400, 'unknown_connection');
        expectError(await call('/action/trigger', { method: 'POST', key, body: { action_name: 'echo' } }), 400, 'invalid_headers');
        expectError(await trigger(key, 'echo', {}, { 'x-max-retries': '2' }), 400, 'invalid_headers');
        expectError(await trigger(key, 'echo', {}, { 'x-async': 'true', 'x-max-retries': '9' }), 400, 'invalid_headers');
    });

    it('retries upstream calls as the function asks, waiting as the provider says', async () => {
        await fake.api(scenario, { script: [{ status: 429, headers: { 'retry-after': '1' } }, { status: 503 }] });
        const started = Date.now();
        const res = await trigger(key, 'probe', { mode: 'retry' });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        expect((await fake.apiRequests(scenario)).slice(-3).map((r) => r.status)).toEqual([429, 503, 200]);
    });

    it('stops waiting at the time limit', async () => {
        const started = Date.now();
        const slow = await trigger(key, 'probe', { mode: 'slow' });
        expectError(slow, 500, 'execution_timeout');
        // The probe sleeps 10 s: answering sooner is what shows the 3 s limit stopped it.
        expect(Date.now() - started).toBeLessThan(10_000);
        const { run } = await runLogs('probe');
        expect(run).toMatchObject({ status: 'failed', error: { code: 'execution_timeout' } });
    });

    it('gives the sandbox no network and no credentials', async () => {
        const direct = await trigger(key, 'probe', { mode: 'fetch' });
        expect(direct.status).toBe(200);
        expect(direct.json).toMatch(/^blocked: /);

        const connection = await trigger(key, 'probe', { mode: 'connection' });
        expect(connection.status).toBe(200);
        expect(connection.json).toMatchObject({ connection_id: 'c1', provider_config_key: 'api', credentials: { type: 'API_KEY', apiKey: 'spoke-credential-placeholder:apiKey' } });
        expect(connection.text).not.toContain('secret-api-key');
        expect((await trigger(key, 'probe', { mode: 'token' })).json).toEqual({ type: 'API_KEY', apiKey: 'spoke-credential-placeholder:apiKey' });

        // A placeholder sent anywhere but the provider's API is refused, not filled.
        const stolen = await trigger(key, 'probe', { mode: 'exfiltrate' });
        expectError(stolen, 500, 'action_script_failure');
        expect(stolen.json.error.message).toContain('credentials_egress_denied');
        expect(stolen.text).not.toContain('secret-api-key');
    });

    it('reads the environment variables, stored encrypted, and writes the connection metadata', async () => {
        const variables = [
            { name: 'API_REGION', value: 'eu' },
            { name: 'SIGNING_SECRET', value: 'var-secret-value' }
        ];
        const put = await call('/environment-variables', { method: 'PUT', key, body: variables });
        expect(put.status, put.text).toBe(200);
        expect(put.json).toEqual(variables);
        const stored = await env.DB.prepare('SELECT value_enc FROM environment_variables').all<{ value_enc: string }>();
        expect(JSON.stringify(stored.results)).not.toContain('var-secret-value');
        expectError(await call('/environment-variables', { method: 'PUT', key, body: [{ name: '1bad', value: 'x' }] }), 400, 'invalid_body');
        expectError(await call('/environment-variables', { method: 'PUT', key, body: [variables[0], variables[0]] }), 400, 'invalid_body');

        await call('/connections/metadata', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c1', metadata: { kept: 1 } } });
        const res = await trigger(key, 'probe', { mode: 'context' });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ variables });
        expect((await call('/connections/c1?provider_config_key=api', { key })).json.metadata).toEqual({ kept: 1, touched: true });
        expect((await call('/environment-variables', { key })).json).toEqual(variables);
    });

    it('lets an action trigger another, logged under the caller', async () => {
        const res = await trigger(key, 'probe', { mode: 'nested' });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ query: { q: 'nested' }, sawKey: true });
        const echoRuns = (await call('/logs?type=action', { key })).json.data.filter((o: any) => o.action === 'echo');
        const probe = (await runLogs('probe')).run;
        expect(echoRuns[0].parent_id).toBe(probe.id);
    });
});

describe('async actions', () => {
    async function result(id: string, k = key) {
        let res = await call(`/action/${id}`, { key: k });
        await vi.waitFor(
            async () => {
                res = await call(`/action/${id}`, { key: k });
                expect(res.status).not.toBe(404);
            },
            { timeout: 20_000, interval: 100 }
        );
        return res;
    }

    it('queues with X-Async, answers 202, and has the result at the status URL', async () => {
        const res = await trigger(key, 'echo', { q: 'later' }, { 'x-async': 'true' });
        expect(res.status, res.text).toBe(202);
        expect(res.json).toEqual({ id: expect.any(String), statusUrl: `/action/${res.json.id}` });
        expect(res.headers.get('location')).toBe(res.json.statusUrl);
        const done = await result(res.json.id);
        expect(done.status).toBe(200);
        expect(done.json).toMatchObject({ query: { q: 'later' }, sawKey: true });
    });

    it('retries up to X-Max-Retries, then reports all_retries_failed', async () => {
        const { key: k } = await apiEnvironment();
        await deploy(k, [{ integration: 'api', name: 'probe', type: 'action', code: PROBE_ACTION }]);
        // `flaky` fails twice, then succeeds (its count lives in the action's checkpoint).
        const retried = await trigger(k, 'probe', { mode: 'flaky' }, { 'x-async': 'true', 'x-max-retries': '2' });
        expect((await result(retried.json.id, k)).json).toEqual({ attempts: 3 });

        const failing = await trigger(k, 'probe', { mode: 'action-error' }, { 'x-async': 'true', 'x-max-retries': '1' });
        const failed = await result(failing.json.id, k);
        expectError(failed, 500, 'all_retries_failed');
        expect(failed.json.error.payload.last_error).toMatchObject({ code: 'action_script_failure', payload: { reason: 'test' } });

        // Bad input fails the same way every time: no retry.
        const invalid = await trigger(k, 'probe', {}, { 'x-async': 'true', 'x-max-retries': '3' });
        expectError(await result(invalid.json.id, k), 400, 'invalid_action_input');
    }, 30_000);

    it('announces completion with a signed async_action webhook', async () => {
        const environment = await apiEnvironment();
        const k = environment.key;
        await deploy(k, [{ integration: 'api', name: 'echo', type: 'action', code: ECHO_ACTION }]);
        await fake.receiver(environment.scenario, { signingKey: environment.signingKey });
        await call('/environment/webhook-settings', { method: 'PATCH', key: k, body: { primary_url: `https://app.fake.test/${environment.scenario}/hooks` } });
        const res = await trigger(k, 'echo', { q: 'hook' }, { 'x-async': 'true' });
        const [hook] = await receivedWebhooks(environment.scenario, 1);
        expect(hook!.verified).toBe(true);
        expect(hook!.payload).toEqual({ type: 'async_action', from: 'nango', connectionId: 'c1', providerConfigKey: 'api', payload: { id: res.json.id, statusUrl: `/action/${res.json.id}` } });
    });

    it('answers 404 while pending, for unknown ids and for other environments', async () => {
        expectError(await call(`/action/${crypto.randomUUID()}`, { key }), 404, 'not_found');
        const res = await trigger(key, 'echo', {}, { 'x-async': 'true' });
        await result(res.json.id);
        const other = await apiEnvironment();
        expectError(await call(`/action/${res.json.id}`, { key: other.key }), 404, 'not_found');
        expectError(await trigger(key, 'missing', {}, { 'x-async': 'true' }), 404, 'not_found');
    });
});
