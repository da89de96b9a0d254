import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Interruption } from '../../../functions-runtime/sandbox/interruption.js';
import { SandboxNangoAction } from '../../../functions-runtime/sandbox/nango-action.js';
import { SandboxNangoSync } from '../../../functions-runtime/sandbox/nango-sync.js';
import { ActionError } from '../../../functions-runtime/sdk/index.js';
import { connectionView, context, MemoryHost } from './memory-host.js';

describe('the nango object', () => {
    it('exposes the run context', () => {
        const nango = new SandboxNangoAction(new MemoryHost(), context({ runId: '42', connectionNumber: 7, functionName: 'create-issue', config: { description: 'Create', scopes: ['repo'] } }), new Interruption());
        expect({ ...nango }).toEqual({
            connectionId: 'conn-1',
            providerConfigKey: 'github',
            provider: 'github',
            environmentId: 'env-1',
            environmentName: 'dev',
            activityLogId: '42',
            accountId: undefined,
            scriptType: 'action',
            isCLI: false,
            nangoConnectionId: 7,
            syncId: undefined,
            syncJobId: undefined,
            syncConfig: {
                sync_name: 'create-issue',
                type: 'action',
                version: null,
                runs: null,
                auto_start: false,
                sync_type: null,
                track_deletes: false,
                models: [],
                models_json_schema: null,
                webhook_subscriptions: [],
                attributes: {},
                metadata: { description: 'Create', scopes: ['repo'] },
                enabled: true
            },
            runnerFlags: { validateActionInput: true, validateActionOutput: true, validateSyncRecords: true, validateSyncMetadata: false },
            ActionError
        });
        expect(() => nango.getFlowAttributes()).toThrow('getFlowAttributes: there is no sync to get attributes from');
    });

    it('exposes the sync run context: its schedule, run, configuration and flags', () => {
        const config = { frequency: 'every hour', track_deletes: true, auto_start: true, models: { Issue: { type: 'object' } }, webhook_subscriptions: ['issue.*'] };
        const nango = new SandboxNangoSync(new MemoryHost(), context({ syncName: 'issues', syncId: 's-1', syncJobId: 'r-1', emptyCache: true, dryRun: true, config }), {}, new Interruption(), 'webhook');
        expect([nango.scriptType, nango.isCLI, nango.syncId, nango.syncJobId, nango.track_deletes, nango.emptyCache]).toEqual(['webhook', true, 's-1', 'r-1', true, true]);
        expect(nango.syncConfig).toMatchObject({ sync_name: 'issues', type: 'sync', runs: 'every hour', auto_start: true, models: ['Issue'], models_json_schema: { Issue: { type: 'object' } }, webhook_subscriptions: ['issue.*'] });
        expect(nango.getFlowAttributes()).toEqual({});
        const plain = new SandboxNangoSync(new MemoryHost(), context(), {}, new Interruption());
        expect([plain.scriptType, plain.track_deletes, plain.emptyCache, plain.syncConfig]).toEqual(['sync', false, false, undefined]);
    });

    it('exposes the sync context, with variant base and lastSyncDate as a Date', () => {
        const first = new SandboxNangoSync(new MemoryHost(), context({ syncName: 'issues' }), {}, new Interruption());
        expect([first.syncName, first.variant, first.lastSyncDate]).toEqual(['issues', 'base', undefined]);
        const later = new SandboxNangoSync(new MemoryHost(), context({ syncName: 'issues', variant: 'v2', lastSyncDate: '2026-02-03T04:05:06.000Z' }), {}, new Interruption());
        expect(later.variant).toBe('v2');
        expect(later.lastSyncDate).toEqual(new Date('2026-02-03T04:05:06.000Z'));
    });

    it('exposes neither the deprecated batchSend nor deleteRecordsFromPreviousExecutions', () => {
        const nango = new SandboxNangoSync(new MemoryHost(), context(), {}, new Interruption()) as unknown as Record<string, unknown>;
        for (const missing of ['batchSend', 'deleteRecordsFromPreviousExecutions']) expect(nango[missing]).toBeUndefined();
        for (const present of ['setMergingStrategy', 'trackDeletesStart', 'trackDeletesEnd', 'listRecords']) expect(nango[present]).toBeTypeOf('function');
    });

    it('getToken returns the OAuth2 token placeholder, the OAuth1 pair or the credentials', async () => {
        const token = async (credentials: Record<string, unknown>) => new SandboxNangoAction(new MemoryHost(undefined, connectionView(credentials)), context(), new Interruption()).getToken();
        expect(await token({ type: 'OAUTH2', access_token: 'spoke-credential-placeholder:access_token' })).toBe('spoke-credential-placeholder:access_token');
        expect(await token({ type: 'OAUTH1', oauth_token: 't', oauth_token_secret: 's' })).toEqual({ oAuthToken: 't', oAuthTokenSecret: 's' });
        expect(await token({ type: 'API_KEY', apiKey: 'spoke-credential-placeholder:apiKey' })).toEqual({ type: 'API_KEY', apiKey: 'spoke-credential-placeholder:apiKey' });
    });

    it('reads metadata once per run until it is set or updated', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        expect(await nango.getMetadata()).toEqual({ region: 'eu' });
        await nango.getMetadata();
        expect(host.connectionRequests).toHaveLength(1);
        await nango.updateMetadata({ team: 'a' });
        expect(await nango.getMetadata()).toEqual({ region: 'eu', team: 'a' });
        await nango.setMetadata({ only: true });
        expect(await nango.getMetadata()).toEqual({ only: true });
        expect(host.connectionRequests).toHaveLength(3);
        expect(host.metadataWrites).toEqual([
            { mode: 'update', metadata: { team: 'a' } },
            { mode: 'set', metadata: { only: true } }
        ]);
    });

    it('passes connection overrides, environment variables and triggered actions through', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        await nango.getConnection();
        await nango.getConnection('other', 'c9', { forceRefresh: true });
        await nango.getConnection(undefined, undefined, { refreshToken: true, refreshGithubAppJwtToken: true });
        expect(host.connectionRequests).toEqual([{}, { providerConfigKey: 'other', connectionId: 'c9', forceRefresh: true }, { refreshToken: true }]);
        expect(await nango.getEnvironmentVariables()).toEqual([{ name: 'REGION', value: 'eu' }]);
        expect(await nango.triggerAction('gh', 'c1', 'create-issue', { title: 't' })).toEqual({ triggered: 'create-issue' });
        expect(host.triggered).toEqual([['gh', 'c1', 'create-issue', { title: 't' }]]);
    });

    it('zodValidateInput returns the parse result, or logs each issue and throws ActionError', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        const zodSchema = z.object({ title: z.string(), count: z.number() });
        expect(await nango.zodValidateInput({ zodSchema, input: { title: 't', count: 1 } })).toMatchObject({ success: true, data: { title: 't', count: 1 } });
        const failure = nango.zodValidateInput({ zodSchema, input: { title: 1 } });
        await expect(failure).rejects.toBeInstanceOf(ActionError);
        await expect(failure).rejects.toMatchObject({ payload: { message: 'Invalid input provided' } });
        expect(host.logs.map((entry) => [entry.level, entry.message])).toEqual([
            ['error', expect.stringMatching(/^Invalid input provided: .* at path title$/)],
            ['error', expect.stringMatching(/^Invalid input provided: .* at path count$/)]
        ]);
    });

    it('reads the integration once per set of includes, and its webhook URL', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        const plain = await nango.getIntegration();
        plain.display_name = 'changed by the caller';
        expect(await nango.getIntegration()).toMatchObject({ unique_key: 'github', display_name: 'GitHub' });
        expect(await nango.getWebhookURL()).toBe('https://spoke.test/webhook/env-1/github');
        await nango.getIntegration({ include: ['webhook'] });
        await nango.getIntegration({ include: ['credentials', 'webhook', 'credentials'] });
        expect(host.integrationRequests).toEqual([[], ['webhook'], ['credentials', 'webhook']]);
    });

    it('controls syncs: names or variants, options or the legacy sync modes', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        await nango.triggerSync('github', 'conn-1', 'issues');
        await nango.triggerSync('github', 'conn-1', { name: 'issues', variant: 'eu' }, { reset: true });
        await nango.triggerSync('github', '', 'issues', 'full_refresh_and_clear_cache');
        await nango.triggerSync('github', 'conn-1', 'issues', true);
        await nango.startSync('github', ['issues', { name: 'prs' }]);
        expect(host.syncControls).toEqual([
            { method: 'triggerSync', control: { providerConfigKey: 'github', connectionId: 'conn-1', syncs: [{ name: 'issues' }] }, flags: {} },
            { method: 'triggerSync', control: { providerConfigKey: 'github', connectionId: 'conn-1', syncs: [{ name: 'issues', variant: 'eu' }] }, flags: { reset: true } },
            { method: 'triggerSync', control: { providerConfigKey: 'github', syncs: [{ name: 'issues' }] }, flags: { reset: true, emptyCache: true } },
            { method: 'triggerSync', control: { providerConfigKey: 'github', connectionId: 'conn-1', syncs: [{ name: 'issues' }] }, flags: { reset: true, emptyCache: false } },
            { method: 'startSync', control: { providerConfigKey: 'github', syncs: [{ name: 'issues' }, { name: 'prs' }] } }
        ]);
        await expect(nango.triggerSync('github', 'conn-1', 'issues', 'sometimes' as never)).rejects.toMatchObject({ code: 'invalid_sync_control' });
        await expect(nango.triggerSync('github', 'conn-1', { name: '' })).rejects.toMatchObject({ code: 'invalid_sync_control' });
        await expect(nango.startSync('github', 'issues' as never)).rejects.toMatchObject({ code: 'invalid_sync_control' });
    });

    it('takes and releases locks with Nango\'s object arguments or plain ones', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        expect(await nango.tryAcquireLock({ key: 'a', ttlMs: 1000 })).toBe(true);
        expect(await nango.tryAcquireLock('b', 1000)).toBe(true);
        expect([...host.locks.keys()]).toEqual(['a', 'b']);
        expect(await nango.releaseLock({ key: 'a' })).toBe(true);
        expect(await nango.releaseLock('a')).toBe(false);
        await nango.releaseAllLocks();
        expect(host.locks.size).toBe(0);
        await expect(nango.tryAcquireLock({ key: 'a', ttlMs: 0 })).rejects.toMatchObject({ code: 'invalid_lock' });
        await expect(nango.tryAcquireLock({ key: 'x'.repeat(256), ttlMs: 10 })).rejects.toMatchObject({ code: 'invalid_lock' });
        await expect(nango.releaseLock({} as never)).rejects.toMatchObject({ code: 'invalid_lock' });
    });

    it('keeps the deprecated field mapping under the metadata\'s fieldMapping', async () => {
        const host = new MemoryHost();
        const nango = new SandboxNangoAction(host, context(), new Interruption());
        expect(await nango.getFieldMapping()).toEqual({});
        await nango.setFieldMapping({ title: 'name' });
        expect(await nango.getFieldMapping()).toEqual({ title: 'name' });
        expect(host.connection.metadata).toEqual({ region: 'eu', fieldMapping: { title: 'name' } });
    });
});
