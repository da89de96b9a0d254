import { ApiError } from '../http/api-error.js';

/**
 * The records databases. Shard 0 is the `RECORDS` binding; shards 1, 2… are `RECORDS_1`,
 * `RECORDS_2`… as long as they are bound, so adding a shard is a wrangler.jsonc change only
 * (docs/records.md). A connection's shard is chosen once, when it is created, and never changes.
 */
export type ShardEnv = Pick<Env, 'RECORDS'>;

function isD1(binding: unknown): binding is D1Database {
    return typeof binding === 'object' && binding !== null && typeof (binding as D1Database).prepare === 'function' && typeof (binding as D1Database).batch === 'function';
}

/** Every bound shard, by shard number. */
export function recordsShards(env: ShardEnv): D1Database[] {
    const shards = [env.RECORDS];
    // Extra shards are not in the generated Env type: their number is the deployment's choice.
    const bindings = env as unknown as Record<string, unknown>;
    for (let n = 1; isD1(bindings[`RECORDS_${n}`]); n++) shards.push(bindings[`RECORDS_${n}`] as D1Database);
    return shards;
}

/** The database of a shard that connections point at; an unbound one is a deployment error worth a clear message. */
export function recordsDb(env: ShardEnv, shard: number): D1Database {
    const db = recordsShards(env)[shard];
    if (!db) {
        throw new ApiError(500, 'records_shard_unavailable', `Records shard ${shard} (binding ${shard === 0 ? 'RECORDS' : `RECORDS_${shard}`}) is not bound; shards must never be removed while connections use them`);
    }
    return db;
}

/** The shard of a new connection: any bound one, at random, so new connections spread over shards added later too. */
export function assignShard(env: ShardEnv): number {
    return Math.floor(Math.random() * recordsShards(env).length);
}
