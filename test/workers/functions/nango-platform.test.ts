// The parts of the `nango` object that reach the platform beyond the connection: the integration,
// sync control, locks, retry headers and the run's context, through real runs of deployed bundles.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake } from '../auth-helpers.js';
import { call, expectError } from '../helpers.js';
import { deploy, trigger } from './function-helpers.js';

/** A sync that saves one record describing its own run. */
const CONTEXT_SYNC = `
export default {
    type: 'sync',
    description: 'Context',
    frequency: 'every day',
    models: { Item: { safeParse: (v) => ({ success: true, data: v }) } },
    exec: async (nango) => {
        const webhook = await nango.getWebhookURL().catch((error) => 'refused: ' + error.message);
        await nango.batchSave([{
            id: 'context',
            scriptType: nango.scriptType,
            isCLI: nango.isCLI,
            syncId: nango.syncId,
            syncJobId: nango.syncJobId,
            nangoConnectionId: nango.nangoConnectionId,
            track_deletes: nango.track_deletes,
            emptyCache: nango.emptyCache,
            syncConfig: nango.syncConfig,
            attributes: nango.getFlowAttributes(),
            webhook
        }], 'Item');
    }
};`;

const CONTEXT_SYNC_CONFIG = {
    description: 'Context',
    frequency: 'every day',
    auto_start: false,
    track_deletes: true,
    models: { Item: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }
};

/** An action whose input picks which part of the nango object it exercises. */
const PLATFORM_ACTION = `
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export default {
    type: 'action',
    description: 'Platform',
    exec: async (nango, input) => {
        switch (input.mode) {
            case 'context': return {
                scriptType: nango.scriptType, isCLI: nango.isCLI, accountId: nango.accountId ?? null, activityLogId: nango.activityLogId,
                nangoConnectionId: nango.nangoConnectionId, syncId: nango.syncId ?? null, syncJobId: nango.syncJobId ?? null,
                syncConfig: nango.syncConfig, runnerFlags: nango.runnerFlags,
                attributes: (() => { try { return nango.getFlowAttributes(); } catch (error) { return error.message; } })()
            };
            case 'integration': return { integration: await nango.getIntegration({ include: ['webhook', 'credentials'] }), plain: await nango.getIntegration(), webhook: await nango.getWebhookURL() };
            case 'connection': return { plain: (await nango.getConnection()).credentials, withRefresh: (await nango.getConnection(undefined, undefined, { refreshToken: true, refreshGithubAppJwtToken: true })).credentials };
            case 'field-mapping': {
                await nango.setFieldMapping({ name: 'full_name' });
                return { mapping: await nango.getFieldMapping(), metadata: await nango.getMetadata() };
            }
            case 'trigger-sync': await nango.triggerSync('api', 'c1', input.sync ?? 'context', input.options); return 'triggered';
            case 'start-sync': await nango.startSync('api', ['context'], 'c1'); return 'started';
            case 'lock': {
                const acquired = await nango.tryAcquireLock({ key: input.key, ttlMs: input.ttlMs });
                if (acquired && input.signal) await nango.get({ endpoint: '/acquired/' + input.key });
                await sleep(input.holdMs ?? 0);
                return acquired;
            }
            case 'release': {
                const first = await nango.tryAcquireLock('a', 60000);
                await nango.tryAcquireLock({ key: 'b', ttlMs: 60000 });
                const released = await nango.releaseLock({ key: 'a' });
                const again = await nango.releaseLock('a');
                await nango.releaseAllLocks();
                return { first, released, again, bad: await nango.tryAcquireLock({ key: '', ttlMs: 1 }).catch((error) => error.message) };
            }
            case 'retry-header': return (await nango.get({ endpoint: '/busy', retries: 1, retryHeader: { after: 'x-wait-seconds' } })).status;
            default: throw new Error('unknown mode ' + input.mode);
        }
    }
};`;

let key: string;
let environmentId: string;
let scenario: string;

