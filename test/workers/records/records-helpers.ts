import { env } from 'cloudflare:workers';
import type { RecordScope } from '../../../workers/records/record-scope.js';

/** A fresh connection's records of one model, in the test records database. */
export function newScope(model = 'Issue', variant = 'base', connectionUid: string = crypto.randomUUID()): RecordScope {
    return { db: env.RECORDS, connectionUid, model, variant };
}

export interface Row {
    id: string;
    data: string;
    hash: string;
    first_seen_at: number;
    last_modified_at: number;
    deleted_at: number | null;
    pruned_at: number | null;
    seq: number;
}

/** The stored rows of a scope, by id. */
export async function rows(scope: RecordScope): Promise<Map<string, Row>> {
    const { results } = await scope.db
        .prepare('SELECT id, data, hash, first_seen_at, last_modified_at, deleted_at, pruned_at, seq FROM records WHERE connection_uid = ? AND model = ? AND variant = ?')
        .bind(scope.connectionUid, scope.model, scope.variant)
        .all<Row>();
    return new Map(results.map((row) => [row.id, row]));
}

export async function row(scope: RecordScope, id: string): Promise<Row | undefined> {
    return (await rows(scope)).get(id);
}

export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
