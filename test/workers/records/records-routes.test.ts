import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../../workers/index.js';
import { encodeCursor } from '../../../workers/records/record-cursor.js';
import type { RecordScope } from '../../../workers/records/record-scope.js';
import { deleteRecords, saveRecords } from '../../../workers/records/record-writes.js';
import { recordsDb } from '../../../workers/records/records-shards.js';
import { call, environmentWithIntegration, expectError } from '../helpers.js';
import { range } from './records-helpers.js';

let key: string;
let integration: string;

async function connection(connectionId: string): Promise<{ headers: Record<string, string>; scope: (model: string, variant?: string) => RecordScope }> {
    const res = await call('/connections', { method: 'POST', key, body: { provider_config_key: integration, connection_id: connectionId, credentials: { type: 'API_KEY', apiKey: 'sk-1' } } });
    expect(res.status, res.text).toBe(201);
    const row = (await env.DB.prepare('SELECT uid, records_shard FROM connections WHERE id = ?').bind(res.json.id).first<{ uid: string; records_shard: number }>())!;
    return {
        headers: { 'connection-id': connectionId, 'provider-config-key': integration },
        scope: (model, variant = 'base') => ({ db: recordsDb(env, row.records_shard), connectionUid: row.uid, model, variant })
    };
}

const recordCount = async (scope: RecordScope) =>
    (await env.RECORDS.prepare('SELECT (SELECT count(*) FROM records WHERE connection_uid = ?1) + (SELECT count(*) FROM record_sequences WHERE connection_uid = ?1) AS n').bind(scope.connectionUid).first<number>('n'))!;

beforeAll(async () => {
    ({ key, integration } = await environmentWithIntegration());
});