async function connectionUid(connectionId = 'c1'): Promise<string> {
    return (await env.DB.prepare('SELECT uid FROM connections WHERE environment_id = ? AND connection_id = ?').bind(environmentId, connectionId).first<string>('uid'))!;
}

async function contextStatus() {
    const res = await call('/sync/status?syncs=context&provider_config_key=api&connection_id=c1', { key });
    expect(res.status, res.text).toBe(200);
    return res.json.syncs[0];
}

const run = async (input: Record<string, unknown>, headers: Record<string, string> = {}, connectionId = 'c1') => {
    const res = await trigger(key, 'platform', input, headers, connectionId);
    expect(res.status, res.text).toBe(200);
    return res.json;
};

beforeAll(async () => {
    ({ key, id: environmentId, scenario } = await apiEnvironment());
    const integration = await call('/integrations', {
        method: 'POST',
        key,
        body: { provider: 'github', unique_key: 'gh', credentials: { type: 'OAUTH2', client_id: 'client-123', client_secret: 'app-client-secret', webhook_secret: 'app-webhook-secret' } }
    });
    expect(integration.status, integration.text).toBe(200);
    const imported = await call('/connections', {
        method: 'POST',
        key,
        body: { provider_config_key: 'gh', connection_id: 'g1', credentials: { type: 'OAUTH2', access_token: 'gho-secret', refresh_token: 'ghr-secret', expires_at: '2099-01-01T00:00:00.000Z' } }
    });
    expect(imported.status, imported.text).toBe(201);
    const deployed = await deploy(key, [
        { integration: 'api', name: 'context', type: 'sync', code: CONTEXT_SYNC, config: CONTEXT_SYNC_CONFIG },
        { integration: 'api', name: 'platform', type: 'action', code: PLATFORM_ACTION },
        { integration: 'gh', name: 'platform', type: 'action', code: PLATFORM_ACTION }
    ]);
    expect(deployed.status, deployed.text).toBe(201);
});

