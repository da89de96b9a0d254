import type { ConnectionRow } from '../connections/connections.js';
import type { WebhookEvent } from './webhook-outbox.js';

export type AuthOperation = 'creation' | 'override' | 'refresh';

export interface AuthWebhookInput {
    environmentName: string;
    integrationKey: string;
    provider: string;
    authMode: string;
    connectionId: string;
    operation: AuthOperation;
    /** The connection as stored, for its tags, end user and URL override; absent when creation failed. */
    connection?: Pick<ConnectionRow, 'tags' | 'endUserId' | 'endUserEmail' | 'organizationId' | 'endUserTags' | 'webhookUrlOverride'>;
    urlOverride?: string | null;
    error?: { type: string; description: string };
}

/**
 * The `auth` webhook of Nango's API (reference §8). Creation is sent on success and failure,
 * override on success, refresh only on failure.
 */
export function authWebhook(input: AuthWebhookInput): WebhookEvent {
    const { connection } = input;
    return {
        type: 'auth',
        event: input.operation,
        integrationKey: input.integrationKey,
        connectionId: input.connectionId,
        flag: input.operation === 'creation' ? 'on_auth_creation' : input.operation === 'refresh' ? 'on_auth_refresh_error' : undefined,
        urlOverride: connection?.webhookUrlOverride ?? input.urlOverride ?? null,
        payload: {
            type: 'auth',
            from: 'nango',
            connectionId: input.connectionId,
            providerConfigKey: input.integrationKey,
            provider: input.provider,
            authMode: input.authMode,
            environment: input.environmentName,
            operation: input.operation,
            success: !input.error,
            ...(connection && { tags: connection.tags }),
            ...(connection?.endUserId && {
                endUser: {
                    endUserId: connection.endUserId,
                    endUserEmail: connection.endUserEmail,
                    organizationId: connection.organizationId,
                    tags: connection.endUserTags ?? {}
                }
            }),
            ...(input.error && { error: input.error })
        }
    };
}
