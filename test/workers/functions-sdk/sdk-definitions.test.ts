import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createAction, createOnEvent, createSync, type NangoAction, type NangoSync, type ProxyConfiguration } from '../../../functions-runtime/sdk/index.js';

const Issue = z.object({ id: z.string(), title: z.string() });
type Issue = z.infer<typeof Issue>;
const Checkpoint = z.object({ since: z.string() });

// Helpers typed with the bare interfaces, as function projects write them, must accept the typed nango.
async function saveAll(nango: NangoSync, config: ProxyConfiguration): Promise<void> {
    for await (const page of nango.paginate<Issue>(config)) await nango.batchSave<Issue>(page, 'Issue');
}
async function fetchOne(nango: NangoAction): Promise<unknown> {
    return (await nango.get({ endpoint: '/one' })).data.anything;
}

describe('definition helpers', () => {
    it('createSync adds type sync and types the nango object from the models, metadata and checkpoint', () => {
        const sync = createSync({
            description: 'Issues',
            version: '1.0.0',
            frequency: 'every hour',
            autoStart: true,
            syncType: 'incremental',
            trackDeletes: false,
            endpoints: [{ method: 'GET', path: '/issues' }],
            scopes: ['repo'],
            webhookSubscriptions: ['issues'],
            models: { Issue },
            metadata: z.object({ repo: z.string() }),
            checkpoint: Checkpoint,
            exec: async (nango) => {
                expectTypeOf(nango.batchSave).parameter(1).toEqualTypeOf<'Issue'>();
                expectTypeOf(nango.getMetadata()).toEqualTypeOf<Promise<{ repo: string }>>();
                expectTypeOf(nango.getCheckpoint()).toEqualTypeOf<Promise<{ since: string } | null>>();
                expectTypeOf(nango.lastSyncDate).toEqualTypeOf<Date | undefined>();
                await saveAll(nango, { endpoint: '/issues', paginate: { limit_name_in_request: 'per_page', limit: 100 } });
                await fetchOne(nango);
                await nango.batchSave([{ id: '1', title: 't' }], 'Issue');
                // @ts-expect-error the model is not declared
                await nango.batchSave([{ id: '1' }], 'Other');
            },
            onWebhook: async (nango, payload) => {
                await nango.log('webhook', payload);
            }
        });
        expect(sync.type).toBe('sync');
        expect(sync.models).toEqual({ Issue });
        expect(Object.keys(sync).sort()).toEqual(
            ['autoStart', 'checkpoint', 'description', 'endpoints', 'exec', 'frequency', 'metadata', 'models', 'onWebhook', 'scopes', 'syncType', 'trackDeletes', 'type', 'version', 'webhookSubscriptions'].sort()
        );
    });

    it('createSync accepts explicit type arguments, with undefined for no metadata', () => {
        const sync = createSync<{ Commit: typeof Issue }, undefined, typeof Checkpoint>({
            description: 'Commits',
            frequency: 'every day',
            models: { Commit: Issue },
            checkpoint: Checkpoint,
            exec: async (nango) => {
                const checkpoint = await nango.getCheckpoint();
                expectTypeOf(checkpoint?.since).toEqualTypeOf<string | undefined>();
            }
        });
        expectTypeOf<Parameters<(typeof sync)['exec']>[0]>().toHaveProperty('batchSave');
    });

    it('createAction adds type action and types input and output', () => {
        const action = createAction({
            description: 'Create an issue',
            version: '1.0.0',
            endpoint: { method: 'POST', path: '/issues' },
            input: z.object({ title: z.string() }),
            output: z.object({ id: z.number() }),
            exec: async (nango, input) => {
                expectTypeOf(input).toEqualTypeOf<{ title: string }>();
                const res = await nango.post({ endpoint: '/repos/a/b/issues', data: { title: input.title }, retries: 3 });
                if (res.status !== 201) throw new nango.ActionError({ message: 'failed' });
                return { id: res.data.id };
            }
        });
        expect(action.type).toBe('action');
        expect(action.input.safeParse({ title: 'x' }).success).toBe(true);
    });

    it('createOnEvent adds type on-event', () => {
        const onEvent = createOnEvent({ description: 'Setup', event: 'post-connection-creation', metadata: z.object({}).passthrough(), exec: async (nango) => void (await nango.getMetadata()) });
        expect(onEvent).toEqual({ description: 'Setup', event: 'post-connection-creation', metadata: expect.any(Object), exec: expect.any(Function), type: 'on-event' });
    });
});
