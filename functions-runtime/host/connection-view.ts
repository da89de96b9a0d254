import { type ConnectionView, credentialPlaceholder } from '../host-contract.js';
import { credentialsView } from './credentials-view.js';
import type { ConnectionRef } from '../../workers/connections/connections.js';
import { type ConnectionSecrets, withoutRefreshToken } from '../../workers/connections/credentials.js';
import { toApiEndUser } from '../../workers/connections/end-user.js';
import { apiTimestamp } from '../../workers/http/timestamps.js';

/** The refresh token is left out, as the API leaves it out, unless asked for. */
export function connectionView(ref: ConnectionRef, secrets: ConnectionSecrets, { includeRefreshToken }: { includeRefreshToken: boolean }): ConnectionView {
    const { row } = ref;
    return {
        id: row.id,
        connection_id: row.connectionId,
        provider_config_key: ref.integration.uniqueKey,
        provider: row.provider,
        // Config fields the provider marks secret are placeholders too.
        connection_config: { ...row.connectionConfig, ...Object.fromEntries(Object.keys(secrets.secretConfig).map((k) => [k, credentialPlaceholder(k)])) },
        metadata: row.metadata,
        end_user: toApiEndUser(row),
        tags: row.tags,
        created_at: apiTimestamp(row.createdAt),
        updated_at: apiTimestamp(row.updatedAt),
        credentials: credentialsView(includeRefreshToken ? secrets.credentials : withoutRefreshToken(secrets.credentials))
    };
}