describe('the run context', () => {
    it('tells an action what runs it', async () => {
        const context = await run({ mode: 'context' });
        expect(context).toEqual({
            scriptType: 'action',
            isCLI: false,
            accountId: null,
            activityLogId: expect.stringMatching(/^\d+$/),
            nangoConnectionId: expect.any(Number),
            syncId: null,
            syncJobId: null,
            syncConfig: expect.objectContaining({ sync_name: 'platform', type: 'action', runs: null, models: [], metadata: { description: 'test action', scopes: [] } }),
            runnerFlags: { validateActionInput: true, validateActionOutput: true, validateSyncRecords: true, validateSyncMetadata: false },
            attributes: 'getFlowAttributes: there is no sync to get attributes from'
        });
        const connection = (await call('/connections/c1?provider_config_key=api', { key })).json;
        expect(context.nangoConnectionId).toBe(connection.id);
    });

    it('tells a sync its schedule, run and configuration; its webhook URL needs SPOKE_SERVER_URL when no request started it', async () => {
        const triggered = await call('/sync/trigger', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c1', syncs: ['context'], opts: { reset: true, emptyCache: true } } });
        expect(triggered.status, triggered.text).toBe(200);
        await vi.waitFor(async () => expect(await contextStatus()).toMatchObject({ latestExecutionStatus: 'SUCCESS' }), { timeout: 20_000, interval: 200 });
        const status = await contextStatus();
        const records = (await call('/records?model=Item', { key, headers: { 'connection-id': 'c1', 'provider-config-key': 'api' } })).json.records;
        expect(records).toEqual([
            expect.objectContaining({
                id: 'context',
                scriptType: 'sync',
                isCLI: false,
                syncId: status.id,
                syncJobId: expect.any(String),
                nangoConnectionId: expect.any(Number),
                track_deletes: true,
                emptyCache: true,
                syncConfig: expect.objectContaining({ sync_name: 'context', type: 'sync', runs: 'every day', track_deletes: true, auto_start: false, models: ['Item'] }),
                attributes: {},
                webhook: 'refused: public_url_unknown: the webhook URL needs the platform URL; set SPOKE_SERVER_URL'
            })
        ]);
    }, 30_000);
});

describe('the integration', () => {
    it('answers it as GET /integrations/:key does, with the webhook URL, and the app secrets as placeholders', async () => {
        const { integration, plain, webhook } = await run({ mode: 'integration' }, { 'provider-config-key': 'gh' }, 'g1');
        expect(webhook).toBe(`http://spoke.test/webhook/${environmentId}/gh`);
        expect(integration).toMatchObject({ unique_key: 'gh', provider: 'github', logo: 'http://spoke.test/logos/github.svg', webhook_url: webhook });
        expect(integration.credentials).toEqual({
            type: 'OAUTH2',
            client_id: 'client-123',
            client_secret: 'spoke-credential-placeholder:integration.client_secret',
            scopes: null,
            webhook_secret: 'spoke-credential-placeholder:integration.webhook_secret'
        });
        expect(plain).not.toHaveProperty('credentials');
        expect(plain).not.toHaveProperty('webhook_url');
        const api = (await call('/integrations/gh', { key })).json.data;
        expect(plain).toEqual(api);
        expect((await run({ mode: 'integration' })).integration.credentials).toBeNull();
    });

    it('hands out the refresh token (a placeholder) only when asked', async () => {
        const { plain, withRefresh } = await run({ mode: 'connection' }, { 'provider-config-key': 'gh' }, 'g1');
        expect(plain).not.toHaveProperty('refresh_token');
        expect(withRefresh).toMatchObject({ access_token: 'spoke-credential-placeholder:access_token', refresh_token: 'spoke-credential-placeholder:refresh_token' });
        expect(JSON.stringify(withRefresh)).not.toContain('secret');
    });

    it('keeps the deprecated field mapping in the metadata', async () => {
        await call('/connections/metadata', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c1', metadata: { kept: 1 } } });
        expect(await run({ mode: 'field-mapping' })).toEqual({ mapping: { name: 'full_name' }, metadata: { kept: 1, fieldMapping: { name: 'full_name' } } });
    });
});

describe('sync control', () => {
    it('starts a paused sync and triggers runs, as /sync/start and /sync/trigger do', async () => {
        expect((await call('/sync/pause', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c1', syncs: ['context'] } })).status).toBe(200);
        expect((await contextStatus()).status).toBe('PAUSED');
        const initial = (await contextStatus()).finishedAt;
        expect(await run({ mode: 'start-sync' })).toBe('started');
        // Starting a paused schedule runs it at once.
        await vi.waitFor(
            async () => {
                const status = await contextStatus();
                expect(status.status).not.toBe('PAUSED');
                expect(status.finishedAt).not.toBe(initial);
                expect(status.latestExecutionStatus).toBe('SUCCESS');
            },
            { timeout: 20_000, interval: 200 }
        );

        const before = (await contextStatus()).finishedAt;
        expect(await run({ mode: 'trigger-sync', options: 'full_refresh_and_clear_cache' })).toBe('triggered');
        await vi.waitFor(
            async () => {
                const status = await contextStatus();
                expect(status.finishedAt).not.toBe(before);
                expect(status.latestExecutionStatus).toBe('SUCCESS');
            },
            { timeout: 20_000, interval: 200 }
        );
        const records = (await call('/records?model=Item', { key, headers: { 'connection-id': 'c1', 'provider-config-key': 'api' } })).json.records;
        expect(records[0].emptyCache).toBe(true);
    }, 60_000);

    it('fails with the API error code for an unknown sync', async () => {
        const res = await trigger(key, 'platform', { mode: 'trigger-sync', sync: 'nope' });
        expectError(res, 500, 'action_script_failure');
        expect(res.json.error.message).toContain('no_syncs_found');
    });
});

describe('locks', () => {
    it('are exclusive between runs of a connection, and released when their run ends', async () => {
        const holder = run({ mode: 'lock', key: 'shared', ttlMs: 60_000, holdMs: 1_500, signal: true });
        await vi.waitFor(async () => expect((await fake.apiRequests(scenario)).map((r) => r.path)).toContain('/acquired/shared'), { timeout: 10_000, interval: 50 });
        expect(await run({ mode: 'lock', key: 'shared', ttlMs: 60_000 })).toBe(false);
        expect(await run({ mode: 'lock', key: 'shared', ttlMs: 60_000 }, { 'provider-config-key': 'gh' }, 'g1')).toBe(true);
        expect(await holder).toBe(true);
        expect(await run({ mode: 'lock', key: 'shared', ttlMs: 60_000 })).toBe(true);
    }, 30_000);

    it('expire after their ttl, even while their run goes on', async () => {
        const holder = run({ mode: 'lock', key: 'brief', ttlMs: 200, holdMs: 1_500, signal: true });
        await vi.waitFor(async () => expect((await fake.apiRequests(scenario)).map((r) => r.path)).toContain('/acquired/brief'), { timeout: 10_000, interval: 50 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await run({ mode: 'lock', key: 'brief', ttlMs: 60_000 })).toBe(true);
        expect(await holder).toBe(true);
    }, 30_000);

    it('are released one by one or all at once, and refuse bad keys', async () => {
        expect(await run({ mode: 'release' })).toEqual({ first: true, released: true, again: false, bad: 'tryAcquireLock: key must be a string of 1 to 255 characters' });
    });

    it('belong to one owner at a time in the connection object, until released or expired', async () => {
        const stub = env.CONNECTION.getByName(await connectionUid());
        expect(await stub.tryAcquireLock('run:a', 'k', 60_000)).toBe(true);
        expect(await stub.tryAcquireLock('run:b', 'k', 60_000)).toBe(false);
        expect(await stub.tryAcquireLock('run:a', 'k', 60_000)).toBe(true);
        expect(await stub.releaseLock('run:b', 'k')).toBe(false);
        expect(await stub.releaseLock('run:a', 'k')).toBe(true);
        expect(await stub.tryAcquireLock('run:b', 'k', 50)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 80));
        expect(await stub.releaseLock('run:b', 'k')).toBe(false);
        expect(await stub.tryAcquireLock('run:a', 'k', 60_000)).toBe(true);
        await stub.releaseAllLocks('run:a');
        expect(await stub.tryAcquireLock('run:b', 'k', 60_000)).toBe(true);
        await stub.releaseAllLocks('run:b');
    });
});

describe('dry runs', () => {
    function dryrun(body: Record<string, unknown>) {
        return call('/functions/dryrun', { method: 'POST', key, body: { integration: 'api', connection_id: 'c1', name: 'platform', type: 'action', bundle: PLATFORM_ACTION, config: {}, ...body } });
    }

    it('take locks and control syncs without persisting anything', async () => {
        const locked = (await dryrun({ input: { mode: 'lock', key: 'dry', ttlMs: 600_000 } })).json.data;
        expect(locked.result).toEqual({ ok: true, output: true });
        expect(await run({ mode: 'lock', key: 'dry', ttlMs: 60_000 })).toBe(true);

        const before = await contextStatus();
        const triggered = (await dryrun({ input: { mode: 'trigger-sync' } })).json.data;
        expect(triggered.result).toEqual({ ok: true, output: 'triggered' });
        expect(triggered.logs).toEqual([expect.objectContaining({ level: 'info', message: 'dry run: would trigger context on 1 connection(s)' })]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await contextStatus()).finishedAt).toBe(before.finishedAt);

        const context = (await dryrun({ input: { mode: 'context' } })).json.data;
        expect(context.result.output).toMatchObject({ scriptType: 'action', isCLI: true });
    });
});

describe('retry headers', () => {
    it('wait as the header the function names says', async () => {
        await fake.api(scenario, { script: [{ status: 503, headers: { 'x-wait-seconds': '1' } }] });
        const started = Date.now();
        expect(await run({ mode: 'retry-header' })).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        await fake.api(scenario, {});
    });
});