describe('GET /records', () => {
    it("reads a connection's records, page by page, as Nango's clients expect", async () => {
        const { headers, scope } = await connection('reader');
        await saveRecords(scope('Issue'), [{ id: 1, title: 'One', labels: ['a'] }, { id: 2, title: 'Two' }, { id: 'three', title: 'Three' }], { runId: null, now: 1_800_000_000_000 });
        await saveRecords(scope('Issue'), [{ id: 2, title: 'Two!' }], { runId: null, now: 1_800_000_001_000 });
        await deleteRecords(scope('Issue'), ['three'], { runId: null, now: 1_800_000_002_000 });
        await saveRecords(scope('Issue', 'v2'), [{ id: 'other-variant' }], { runId: null });
        await saveRecords(scope('User'), [{ id: 'other-model' }], { runId: null });

        const first = await call('/records/?model=Issue&limit=2', { key, headers });
        expect(first.status, first.text).toBe(200);
        expect(first.headers.get('content-type')).toMatch(/^application\/json/);
        expect(first.json.records).toEqual([
            {
                id: 1,
                title: 'One',
                labels: ['a'],
                _nango_metadata: {
                    first_seen_at: '2027-01-15T08:00:00.000+00:00',
                    last_modified_at: '2027-01-15T08:00:00.000+00:00',
                    last_action: 'ADDED',
                    deleted_at: null,
                    pruned_at: null,
                    cursor: encodeCursor({ lastModifiedAt: 1_800_000_000_000, seq: 1 })
                }
            },
            expect.objectContaining({ id: 2, title: 'Two!', _nango_metadata: expect.objectContaining({ last_action: 'UPDATED', last_modified_at: '2027-01-15T08:00:01.000+00:00' }) })
        ]);
        expect(first.json.next_cursor).toBe(first.json.records[1]._nango_metadata.cursor);

        const second = await call(`/records?model=Issue&limit=2&cursor=${first.json.next_cursor}`, { key, headers });
        expect(second.json).toEqual({
            records: [expect.objectContaining({ id: 'three', title: 'Three', _nango_metadata: expect.objectContaining({ last_action: 'DELETED', deleted_at: '2027-01-15T08:00:02.000+00:00' }) })],
            next_cursor: null
        });

        expect((await call('/records?model=Issue&variant=v2', { key, headers })).json.records.map((r: { id: string }) => r.id)).toEqual(['other-variant']);
        expect((await call('/records?model=Issue&filter=Updated,DELETED', { key, headers })).json.records.map((r: { id: unknown }) => r.id)).toEqual([2, 'three']);
        expect((await call('/records?model=Issue&ids=1&ids=three', { key, headers })).json.records.map((r: { id: unknown }) => r.id)).toEqual([1, 'three']);
        expect((await call('/records?model=Issue&ids=three', { key, headers })).json.records.map((r: { id: unknown }) => r.id)).toEqual(['three']);
        for (const param of ['modified_after', 'delta']) {
            const res = await call(`/records?model=Issue&${param}=${encodeURIComponent('2027-01-15T08:00:01.000+00:00')}`, { key, headers });
            expect(res.json.records.map((r: { id: unknown }) => r.id), param).toEqual([2, 'three']);
        }
        // A model that no sync saves and no record has is most likely a typo.
        expectError(await call('/records?model=Nothing', { key, headers }), 400, 'unknown_model');
        expectError(await call('/records?model=Issue&variant=v3', { key, headers }), 400, 'unknown_model');
    });

    it('answers bad input with the error envelope', async () => {
        const { headers, scope } = await connection('bad-input');
        await saveRecords(scope('Issue'), [{ id: 1 }], { runId: null });
        const get = (query: string, h = headers) => call(`/records?${query}`, { key, headers: h });
        expectError(await get('model=Issue', {}), 400, 'invalid_headers');
        expectError(await get('model=Issue', { ...headers, 'connection-id': 'nobody' }), 400, 'unknown_connection');
        expectError(await get('model=Issue', { ...headers, 'provider-config-key': 'nothing' }), 400, 'unknown_provider_config');
        expectError(await get(''), 400, 'invalid_query_params');
        for (const model of ['issue', 'I', 'Is sue', '1ssue']) expectError(await get(`model=${encodeURIComponent(model)}`), 400, 'invalid_query_params');
        for (const limit of ['0', '10001', 'ten', '1.5']) expectError(await get(`model=Issue&limit=${limit}`), 400, 'invalid_query_params');
        expect((await get('model=Issue&limit=10000')).status).toBe(200);
        expectError(await get('model=Issue&cursor=not-a-cursor'), 400, 'invalid_cursor');
        expectError(await get('model=Issue&filter=created'), 400, 'invalid_query_params');
        expectError(await get('model=Issue&modified_after=yesterday'), 400, 'invalid_query_params');
        expectError(await get(`model=Issue&${range(101).map((i) => `ids=${i}`).join('&')}`), 400, 'invalid_query_params');
        expect((await get(`model=Issue&${range(100).map((i) => `ids=${i}`).join('&')}`)).status).toBe(200);
        expectError(await call('/records?model=Issue', { headers }), 401, 'missing_auth_header');
    });

    it('is not logged, being a read', async () => {
        const { headers } = await connection('not-logged');
        await call('/records?model=Issue', { key, headers });
        const logs = (await call('/logs?connection_id=not-logged', { key })).json.data;
        expect(logs.map((o: { action: string }) => o.action)).not.toContain('records.prune');
        expect(logs.every((o: { type: string }) => o.type === 'connection')).toBe(true);
    });
});

describe('PATCH /records/prune', () => {
    it('empties payloads up to a cursor and logs the change', async () => {
        const { headers, scope } = await connection('pruned');
        await saveRecords(scope('Issue'), range(3).map((i) => ({ id: i, body: 'long text' })), { runId: null });
        const all = (await call('/records?model=Issue', { key, headers })).json.records;
        const until_cursor = all[1]._nango_metadata.cursor;

        const res = await call('/records/prune', { method: 'PATCH', key, headers, body: { model: 'Issue', until_cursor, limit: 1 } });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toEqual({ count: 1, has_more: true });
        expect((await call('/records/prune', { method: 'PATCH', key, headers, body: { model: 'Issue', until_cursor } })).json).toEqual({ count: 1, has_more: false });

        const after = (await call('/records?model=Issue', { key, headers })).json.records;
        expect(after.map((r: Record<string, unknown>) => Object.keys(r).sort())).toEqual([['_nango_metadata', 'id'], ['_nango_metadata', 'id'], ['_nango_metadata', 'body', 'id']]);
        expect(after[0]._nango_metadata.pruned_at).toMatch(/\+00:00$/);

        const logs = (await call('/logs?type=sync&connection_id=pruned', { key })).json.data;
        expect(logs).toHaveLength(2);
        expect(logs[0]).toMatchObject({ action: 'records.prune', status: 'success', integration_key: integration, meta: { model: 'Issue', variant: 'base', count: 1, has_more: false } });

        expectError(await call('/records/prune', { method: 'PATCH', key, headers, body: { model: 'Issue', until_cursor: 'nope' } }), 400, 'invalid_cursor');
        expectError(await call('/records/prune', { method: 'PATCH', key, headers, body: { model: 'Issue', until_cursor, limit: 10_001 } }), 400, 'invalid_body');
        expectError(await call('/records/prune', { method: 'PATCH', key, headers, body: { model: 'Issue', until_cursor, extra: 1 } }), 400, 'invalid_body');
        expectError(await call('/records/prune', { method: 'PATCH', key, headers: {}, body: { model: 'Issue', until_cursor } }), 400, 'invalid_headers');
    });
});

