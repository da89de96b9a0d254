import { sql, type SQL } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';

/**
 * The schedule's record counts after adding each model's delta, as SQL on the stored value, so
 * that a run's end and a webhook handler finishing together both count. `fromZero` (a run that
 * emptied the cache) starts from no records instead.
 */
export function recordCountsAfter(deltas: Record<string, number>, fromZero = false): SQL {
    let counts: SQL = fromZero ? sql`'{}'` : sql`coalesce(${syncSchedules.recordCounts}, '{}')`;
    for (const [model, delta] of Object.entries(deltas)) {
        const path = `$."${model}"`;
        const before = fromZero ? sql`0` : sql`coalesce(json_extract(${syncSchedules.recordCounts}, ${path}), 0)`;
        counts = sql`json_set(${counts}, ${path}, max(0, ${before} + ${delta}))`;
    }
    return counts;
}
