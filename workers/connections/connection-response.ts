import { z } from '@hono/zod-openapi';
import { apiTimestamp, apiTimestampOrNull } from '../http/timestamps.js';
import type { ConnectionRef, ConnectionRow } from './connections.js';
import { type ConnectionSecrets, withoutRefreshToken } from './credentials.js';
import { endUserSchema, toApiEndUser } from './end-user.js';

const connectionErrorSchema = z.object({ type: z.string(), log_id: z.string() });

const common = {
    id: z.number().int(),
    connection_id: z.string(),
    provider_config_key: z.string(),
    provider: z.string(),
    errors: z.array(connectionErrorSchema),
    end_user: endUserSchema.nullable(),
    tags: z.record(z.string(), z.string()),
    metadata: z.record(z.string(), z.unknown()).nullable()
};

export const connectionListItemSchema = z.object({ ...common, created: z.string() }).openapi('ConnectionListItem');

export const connectionSchema = z
    .object({
        ...common,
        connection_config: z.record(z.string(), z.unknown()),
        webhook_url_override: z.string().nullable(),
        created_at: z.string(),
        updated_at: z.string(),
        last_fetched_at: z.string().nullable(),
        credentials: z.record(z.string(), z.unknown())
    })
    .openapi('Connection');

function commonFields(row: ConnectionRow, integrationKey: string) {
    return {
        id: row.id,
        connection_id: row.connectionId,
        provider_config_key: integrationKey,
        provider: row.provider,
        // Refresh failures point at the operation that logged them; sync failures join them later.
        errors: (row.authErrorLogId ? [{ type: 'auth', log_id: row.authErrorLogId }] : []) as z.infer<typeof connectionErrorSchema>[],
        end_user: toApiEndUser(row),
        tags: row.tags,
        metadata: row.metadata
    };
}

export function toApiConnectionListItem(row: ConnectionRow, integrationKey: string) {
    return { ...commonFields(row, integrationKey), created: apiTimestamp(row.createdAt) };
}

export function toApiConnection(ref: ConnectionRef, secrets: ConnectionSecrets, opts: { includeRefreshToken: boolean }) {
    const { row } = ref;
    return {
        ...commonFields(row, ref.integration.uniqueKey),
        connection_config: { ...row.connectionConfig, ...secrets.secretConfig },
        webhook_url_override: row.webhookUrlOverride,
        created_at: apiTimestamp(row.createdAt),
        updated_at: apiTimestamp(row.updatedAt),
        last_fetched_at: apiTimestampOrNull(row.lastFetchedAt),
        credentials: opts.includeRefreshToken ? secrets.credentials : withoutRefreshToken(secrets.credentials)
    };
}