describe('deleting a connection', () => {
    it('removes its records with it', async () => {
        const { scope } = await connection('deleted');
        const kept = await connection('kept');
        await saveRecords(scope('Issue'), range(10).map((i) => ({ id: i })), { runId: null });
        await saveRecords(scope('User'), [{ id: 'u' }], { runId: null });
        await saveRecords(kept.scope('Issue'), [{ id: 'k' }], { runId: null });
        expect(await recordCount(scope('Issue'))).toBe(12);

        expect((await call(`/connections/deleted?provider_config_key=${integration}`, { method: 'DELETE', key })).status).toBe(200);
        expect(await recordCount(scope('Issue'))).toBe(0);
        expect(await recordCount(kept.scope('Issue'))).toBe(2);
    });

    it("removes the records of a deleted integration's connections through the purge queue", async () => {
        const environment = await environmentWithIntegration('doomed');
        const scopes: RecordScope[] = [];
        for (const id of ['a', 'b']) {
            const res = await call('/connections', { method: 'POST', key: environment.key, body: { provider_config_key: 'doomed', connection_id: id, credentials: { type: 'API_KEY', apiKey: 'sk' } } });
            const uid = (await env.DB.prepare('SELECT uid FROM connections WHERE id = ?').bind(res.json.id).first<string>('uid'))!;
            scopes.push({ db: env.RECORDS, connectionUid: uid, model: 'Issue', variant: 'base' });
            await saveRecords(scopes.at(-1)!, [{ id }], { runId: null });
        }
        expect((await call('/integrations/doomed', { method: 'DELETE', key: environment.key })).status).toBe(200);
        await vi.waitFor(async () => expect(await env.DB.prepare('SELECT count(*) AS n FROM connection_purges').first('n')).toBe(0), { timeout: 10_000, interval: 200 });
        for (const scope of scopes) expect(await recordCount(scope)).toBe(0);
    });

    it('removes them on a later attempt when the first one was lost', async () => {
        const { scope } = await connection('lost-purge');
        await saveRecords(scope('Issue'), [{ id: 1 }], { runId: null });
        const uid = scope('Issue').connectionUid;
        // The index row is gone, the storage is not: the outbox row must bring the sweep back.
        await env.DB.batch([
            env.DB.prepare('INSERT INTO connection_purges (uid, environment_id, requested_at, attempts) SELECT uid, environment_id, 0, 0 FROM connections WHERE uid = ?').bind(uid),
            env.DB.prepare('DELETE FROM connections WHERE uid = ?').bind(uid)
        ]);
        const ctx = createExecutionContext();
        worker.scheduled(createScheduledController({ scheduledTime: Math.floor(Date.now() / 3_600_000) * 3_600_000, cron: '* * * * *' }), env, ctx);
        await waitOnExecutionContext(ctx);
        await vi.waitFor(async () => expect(await recordCount(scope('Issue'))).toBe(0), { timeout: 10_000, interval: 200 });
        expect(await env.DB.prepare('SELECT count(*) AS n FROM connection_purges WHERE uid = ?').bind(uid).first('n')).toBe(0);
    });
});
