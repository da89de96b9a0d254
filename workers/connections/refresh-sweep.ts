import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import { connections } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { findConnectionByUid } from './connection-by-uid.js';
import { freshSecrets } from './connections.js';

/** Looks further ahead than the default refresh margin, so a token is renewed on a sweep before it lapses. */
const LOOKAHEAD_MS = 20 * 60_000;
const BATCH = 500;

/**
 * Tokens of connections nobody reads would lapse; this finds those about to expire and queues a
 * refresh for each. Reads refresh on their own, so busy connections have moved on already.
 */
export async function queueDueRefreshes(db: Database, env: Env): Promise<number> {
    const due = await db
        .select({ uid: connections.uid, environmentId: connections.environmentId })
        .from(connections)
        .where(
            and(
                inArray(connections.authMode, ['OAUTH2', 'OAUTH2_CC']),
                isNotNull(connections.credentialsExpiresAt),
                lt(connections.credentialsExpiresAt, Date.now() + LOOKAHEAD_MS),
                eq(connections.refreshExhausted, false)
            )
        )
        .limit(BATCH);
    for (let i = 0; i < due.length; i += 100) {
        await env.JOBS.sendBatch(due.slice(i, i + 100).map((d) => ({ body: { type: 'refresh_connection', environmentId: d.environmentId, uid: d.uid } satisfies JobMessage })));
    }
    return due.length;
}

/** The `refresh_connection` job. A refused refresh is already logged and reported by the DO; only our own failures retry. */
export async function refreshIfDue(db: Database, env: Env, uid: string): Promise<void> {
    const ref = await findConnectionByUid(db, uid);
    if (!ref) return; // deleted since the sweep
    try {
        await freshSecrets(db, env, ref);
    } catch (error) {
        if (!(error instanceof ApiError && error.status === 424)) throw error;
    }
}
