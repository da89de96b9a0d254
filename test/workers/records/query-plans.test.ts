import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { listRecords } from '../../../workers/records/list-records.js';
import { pruneRecords } from '../../../workers/records/prune-records.js';
import { deleteConnectionRecords } from '../../../workers/records/record-purge.js';
import { deleteRecords, emptyRecords, saveRecords, softDeleteUnseen, updateRecords } from '../../../workers/records/record-writes.js';
import { clearRunCounts, runCounts } from '../../../workers/records/run-counts.js';
import { getRecordsByIds } from '../../../workers/records/stored-records.js';

/** Runs every statement of the records store, and returns each one's SQLite query plan. */
async function plans(): Promise<Map<string, string[]>> {
    const statements = new Set<string>();
    const db = new Proxy(env.RECORDS, {
        get: (target, name) => (name === 'prepare' ? (sql: string) => (statements.add(sql), target.prepare(sql)) : Reflect.get(target, name).bind(target))
    });
    const scope = { db, connectionUid: 'plans', model: 'Issue', variant: 'base' };
    await saveRecords(scope, [{ id: 1 }, { id: 2 }, { id: 3 }], { runId: 'run' });
    await updateRecords(scope, [{ id: 1, a: 1 }], { runId: 'run' });
    await deleteRecords(scope, [2], { runId: 'run' });
    await getRecordsByIds(scope, [1]);
    await softDeleteUnseen(scope, async (ids) => new Set(ids), { runId: 'run' });
    const { records } = await listRecords(scope, { limit: 1 });
    const cursor = (await listRecords(scope, { limit: 1 })).nextCursor!;
    await listRecords(scope, { limit: 5, cursor, modifiedAfter: 1, filter: ['added', 'deleted'], includeDeleted: false });
    await listRecords(scope, { limit: 5, cursor, modifiedAfter: 1, ids: ['1', '3'] });
    await pruneRecords(scope, records[0]!, 5);
    await runCounts(db, 'run');
    await clearRunCounts(db, 'run');
    await emptyRecords(scope);
    await deleteConnectionRecords(db, 'plans');

    const result = new Map<string, string[]>();
    for (const sql of statements) {
        const numbered = [...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1]));
        const params = numbered.length ? Math.max(...numbered) : (sql.match(/\?/g) ?? []).length;
        const { results } = await env.RECORDS.prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .bind(...Array<null>(params).fill(null))
            .all<{ detail: string }>();
        result.set(sql, results.map((r) => r.detail));
    }
    return result;
}

// Without these, a sync's writes and reads would slow down with the size of the model.
it('never scans the records table, and finds records by id or rowid when given ids', async () => {
    const all = await plans();
    expect(all.size).toBeGreaterThanOrEqual(15);
    for (const [sql, plan] of all) {
        const access = plan.filter((line) => /^(SCAN|SEARCH) (records|r)\b/.test(line));
        for (const line of access) expect(line, sql).not.toMatch(/^SCAN/);
        // An upsert meets its conflicts through the primary key, which its plan does not show.
        if (sql.includes('json_each') && !/^\s*INSERT\b/.test(sql)) {
            expect(access, `${sql}\n${plan.join('\n')}`).not.toHaveLength(0);
            for (const line of access) expect(line, `${sql}\n${plan.join('\n')}`).toMatch(/(\bid=\?\)|rowid=\?\))$/);
        }
    }
});
