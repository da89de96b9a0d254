import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { apiEnvironment } from '../../test/workers/api-environment.js';
import { fake } from '../../test/workers/auth-helpers.js';
import { deploy } from '../../test/workers/functions/function-helpers.js';
import { call } from '../../test/workers/helpers.js';
import { itemsSync, runSync, SYNC_CONFIG } from '../../test/workers/syncs/sync-helpers.js';
import { median } from './stats.js';

const COUNT = 100_000;
const PAGE = 1000;
// With its id, title and version, an item's canonical JSON is then 1,024 bytes.
const PADDING = 959;
// D1 binds at most 100 parameters per statement: the raw rows bind id, data and hash, the rest are literals.
const ROWS_PER_INSERT = 33;
const ROUNDS = 3;

/** An item as the sync stores it: canonical JSON, keys sorted. */
const canonicalItem = (i: number, filler: string) => `{"id":"item-${i}","padding":"${filler}","title":"Item ${i}","version":1}`;
/** As wide as a SHA-256 in hex. */
const fakeHash = (i: number) => i.toString(16).padStart(64, '0');

/**
 * The ceiling: the same rows written straight into `records` (under another connection uid), as
 * multi-row INSERTs, one db.batch per PAGE rows like the sync's chunks. Answers the time and
 * D1's meta.rows_written.
 */
async function rawInserts(connectionUid: string): Promise<{ ms: number; rowsWritten: number }> {
    const filler = 'x'.repeat(PADDING);
    const now = Date.now();
    let rowsWritten = 0;
    const started = performance.now();
    for (let page = 0; page < COUNT; page += PAGE) {
        const statements: D1PreparedStatement[] = [];
        for (let first = page; first < page + PAGE; first += ROWS_PER_INSERT) {
            const rows = Array.from({ length: Math.min(ROWS_PER_INSERT, page + PAGE - first) }, (_, n) => first + n);
            const values = rows.map((i) => `('${connectionUid}', 'Item', 'base', ?, ?, ?, ${now}, ${now}, NULL, NULL, ${i + 1})`);
            statements.push(
                env.RECORDS.prepare(
                    `INSERT INTO records (connection_uid, model, variant, id, data, hash, first_seen_at, last_modified_at, deleted_at, pruned_at, seq) VALUES ${values.join(', ')}`
                ).bind(...rows.flatMap((i) => [`item-${i}`, canonicalItem(i, filler), fakeHash(i)]))
            );
        }
        for (const result of await env.RECORDS.batch(statements)) rowsWritten += result.meta.rows_written;
    }
    return { ms: performance.now() - started, rowsWritten };
}

/** Triggers the sync and waits for the run's end as a client sees it; answers the time, the status and the run's log entry. */
async function timedSync(key: string) {
    const started = performance.now();
    const status = await runSync(key, {}, { timeout: 600_000, interval: 100 });
    const ms = performance.now() - started;
    const run = (await call('/logs?type=sync&limit=1', { key })).json.data[0];
    return { ms, status, run };
}

