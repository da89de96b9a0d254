import { and, eq } from 'drizzle-orm';
import { connections } from '../schema/tables.js';
import type { Credentials } from '../workers/connections/credentials.js';
import type { Database } from '../workers/db.js';
import { recordOperation } from '../workers/operations/operation-log.js';
import { authWebhook } from '../workers/webhooks/auth-webhook.js';
import { emitWebhook } from '../workers/webhooks/webhook-outbox.js';
import type { ConnectionKey, RefreshContext } from './refresh-context.js';
import { type FailureState, NO_FAILURES, sweepDueAt } from './refresh-policy.js';

const operationOf = (ctx: RefreshContext) => ({
    environmentId: ctx.environment.id,
    type: 'auth' as const,
    action: 'refresh',
    integrationKey: ctx.integration.uniqueKey,
    connectionId: ctx.connection.connectionId
});

/** A refresh worked: log it and tell the index (read by the refresh sweep) when the new token is due. */
export async function recordRefreshSuccess(db: Database, key: ConnectionKey, ctx: RefreshContext, credentials: Credentials, startedAt: number) {
    await Promise.all([
        db
            .update(connections)
            .set({ refreshDueAt: sweepDueAt(credentials, NO_FAILURES), authErrorLogId: null })
            .where(eq(connections.id, key.rowId)),
        recordOperation(db, { ...operationOf(ctx), status: 'success', meta: { expires_at: 'expires_at' in credentials ? credentials.expires_at : null }, startedAt, endedAt: Date.now() })
    ]);
}

/**
 * A refresh failed: log it, mark the connection in the index (the sweep comes back after the
 * backoff, or never once exhausted), and tell the app with a signed `auth` webhook.
 */
export async function recordRefreshFailure(
    db: Database,
    env: Env,
    key: ConnectionKey,
    ctx: RefreshContext,
    failed: { credentials: Credentials; state: FailureState; message: string; startedAt: number }
) {
    const { state, message, startedAt } = failed;
    const logId = await recordOperation(db, {
        ...operationOf(ctx),
        status: 'failed',
        error: { code: state.exhausted ? 'refresh_exhausted' : 'refresh_failed', message },
        meta: { failures: state.failures, exhausted: state.exhausted },
        startedAt,
        endedAt: Date.now()
    });
    await db.update(connections).set({ authErrorLogId: logId, refreshDueAt: sweepDueAt(failed.credentials, state) }).where(eq(connections.id, key.rowId));
    await emitWebhook(
        db,
        env,
        ctx.environment.id,
        authWebhook({
            environmentName: ctx.environment.name,
            integrationKey: ctx.integration.uniqueKey,
            provider: ctx.integration.provider,
            authMode: ctx.provider.auth_mode,
            connectionId: ctx.connection.connectionId,
            operation: 'refresh',
            connection: ctx.connection,
            error: { type: state.exhausted ? 'refresh_exhausted' : 'refresh_token_error', description: message }
        })
    );
}

/** The sweep asked for a refresh the object declined (backing off, given up, or nothing to refresh with): the index learns when to ask again. */
export async function recordRefreshDue(db: Database, key: ConnectionKey, dueAt: number | null) {
    await db.update(connections).set({ refreshDueAt: dueAt }).where(and(eq(connections.id, key.rowId), eq(connections.uid, key.uid)));
}
