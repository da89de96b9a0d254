import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../schema/tables.js';

export type Database = ReturnType<typeof createDatabase>;

const createDatabase = (d1: D1Database) => drizzle(d1, { schema });

// One Drizzle instance per D1 binding, instead of one per call site and request.
const instances = new WeakMap<D1Database, Database>();

export function database(env: { DB: D1Database }): Database {
    let db = instances.get(env.DB);
    if (!db) instances.set(env.DB, (db = createDatabase(env.DB)));
    return db;
}
