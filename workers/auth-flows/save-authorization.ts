import type { Context } from 'hono';
import type { ConnectSessionRow } from '../connect/connect-sessions.js';
import { type ConnectionRef, deleteConnection, importConnection } from '../connections/connections.js';
import type { Credentials } from '../connections/credentials.js';
import type { EndUserInput } from '../connections/end-user.js';
import { database } from '../db.js';
import { connectionCreated, validateNewConnection } from '../functions/connection-events.js';
import { runContext } from '../functions/run-context.js';
import type { AppEnv } from '../http/app-env.js';
import { authWebhook } from '../webhooks/auth-webhook.js';
import { emitWebhook } from '../webhooks/webhook-outbox.js';
import type { AuthAttempt } from './auth-attempt.js';
import { publicBaseUrl } from '../http/public-url.js';

function sessionEndUser(s: ConnectSessionRow): EndUserInput | undefined {
    if (!s.endUserId) return undefined;
    return {
        id: s.endUserId,
        ...(s.endUserEmail && { email: s.endUserEmail }),
        ...(s.endUserDisplayName && { display_name: s.endUserDisplayName }),
        ...(s.endUserTags && { tags: s.endUserTags }),
        ...(s.organizationId && { organization: { id: s.organizationId, ...(s.organizationDisplayName && { display_name: s.organizationDisplayName }) } })
    };
}

/**
 * Stores the credentials an end user just authorized as a connection that inherits the session's
 * end user, tags and webhook URL, then tells the app through an `auth` webhook. A new connection
 * must pass the integration's `validate-connection` functions and get its follow-up (schedules,
 * `post-connection-creation`), or it is deleted again.
 */
export async function saveAuthorization(
    c: Context<AppEnv>,
    attempt: AuthAttempt,
    credentials: Credentials,
    capturedConfig: Record<string, unknown> = {}
): Promise<ConnectionRef> {
    const db = database(c.env);
    const endUser = sessionEndUser(attempt.session);
    const { ref, created } = await importConnection(db, c.env, attempt.environment.id, {
        provider_config_key: attempt.integration.uniqueKey,
        connection_id: attempt.connectionId,
        credentials,
        connection_config: { ...attempt.connectionConfig, ...capturedConfig },
        ...(endUser && { end_user: endUser }),
        ...(Object.keys(attempt.session.tags).length && { tags: attempt.session.tags }),
        ...(attempt.session.webhookUrlOverride && { webhook_url_override: attempt.session.webhookUrlOverride })
    });
    const operation = attempt.reconnecting || !created ? 'override' : 'creation';
    Object.assign(c.var.operation, { integrationKey: attempt.integration.uniqueKey, connectionId: attempt.connectionId, meta: { operation } });
    if (created) {
        try {
            await validateNewConnection(runContext(c.env, c.executionCtx, publicBaseUrl(c)), attempt.environment.name, ref);
            await connectionCreated(c.env, ref);
        } catch (error) {
            // Rejected, or its schedules could not be set up: a connection without them would never
            // get them later, so nothing stays. The caller reports the failed creation to the app.
            await deleteConnection(db, c.env, ref.row);
            throw error;
        }
    }
    notifyApp(c, attempt, { operation, connection: ref.row });
    return ref;
}

/** An attempt to create a connection failed: the app hears of it too (`auth` creation, success false). */
export function reportFailedCreation(c: Context<AppEnv>, attempt: AuthAttempt, error: { type: string; description: string }): void {
    if (!attempt.reconnecting) notifyApp(c, attempt, { operation: 'creation', error });
}

function notifyApp(
    c: Context<AppEnv>,
    attempt: AuthAttempt,
    event: { operation: 'creation' | 'override'; connection?: ConnectionRef['row']; error?: { type: string; description: string } }
): void {
    const webhook = authWebhook({
        environmentName: attempt.environment.name,
        integrationKey: attempt.integration.uniqueKey,
        provider: attempt.integration.provider,
        authMode: attempt.provider.provider.auth_mode,
        connectionId: attempt.connectionId,
        operation: event.operation,
        ...(event.connection && { connection: event.connection }),
        urlOverride: attempt.session.webhookUrlOverride,
        ...(event.error && { error: event.error })
    });
    // After the response: the delivery row is written before the queue message, so nothing is lost.
    c.executionCtx.waitUntil(
        emitWebhook(database(c.env), c.env, attempt.environment.id, webhook).catch((err: unknown) => console.error('auth webhook could not be queued', err))
    );
}
