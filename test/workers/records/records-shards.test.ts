import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { assignShard, recordsDb, recordsShards, type ShardEnv } from '../../../workers/records/records-shards.js';
import { call, environmentWithIntegration, expectError } from '../helpers.js';

// The tests have one records database; more shards are the same binding under other names.
const withShards = (extra: Record<string, unknown>) => ({ RECORDS: env.RECORDS, ...extra }) as ShardEnv;

describe('records shards', () => {
    it('are RECORDS, then RECORDS_1, RECORDS_2… as long as they are bound', () => {
        expect(recordsShards(env)).toEqual([env.RECORDS]);
        const shards = recordsShards(withShards({ RECORDS_1: env.DB, RECORDS_2: env.RECORDS, RECORDS_4: env.DB }));
        expect(shards).toHaveLength(3);
        expect(shards[1]).toBe(env.DB);
        expect(recordsShards(withShards({ RECORDS_1: 'not a database', RECORDS_2: env.DB }))).toHaveLength(1);
    });

    it('give the database of a bound shard, and a clear error for an unbound one', () => {
        expect(recordsDb(env, 0)).toBe(env.RECORDS);
        expect(recordsDb(withShards({ RECORDS_1: env.DB }), 1)).toBe(env.DB);
        expect(() => recordsDb(env, 1)).toThrow(expect.objectContaining({ status: 500, code: 'records_shard_unavailable', message: expect.stringContaining('RECORDS_1') }));
    });

    it('spread new connections over every bound shard', () => {
        expect(new Set(Array.from({ length: 50 }, () => assignShard(env)))).toEqual(new Set([0]));
        const three = withShards({ RECORDS_1: env.RECORDS, RECORDS_2: env.RECORDS });
        expect(new Set(Array.from({ length: 300 }, () => assignShard(three)))).toEqual(new Set([0, 1, 2]));
    });

    it('are chosen when a connection is created, and one that is not bound fails its records reads clearly', async () => {
        const { key, integration } = await environmentWithIntegration();
        const res = await call('/connections', { method: 'POST', key, body: { provider_config_key: integration, connection_id: 'sharded', credentials: { type: 'API_KEY', apiKey: 'sk' } } });
        expect(await env.DB.prepare('SELECT records_shard FROM connections WHERE id = ?').bind(res.json.id).first('records_shard')).toBe(0);

        await env.DB.prepare('UPDATE connections SET records_shard = 3 WHERE id = ?').bind(res.json.id).run();
        expectError(await call('/records?model=Issue', { key, headers: { 'connection-id': 'sharded', 'provider-config-key': integration } }), 500, 'records_shard_unavailable');
    });
});