/** Every record through `GET /records`, PAGE at a time; answers the time and the distinct ids. */
async function readAll(key: string): Promise<{ ms: number; ids: Set<string> }> {
    const ids = new Set<string>();
    let cursor: string | null = null;
    const started = performance.now();
    do {
        const res = await call(`/records?model=Item&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
            key,
            headers: { 'connection-id': 'c1', 'provider-config-key': 'api' }
        });
        expect(res.status, res.text).toBe(200);
        for (const record of res.json.records) ids.add(record.id);
        cursor = res.json.next_cursor;
    } while (cursor);
    return { ms: performance.now() - started, ids };
}

interface Sample {
    name: string;
    ms: number;
    /** Records the step handles: written, compared or read. */
    records: number;
    /** Rows of the records table written; null for reads. */
    written: number | null;
    invocations: number | null;
}

/** One round on a new connection, each step checked; the table is left as the round found it. */
async function round(): Promise<{ samples: Sample[]; rawRowsWritten: number; recordBytes: number }> {
    const { key, scenario, id: environmentId } = await apiEnvironment();
    const upstream = (count: number, changedEvery?: number) =>
        fake.api(scenario, { collection: { path: '/items', generated: { count, padding: PADDING, ...(changedEvery && { changedEvery }) }, pageSize: PAGE } });
    await upstream(0);
    const deployed = await deploy(key, [{ integration: 'api', name: 'items', type: 'sync', code: itemsSync({ checkpointed: true }), config: SYNC_CONFIG(false) }]);
    expect(deployed.status, deployed.text).toBe(201);
    const uid = (await env.DB.prepare("SELECT uid FROM connections WHERE environment_id = ?1 AND connection_id = 'c1'").bind(environmentId).first<string>('uid'))!;
    const query = (sql: string, connectionUid: string, ...binds: unknown[]) => env.RECORDS.prepare(sql).bind(connectionUid, ...binds).first<number>('n');
    const countOf = async (connectionUid: string) => (await query('SELECT count(*) AS n FROM records WHERE connection_uid = ?1', connectionUid)) ?? 0;
    const deleteAll = (connectionUid: string) => env.RECORDS.prepare('DELETE FROM records WHERE connection_uid = ?1').bind(connectionUid).run();
    const samples: Sample[] = [];

    const rawUid = `bench-raw-${crypto.randomUUID()}`;
    const raw = await rawInserts(rawUid);
    expect(await countOf(rawUid)).toBe(COUNT);
    samples.push({ name: `raw D1: ${ROWS_PER_INSERT}-row INSERTs, db.batch`, ms: raw.ms, records: COUNT, written: COUNT, invocations: null });
    // The sync starts from the table the raw inserts found.
    await deleteAll(rawUid);

    const sync = async (name: string, expected: { added: number; updated: number; unchanged: number }) => {
        // A write gives every row it changes a new seq, past the connection's last one.
        const seq = (await query('SELECT last_seq AS n FROM record_sequences WHERE connection_uid = ?1', uid)) ?? 0;
        const { ms, status, run } = await timedSync(key);
        expect(status).toMatchObject({ latestExecutionStatus: 'SUCCESS', latestResult: { Item: { added: expected.added, updated: expected.updated, deleted: 0 } } });
        expect(run.meta.results.Item).toMatchObject(expected);
        const written = (await query('SELECT count(*) AS n FROM records WHERE connection_uid = ?1 AND seq > ?2', uid, seq)) ?? 0;
        expect(written).toBe(expected.added + expected.updated);
        samples.push({ name, ms, records: expected.added + expected.updated + expected.unchanged, written, invocations: run.meta.invocations });
    };
    // Also the warm-up: the function's isolate is loaded before the timed runs.
    await sync('empty sync run (fixed cost)', { added: 0, updated: 0, unchanged: 0 });
    await upstream(COUNT);
    await sync('sync ingest (nango.batchSave)', { added: COUNT, updated: 0, unchanged: 0 });
    await sync('re-sync, 0% changed', { added: 0, updated: 0, unchanged: COUNT });
    await upstream(COUNT, 10);
    await sync('re-sync, 10% changed', { added: 0, updated: COUNT / 10, unchanged: COUNT - COUNT / 10 });

    const read = await readAll(key);
    expect(read.ids.size).toBe(COUNT);
    samples.push({ name: `read: GET /records?limit=${PAGE}`, ms: read.ms, records: COUNT, written: null, invocations: null });
    const recordBytes = (await query('SELECT avg(length(data)) AS n FROM records WHERE connection_uid = ?1', uid)) ?? 0;
    await deleteAll(uid);
    return { samples, rawRowsWritten: raw.rowsWritten, recordBytes };
}

describe('records', () => {
    it(`${COUNT.toLocaleString('en-US')} records of 1 KB: raw D1 inserts vs sync ingest, re-syncs, reading`, async () => {
        const rounds: Awaited<ReturnType<typeof round>>[] = [];
        for (let r = 0; r < ROUNDS; r++) rounds.push(await round());
        const variants = rounds[0]!.samples.map((sample, i): Sample => {
            const all = rounds.map((r) => r.samples[i]!);
            return { ...sample, ms: median(all.map((s) => s.ms)), invocations: sample.invocations === null ? null : Math.max(...all.map((s) => s.invocations!)) };
        });
        const raw = variants[0]!;
        const rate = (v: Sample) => (v.records / v.ms) * 1000;
        const n = (x: number) => Math.round(x).toLocaleString('en-US');
        const line = (cells: string[]) => `  ${cells[0]!.padEnd(36)} ${cells[1]!.padStart(7)} ${cells[2]!.padStart(10)} ${cells[3]!.padStart(13)} ${cells[4]!.padStart(12)}   ${cells[5]}`;
        const row = (v: Sample) =>
            line([
                v.name,
                `${(v.ms / 1000).toFixed(2)} s`,
                v.records ? n(rate(v)) : '-',
                v.written === null ? '-' : n(v.written),
                v.invocations === null ? '-' : String(v.invocations),
                v.records ? `×${(rate(v) / rate(raw)).toFixed(2)}` : ''
            ]);
        console.log(
            [
                `\nRecords: ${n(COUNT)} records of ${n(rounds[0]!.recordBytes)} bytes, pages of ${n(PAGE)}; median of ${ROUNDS} rounds; SYNC_TIME_BUDGET_MS ${env.SYNC_TIME_BUDGET_MS} (baseline: raw D1)`,
                line(['', 'time', 'records/s', 'rows written', 'invocations', 'ratio']),
                ...variants.map(row),
                `  Sync times run from POST /sync/trigger to the finished run in GET /sync/status. Rows written: rows of the records table given a new seq;`,
                `  D1's meta.rows_written for the raw inserts was ${n(rounds[0]!.rawRowsWritten)}, as D1 counts index entries too.`
            ].join('\n')
        );
    }, 900_000);
});
