import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Invocation } from '../../../functions-runtime/host-contract.js';
import { runFunction } from '../../../functions-runtime/sandbox/run-function.js';
import { createAction, createSync, type NangoSync } from '../../../functions-runtime/sdk/index.js';
import { context, MemoryHost } from './memory-host.js';

const invoke = (kind: Invocation['kind'], input?: unknown): Invocation => ({ kind, input, context: context({ syncName: 'issues' }) });
const models = { Issue: z.object({ id: z.string() }) };

/** Every kind of call function code can make on a sync's `nango`. */
const CALLS: [string, (nango: NangoSync<typeof models>) => Promise<unknown>][] = [
    ['get', (nango) => nango.get({ endpoint: '/x' })],
    ['proxy', (nango) => nango.proxy({ method: 'POST', endpoint: '/x' })],
    ['paginate', (nango) => nango.paginate({ endpoint: '/x', paginate: { type: 'link', link_rel_in_response_header: 'next' } }).next()],
    ['uncontrolledFetch', (nango) => nango.uncontrolledFetch({ url: 'https://example.com/' })],
    ['batchSave', (nango) => nango.batchSave([{ id: '2' }], 'Issue')],
    ['batchSave of nothing', (nango) => nango.batchSave([], 'Issue')],
    ['batchUpdate', (nango) => nango.batchUpdate([{ id: '1' }], 'Issue')],
    ['batchDelete', (nango) => nango.batchDelete([{ id: '1' }], 'Issue')],
    ['getRecordsByIds', (nango) => nango.getRecordsByIds(['1'], 'Issue')],
    ['listRecords', (nango) => nango.listRecords('Issue').next()],
    ['setMergingStrategy', (nango) => nango.setMergingStrategy({ strategy: 'override' }, 'Issue')],
    ['trackDeletesStart', (nango) => nango.trackDeletesStart('Issue')],
    ['trackDeletesEnd', (nango) => nango.trackDeletesEnd('Issue')],
    ['getConnection', (nango) => nango.getConnection()],
    ['getToken', (nango) => nango.getToken()],
    ['getMetadata, read before', (nango) => nango.getMetadata()],
    ['setMetadata', (nango) => nango.setMetadata({})],
    ['updateMetadata', (nango) => nango.updateMetadata({})],
    ['getCheckpoint', (nango) => nango.getCheckpoint()],
    ['saveCheckpoint', (nango) => nango.saveCheckpoint({ page: 2 })],
    ['clearCheckpoint', (nango) => nango.clearCheckpoint()],
    ['getEnvironmentVariables', (nango) => nango.getEnvironmentVariables()],
    ['triggerAction', (nango) => nango.triggerAction('github', 'conn-1', 'other')],
    ['log', (nango) => nango.log('still here')],
    ['zodValidateInput', (nango) => nango.zodValidateInput({ zodSchema: z.string(), input: 'x' })]
];

describe('interruption at a checkpoint', () => {
    it('throws execution_interrupted, then refuses every later call, and the run ends interrupted', async () => {
        const host = new MemoryHost();
        host.budgetSpent = true;
        const outcomes: [string, unknown][] = [];
        let first: unknown;
        const sync = createSync({
            description: 's',
            frequency: 'every hour',
            models,
            exec: async (nango) => {
                await nango.batchSave([{ id: '1' }], 'Issue');
                await nango.getMetadata();
                try {
                    await nango.saveCheckpoint({ page: 1 });
                } catch (error) {
                    first = error;
                }
                for (const [name, call] of CALLS) outcomes.push(await call(nango).then(() => [name, 'went through'], (error: unknown) => [name, error]));
            }
        });
        expect(await runFunction(sync, host, invoke('sync'))).toStrictEqual({ ok: true, output: undefined, interrupted: true });
        expect(first).toMatchObject({ name: 'SdkError', code: 'execution_interrupted', message: expect.stringContaining('continues it from there') });
        expect(outcomes).toEqual(CALLS.map(([name]) => [name, first]));
        // The checkpoint is kept: the platform continues from it. Nothing after it reached the host.
        expect(host.checkpoint).toEqual({ page: 1 });
        expect(host.recordCalls).toHaveLength(1);
        expect([host.requests, host.fetches, host.listCalls, host.metadataWrites, host.triggered, host.logs]).toEqual([[], [], [], [], [], []]);
        expect(host.connectionRequests).toHaveLength(1);
    });

    it('ends the run interrupted when the function lets the error through, or throws another, in exec or onWebhook', async () => {
        const host = new MemoryHost();
        host.budgetSpent = true;
        const through = createSync({ description: 's', frequency: 'every hour', models, exec: async (nango) => void (await nango.saveCheckpoint({ page: 1 })) });
        const other = createSync({
            description: 's',
            frequency: 'every hour',
            models,
            exec: async (nango) => {
                await nango.saveCheckpoint({ page: 1 }).catch(() => undefined);
                throw new Error('something else');
            }
        });
        expect(await runFunction(through, host, invoke('sync'))).toStrictEqual({ ok: true, output: undefined, interrupted: true });
        expect(await runFunction(other, host, invoke('sync'))).toStrictEqual({ ok: true, output: undefined, interrupted: true });
        const webhook = { ...through, onWebhook: through.exec };
        expect(await runFunction(webhook, host, invoke('webhook', {}))).toStrictEqual({ ok: true, output: undefined, interrupted: true });
    });

    it('does not interrupt while the host answers false', async () => {
        const host = new MemoryHost();
        const sync = createSync({
            description: 's',
            frequency: 'every hour',
            models,
            exec: async (nango) => {
                await nango.saveCheckpoint({ page: 1 });
                await nango.batchSave([{ id: '1' }], 'Issue');
            }
        });
        expect(await runFunction(sync, host, invoke('sync'))).toStrictEqual({ ok: true, output: undefined });
        expect(host.recordCalls).toHaveLength(1);
    });

    it('handles an action the same way, its output dropped', async () => {
        const host = new MemoryHost();
        host.budgetSpent = true;
        const action = createAction({
            description: 'a',
            input: z.void(),
            output: z.object({ done: z.boolean() }),
            exec: async (nango) => {
                await nango.saveCheckpoint({ step: 1 }).catch(() => undefined);
                return { done: true };
            }
        });
        expect(await runFunction(action, host, invoke('action'))).toStrictEqual({ ok: true, output: undefined, interrupted: true });
    });
});
