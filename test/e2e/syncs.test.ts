import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Nango } from '@nangohq/node';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { scaffold, spoke } from '../cli/cli-harness.js';
import { type Served, serveFetch } from '../support/serve-fetch.js';
import { createPlatformEnvironment, type PlatformInit, platformCall } from './platform-api.js';

// The sync engine on a platform started by `npm run dev`: nothing pokes the schedules but the
// platform itself. The sync is deployed with the CLI and read with the official Nango client.
const host = inject('platformUrl');

interface Item {
    id: string;
    title: string;
    updated_at: number;
}

const PAGE = 1000;
let upstream: Item[] = [];
/** The `since` of every page the sync fetched (null for a full fetch), in order. */
const fetched: (string | null)[] = [];

/** A provider API listing items a page at a time, all of them or those updated after `since`. */
function fakeApi(): Promise<Served> {
    return serveFetch((request) => {
        const url = new URL(request.url);
        if (request.headers.get('x-api-key') !== 'sync-key') return Response.json({ error: 'bad key' }, { status: 401 });
        const since = url.searchParams.get('since');
        const offset = Number(url.searchParams.get('cursor') ?? '0');
        fetched.push(since);
        const matching = since === null ? upstream : upstream.filter((item) => item.updated_at > Number(since));
        const next = offset + PAGE < matching.length ? String(offset + PAGE) : null;
        return Response.json({ items: matching.slice(offset, offset + PAGE), next_cursor: next, now: Date.now() });
    });
}

interface ReceivedHook {
    verified: boolean;
    payload: Record<string, any>;
}

/** The developer's app: it keeps every webhook and whether its signature verifies. */
function fakeApp(received: ReceivedHook[], verifier: () => Nango): Promise<Served> {
    return serveFetch(async (request) => {
        const body = await request.text();
        received.push({ verified: verifier().verifyIncomingWebhookRequest(body, Object.fromEntries(request.headers)), payload: JSON.parse(body) });
        return new Response('ok');
    });
}

// Full on its first run (and after a reset), tracking deletes; incremental after that.
const ITEMS_SYNC = `import { createSync } from 'nango';
import { z } from 'zod';

const Item = z.object({ id: z.string(), title: z.string(), updated_at: z.number() });

export default createSync({
    description: 'Items, incrementally after the first run',
    frequency: 'every 30 seconds',
    autoStart: true,
    models: { Item },
    checkpoint: z.object({ since: z.number() }),
    exec: async (nango) => {
        const since = (await nango.getCheckpoint())?.since;
        const full = since === undefined;
        if (full) await nango.trackDeletesStart('Item');
        let cursor: string | null = '0';
        let now = 0;
        while (cursor !== null) {
            const params: Record<string, string> = { cursor };
            if (!full) params['since'] = String(since);
            const res: { data: { items: z.infer<typeof Item>[]; next_cursor: string | null; now: number } } = await nango.get({ endpoint: '/items', params });
            await nango.batchSave(res.data.items, 'Item');
            cursor = res.data.next_cursor;
            now = res.data.now;
        }
        if (full) await nango.trackDeletesEnd('Item');
        await nango.saveCheckpoint({ since: now });
    }
});
`;

let api: Served;
let app: Served;
const hooks: ReceivedHook[] = [];
let nango: Nango;
let secretKey: string;
let project: string;
let cleanup: () => Promise<void>;

const platform = (path: string, init: Partial<PlatformInit> = {}) => platformCall(path, { key: secretKey, ...init });

const status = async () => ((await nango.syncStatus('sync-api', ['items'], 'acme')) as { syncs: Record<string, any>[] }).syncs[0]!;

/** Waits for the app to have received `count` webhooks; answers them. */
async function webhooks(count: number): Promise<ReceivedHook[]> {
    await vi.waitFor(() => expect(hooks.length).toBeGreaterThanOrEqual(count), { timeout: 60_000, interval: 200 });
    return hooks.slice(0, count);
}

/** Every record the Nango client lists with these options, following `next_cursor`. */
async function listAll(options: { modifiedAfter?: string; cursor?: string }) {
    const out: Record<string, any>[] = [];
    let cursor = options.cursor ?? null;
    do {
        const page = await nango.listRecords({ providerConfigKey: 'sync-api', connectionId: 'acme', model: 'Item', limit: 1000, ...(options.modifiedAfter && { modifiedAfter: options.modifiedAfter }), ...(cursor && { cursor }) });
        out.push(...page.records);
        cursor = page.next_cursor;
    } while (cursor);
    return out;
}

beforeAll(async () => {
    const t0 = Date.now() - 60_000;
    upstream = Array.from({ length: 5000 }, (_, i) => ({ id: `item-${i}`, title: `Item ${i}`, updated_at: t0 }));
    api = await fakeApi();
    app = await fakeApp(hooks, () => nango);
    const created = await createPlatformEnvironment('syncs');
    secretKey = created.secretKey;
    nango = new Nango({ host, secretKey, webhookSigningKey: created.signingKey });
    // Only runs that changed something are worth a webhook to this app.
    await platform('/environment/webhook-settings', { method: 'PATCH', body: { primary_url: `${app.url}/hooks`, on_sync_completion_always: false } });
    await platform('/providers', {
        method: 'POST',
        body: {
            name: 'fake-sync-api',
            display_name: 'Fake sync API',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'API key' } },
            proxy: { base_url: api.url, headers: { 'x-api-key': '${credentials.apiKey}' } }
        }
    });
    await platform('/integrations', { method: 'POST', body: { provider: 'fake-sync-api', unique_key: 'sync-api' } });
    await platform('/connections', { method: 'POST', body: { provider_config_key: 'sync-api', connection_id: 'acme', credentials: { type: 'API_KEY', apiKey: 'sync-key' } } });

    ({ project, cleanup } = await scaffold());
    // Only this sync: the scaffold's GitHub examples need an integration this environment lacks.
    await rm(join(project, 'github'), { recursive: true });
    await mkdir(join(project, 'sync-api', 'syncs'), { recursive: true });
    await writeFile(join(project, 'sync-api', 'syncs', 'items.ts'), ITEMS_SYNC);
    await writeFile(join(project, 'index.ts'), `import './sync-api/syncs/items.js';\n`);
    await writeFile(join(project, '.env'), `SPOKE_HOST=${host}\nSPOKE_SECRET_KEY_DEV=${secretKey}\n`);
}, 120_000);

