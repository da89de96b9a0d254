import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Interruption } from '../../../functions-runtime/sandbox/interruption.js';
import { SandboxNangoAction } from '../../../functions-runtime/sandbox/nango-action.js';
import { SandboxNangoSync } from '../../../functions-runtime/sandbox/nango-sync.js';
import { ActionError } from '../../../functions-runtime/sdk/index.js';
import { connectionView, context, MemoryHost } from './memory-host.js';

describe('the nango object', () => {
    it('exposes the run context', () => {
        const nango = new SandboxNangoAction(new MemoryHost(), context({ runId: '42' }), new Interruption());
        expect({ ...nango }).toEqual({
            connectionId: 'conn-1',
            providerConfigKey: 'github',
            provider: 'github',
            environmentId: 'env-1',
            environmentName: 'dev',
            activityLogId: '42',
            ActionError
        });
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
        expect(host.connectionRequests).toEqual([{}, { providerConfigKey: 'other', connectionId: 'c9', forceRefresh: true }]);
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
});
