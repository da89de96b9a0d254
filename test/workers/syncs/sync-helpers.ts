import { expect, vi } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { fake } from '../auth-helpers.js';
import { deploy } from '../functions/function-helpers.js';
import { call } from '../helpers.js';

/** A model schema as a bundle carries one (zod, seen structurally): records need an id. */
const ANY_MODEL = `{ safeParse: (v) => (v && (typeof v.id === 'string' || typeof v.id === 'number') ? { success: true, data: v } : { success: false, error: { issues: [{ path: ['id'], message: 'id is required' }] } }) }`;

/**
 * A sync over the fake API's paginated `/items`. With `checkpointed`, it saves its cursor after
 * every page (so a run resumes, and a spent time budget ends an invocation there), and clears it
 * at the end, so the next run is a full one again.
 */
export function itemsSync(options: { checkpointed: boolean }): string {
    return `
export default {
    type: 'sync',
    description: 'Items',
    frequency: 'every day',
    models: { Item: ${ANY_MODEL} },
    exec: async (nango) => {
        const start = ${options.checkpointed ? 'await nango.getCheckpoint()' : 'null'};
        let cursor = start?.cursor ?? '0';
        while (cursor !== null) {
            const res = await nango.get({ endpoint: '/items', params: { cursor } });
            await nango.batchSave(res.data.items, 'Item');
            cursor = res.data.next_cursor;
            ${options.checkpointed ? "if (cursor === null) await nango.clearCheckpoint(); else await nango.saveCheckpoint({ cursor });" : ''}
        }
    }
};`;
}

export const items = (count: number, version = 1) => Array.from({ length: count }, (_, i) => ({ id: `item-${i}`, title: `Item ${i}`, version }));

export const SYNC_CONFIG = (trackDeletes: boolean) => ({
    description: 'Items',
    frequency: 'every day',
    auto_start: false,
    track_deletes: trackDeletes,
    models: { Item: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }
});

/** An environment with the fake API's `/items` list, connection `c1`, and the sync deployed. */
export async function syncEnvironment(options: { checkpointed: boolean; trackDeletes: boolean; count?: number; pageSize?: number; delayMs?: number }) {
    const environment = await apiEnvironment();
    await fake.api(environment.scenario, { collection: { path: '/items', items: items(options.count ?? 5000), pageSize: options.pageSize ?? 100, ...(options.delayMs && { delayMs: options.delayMs }) } });
    const deployed = await deploy(environment.key, [{ integration: 'api', name: 'items', type: 'sync', code: itemsSync(options), config: SYNC_CONFIG(options.trackDeletes) }]);
    expect(deployed.status, deployed.text).toBe(201);
    return environment;
}

export async function syncStatus(key: string) {
    const res = await call('/sync/status?syncs=items&provider_config_key=api&connection_id=c1', { key });
    expect(res.status, res.text).toBe(200);
    return res.json.syncs[0];
}

/** Triggers the sync and waits until that run has finished; answers its status. */
export async function runSync(key: string, body: Record<string, unknown> = {}, wait = { timeout: 60_000, interval: 200 }) {
    const before = (await syncStatus(key))?.finishedAt ?? null;
    const res = await call('/sync/trigger', { method: 'POST', key, body: { provider_config_key: 'api', connection_id: 'c1', syncs: ['items'], ...body } });
    expect(res.status, res.text).toBe(200);
    let status: any;
    await vi.waitFor(
        async () => {
            status = await syncStatus(key);
            expect(status.finishedAt).not.toBe(before);
            expect(status.latestExecutionStatus).not.toBe('RUNNING');
        },
        wait
    );
    return status;
}

/** Every record of the model through `GET /records`, page by page. */
export async function allRecords(key: string, query = '', from: string | null = null, limit = 1000) {
    const out: any[] = [];
    let cursor: string | null = from;
    do {
        const res = await call(`/records?model=Item&limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
            key,
            headers: { 'connection-id': 'c1', 'provider-config-key': 'api' }
        });
        expect(res.status, res.text).toBe(200);
        out.push(...res.json.records);
        cursor = res.json.next_cursor;
    } while (cursor);
    return out;
}
