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
import { deliveryInserts, queueDeliveries, type WebhookEvent, writeDeliveries } from '../webhooks/webhook-outbox.js';
import { getWebhookSettings } from '../webhooks/webhook-settings.js';
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
 *
 * The webhook's delivery row is written before the answer: with the index row when credentials
 * are replaced, and as the last step of a creation (which is undone if it fails). Only queueing
 * it waits until after the answer; the outbox sweep queues what that misses.
 */
export async function saveAuthorization(
    c: Context<AppEnv>,
    attempt: AuthAttempt,
    credentials: Credentials,
    capturedConfig: Record<string, unknown> = {}
): Promise<ConnectionRef> {
    const db = database(c.env);
    const environmentId = attempt.environment.id;
    const settings = await getWebhookSettings(db, environmentId);
    const endUser = sessionEndUser(attempt.session);
    let deliveries: string[] = [];
    const { ref, created } = await importConnection(
        db,
        c.env,
        environmentId,
        {
            provider_config_key: attempt.integration.uniqueKey,
            connection_id: attempt.connectionId,
            credentials,
            connection_config: { ...attempt.connectionConfig, ...capturedConfig },
            ...(endUser && { end_user: endUser }),
            ...(Object.keys(attempt.session.tags).length && { tags: attempt.session.tags }),
            ...(attempt.session.webhookUrlOverride && { webhook_url_override: attempt.session.webhookUrlOverride })
        },
        {
            alongsideReplacement: (row) => {
                const inserts = deliveryInserts(db, settings, environmentId, [appEvent(attempt, { operation: 'override', connection: row })]);
                deliveries = inserts.ids;
                return inserts.statements;
            }
        }
    );
    const operation = attempt.reconnecting || !created ? 'override' : 'creation';
    Object.assign(c.var.operation, { integrationKey: attempt.integration.uniqueKey, connectionId: attempt.connectionId, meta: { operation } });
    if (created) {
        try {
            await validateNewConnection(runContext(c.env, c.executionCtx, publicBaseUrl(c)), attempt.environment.name, ref);
            await connectionCreated(c.env, ref);
            deliveries = await writeDeliveries(db, settings, environmentId, [appEvent(attempt, { operation, connection: ref.row })]);
        } catch (error) {
            // Rejected, its schedules could not be set up, or the app could not be told: a
            // connection without them would never get them later, so nothing stays. The caller
            // reports the failed creation to the app.
            await deleteConnection(db, c.env, ref.row);
            throw error;
        }
    }
    queueAfterAnswer(c, deliveries);
    return ref;
}

/** An attempt to create a connection failed: the app hears of it too (`auth` creation, success false). */
export async function reportFailedCreation(c: Context<AppEnv>, attempt: AuthAttempt, error: { type: string; description: string }): Promise<void> {
    if (attempt.reconnecting) return;
    const db = database(c.env);
    try {
        const settings = await getWebhookSettings(db, attempt.environment.id);
        queueAfterAnswer(c, await writeDeliveries(db, settings, attempt.environment.id, [appEvent(attempt, { operation: 'creation', error })]));
    } catch (err) {
        // Nothing was saved to undo; the end user sees the failure itself.
        console.error('the failed creation could not be recorded as a webhook', err);
    }
}

function appEvent(
    attempt: AuthAttempt,
    event: { operation: 'creation' | 'override'; connection?: ConnectionRef['row']; error?: { type: string; description: string } }
): WebhookEvent {
    return authWebhook({
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
}

function queueAfterAnswer(c: Context<AppEnv>, deliveries: string[]): void {
    if (!deliveries.length) return;
    c.executionCtx.waitUntil(queueDeliveries(c.env, deliveries).catch((err: unknown) => console.error('auth webhook could not be queued; the outbox sweep will', err)));
}
