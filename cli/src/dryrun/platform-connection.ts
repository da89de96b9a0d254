import { z } from 'zod';
import { type ConnectionView, credentialPlaceholder } from '../../../functions-runtime/host-contract.js';
import { credentialsView } from '../../../functions-runtime/host/credentials-view.js';
import { BUILT_IN_PROVIDERS } from '../../../providers/catalog/index.js';
import type { Provider } from '../../../providers/schema.js';
import { splitConnectionConfig } from '../../../workers/connections/connection-config.js';
import type { ConnectionSecrets, Credentials } from '../../../workers/connections/credentials.js';
import type { PlatformClient } from '../platform/client.js';

const connectionSchema = z.object({
    id: z.number(),
    connection_id: z.string(),
    provider_config_key: z.string(),
    provider: z.string(),
    connection_config: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    end_user: z.record(z.string(), z.unknown()).nullable(),
    tags: z.record(z.string(), z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    credentials: z.record(z.string(), z.unknown())
});

/** A connection as `GET /connections/:id` answers it (with its secrets), and as a function may see it (with placeholders). */
export interface PlatformConnection {
    view: ConnectionView;
    secrets: ConnectionSecrets;
}

export async function readConnection(
    client: PlatformClient,
    integration: string,
    connectionId: string,
    options: { forceRefresh?: boolean; refreshToken?: boolean } = {}
): Promise<PlatformConnection> {
    const query = new URLSearchParams({ provider_config_key: integration });
    if (options.forceRefresh) query.set('force_refresh', 'true');
    if (options.refreshToken) query.set('refresh_token', 'true');
    const api = await client.getPlain(`/connections/${encodeURIComponent(connectionId)}?${query}`, connectionSchema);
    // The config fields the provider marks secret are placeholders too (a custom provider's are not known here).
    const provider = BUILT_IN_PROVIDERS[api.provider] as Provider | undefined;
    const { publicConfig, secretConfig } = provider ? splitConnectionConfig(provider, api.connection_config) : { publicConfig: api.connection_config, secretConfig: {} };
    const credentials = api.credentials as Credentials;
    return {
        secrets: { credentials, secretConfig },
        view: {
            id: api.id,
            connection_id: api.connection_id,
            provider_config_key: api.provider_config_key,
            provider: api.provider,
            connection_config: { ...publicConfig, ...Object.fromEntries(Object.keys(secretConfig).map((key) => [key, credentialPlaceholder(key)])) },
            metadata: api.metadata,
            end_user: api.end_user,
            tags: api.tags,
            created_at: api.created_at,
            updated_at: api.updated_at,
            credentials: credentialsView(credentials)
        }
    };
}
