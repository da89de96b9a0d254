import { inArray } from 'drizzle-orm';
import { connections } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { eachWithLimit } from '../work-pool.js';
import { formatFrequency } from '../functions/frequency.js';
import { apiTimestampOrNull } from '../http/timestamps.js';
import { effectiveFrequency, type ScheduleRow } from './apply-schedules.js';

const CONCURRENCY = 20;

/**
 * `GET /sync/status`, per schedule. The control plane's row gives the last run and counts; the
 * connection's Durable Object says whether a run is under way now, and holds the checkpoint.
 */
export async function syncStatuses(db: Database, env: Env, rows: ScheduleRow[]) {
    const ids = new Map<string, string>();
    const uids = [...new Set(rows.map((r) => r.connectionUid))];
    for (let i = 0; i < uids.length; i += 90) {
        const found = await db.select({ uid: connections.uid, connectionId: connections.connectionId }).from(connections).where(inArray(connections.uid, uids.slice(i, i + 90)));
        for (const c of found) ids.set(c.uid, c.connectionId);
    }
    const out: ReturnType<typeof statusOf>[] = [];
    await eachWithLimit(
        rows.map((row, index) => ({ row, index })),
        CONCURRENCY,
        async ({ row, index }) => {
            const snapshot = await env.CONNECTION.getByName(row.connectionUid).syncSnapshot(row.syncName, row.variant);
            out[index] = statusOf(row, ids.get(row.connectionUid) ?? '', snapshot);
        }
    );
    return out;
}

function statusOf(row: ScheduleRow, connectionId: string, snapshot: { running: boolean; nextRunAt: number | null; checkpoint: string | null } | null) {
    const running = snapshot?.running ?? row.runningSince !== null;
    const status = running ? 'RUNNING' : row.status === 'PAUSED' ? 'PAUSED' : (row.lastRunStatus ?? 'RUNNING');
    const latest = row.latestResult ?? {};
    return {
        id: row.id,
        connection_id: connectionId,
        name: row.syncName,
        variant: row.variant,
        status,
        type: row.lastSyncDate === null ? 'INITIAL' : 'INCREMENTAL',
        finishedAt: apiTimestampOrNull(row.lastRunAt),
        nextScheduledSyncAt: apiTimestampOrNull(snapshot ? snapshot.nextRunAt : row.nextRunAt),
        frequency: formatFrequency(effectiveFrequency(row)),
        latestResult: Object.fromEntries(Object.entries(latest).map(([model, c]) => [model, { added: c['added'] ?? 0, updated: c['updated'] ?? 0, deleted: c['deleted'] ?? 0 }])),
        latestExecutionStatus: running ? 'RUNNING' : (row.lastRunStatus ?? null),
        recordCount: row.recordCounts,
        checkpoint: snapshot?.checkpoint ? (JSON.parse(snapshot.checkpoint) as Record<string, unknown>) : null,
        ...(row.lastError && { error: row.lastError })
    };
}