afterAll(async () => {
    await Promise.all([api?.close(), app?.close(), cleanup?.()]);
});

describe('a deployed sync on the running platform', () => {
    let firstCursor: string;

    it('runs at once on deploy (autoStart), then again on its schedule, with nobody triggering it', async () => {
        const deployed = await spoke(['deploy', '--yes', '-m', 'syncs e2e', project], project);
        expect(deployed.code, `${deployed.stdout}\n${deployed.stderr}`).toBe(0);

        const [created] = await webhooks(1);
        expect(created!.verified).toBe(true);
        expect(created!.payload).toMatchObject({ type: 'sync', connectionId: 'acme', providerConfigKey: 'sync-api', syncName: 'items', model: 'Item', syncType: 'INITIAL', success: true, responseResults: { added: 5000, updated: 0, deleted: 0 } });
        const all = await listAll({});
        expect(all).toHaveLength(5000);
        firstCursor = all.at(-1)!['_nango_metadata'].cursor;

        // The next slot comes within 30 seconds: an incremental run that finds nothing new.
        await vi.waitFor(() => expect(fetched.some((since) => since !== null)).toBe(true), { timeout: 45_000, interval: 250 });
        await vi.waitFor(async () => expect(await status()).toMatchObject({ status: 'SUCCESS', latestExecutionStatus: 'SUCCESS', latestResult: { Item: { added: 0, updated: 0, deleted: 0 } }, recordCount: { Item: 5000 } }), {
            timeout: 30_000,
            interval: 250
        });
        // Nothing changed, so the app heard nothing.
        expect(hooks).toHaveLength(1);
    }, 120_000);

    it('stops while paused, runs at once when started, and tracks exactly what changed', async () => {
        const before = await status();
        await nango.pauseSync('sync-api', ['items'], 'acme');
        expect(await status()).toMatchObject({ status: 'PAUSED', nextScheduledSyncAt: null });
        const pages = fetched.length;
        // Past the slot it had before the pause (plus a margin): no run happened.
        const slot = Date.parse(before.nextScheduledSyncAt);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, slot - Date.now()) + 5_000));
        expect(fetched).toHaveLength(pages);

        // Upstream: 10 items change, 5 go away.
        const now = Date.now();
        upstream = upstream.filter((_, i) => i < 4995).map((item, i) => (i < 10 ? { ...item, title: `${item.title} (edited)`, updated_at: now } : item));
        await nango.startSync('sync-api', ['items'], 'acme');
        const [, updated] = await webhooks(2);
        expect(updated!.verified).toBe(true);
        expect(updated!.payload).toMatchObject({ syncType: 'INCREMENTAL', responseResults: { added: 0, updated: 10, deleted: 0 } });
        expect((await status()).status).not.toBe('PAUSED');

        // Deletes show only in a full run: trigger one with reset, which forgets the checkpoint.
        const full = fetched.length;
        await nango.triggerSync('sync-api', ['items'], 'acme', { reset: true });
        const [, , deleted] = await webhooks(3);
        expect(deleted!.verified).toBe(true);
        expect(deleted!.payload).toMatchObject({ syncType: 'INITIAL', responseResults: { added: 0, updated: 0, deleted: 5 } });
        expect(fetched.slice(full).filter((since) => since === null)).toHaveLength(5);

        // The client reads exactly those changes, by time and by cursor.
        const changes = await listAll({ modifiedAfter: updated!.payload['modifiedAfter'] });
        const ids = (action: string) => changes.filter((r) => r['_nango_metadata'].last_action === action).map((r) => r['id']).sort();
        expect(ids('UPDATED')).toEqual(Array.from({ length: 10 }, (_, i) => `item-${i}`).sort());
        expect(ids('DELETED')).toEqual(['item-4995', 'item-4996', 'item-4997', 'item-4998', 'item-4999']);
        expect(changes).toHaveLength(15);
        expect((await listAll({ cursor: firstCursor })).map((r) => r['id']).sort()).toEqual(changes.map((r) => r['id']).sort());
        expect(changes.find((r) => r['id'] === 'item-0')!['title']).toBe('Item 0 (edited)');
    }, 120_000);

    it('answers bad record queries with a 400 in the error envelope', async () => {
        const failure = (options: Record<string, unknown>) =>
            nango.listRecords({ providerConfigKey: 'sync-api', connectionId: 'acme', model: 'Item', ...options }).then(
                () => null,
                (error: { response?: { status: number; data: any } }) => ({ status: error.response?.status, code: error.response?.data?.error?.code })
            );
        expect(await failure({ model: 'Nope' })).toEqual({ status: 400, code: 'unknown_model' });
        expect(await failure({ cursor: 'not-a-cursor' })).toEqual({ status: 400, code: 'invalid_cursor' });
        expect(await failure({ limit: 10_001 })).toEqual({ status: 400, code: 'invalid_query_params' });
    });
});
