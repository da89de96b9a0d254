import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import type { AuthMode, ProviderField } from '../../providers/schema.js';
import { connections } from '../../schema/tables.js';
import type { ResolvedProvider } from '../catalog/provider-registry.js';
import type { IntegrationDefaults } from '../connect/connect-session-input.js';
import { type ConnectSessionRow, isIntegrationAllowed, sessionDefaults } from '../connect/connect-sessions.js';
import { authenticateSessionToken } from '../connect/session-token-auth.js';
import { connectionStorage, requireIntegrationForConnection } from '../connections/connections.js';
import { database } from '../db.js';
import type { EnvironmentRecord } from '../environments/environments.js';
import type { AppEnv } from '../http/app-env.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { type IntegrationRow, resolveIntegrationProvider } from '../integrations/integrations.js';
import { bracketParams } from './bracket-params.js';
import { validateFields } from './field-input.js';

/** Everything an end user's authorization attempt is about, checked before anything happens. */
export interface AuthAttempt {
    environment: EnvironmentRecord;
    session: ConnectSessionRow;
    integration: IntegrationRow;
    provider: ResolvedProvider;
    /** The connection this attempt creates, or re-authorizes on a reconnect session. */
    connectionId: string;
    reconnecting: boolean;
    connectionConfig: Record<string, unknown>;
    defaults: IntegrationDefaults;
}

/**
 * Resolves an auth route's request: the connect session token (`?connect_session_token=`), the
 * integration it may use, the auth mode, and the connection config from `params[…]` and the
 * session's defaults (which win, as they come from the developer's backend). On a reconnect the
 * connection's stored config, secret fields included, is the base.
 */
export async function resolveAuthAttempt(c: Context<AppEnv>, integrationKey: string, modes: AuthMode[]): Promise<AuthAttempt> {
    const url = new URL(c.req.url);
    if (url.searchParams.has('public_key')) {
        throw new ApiError(401, 'deprecated_authentication', 'Public keys are not supported; authenticate with a connect session token');
    }
    await authenticateSessionToken(c, url.searchParams.get('connect_session_token') ?? undefined);
    if (url.searchParams.has('connection_id')) {
        throw badRequest('invalid_query_params', 'connection_id cannot be chosen with a connect session token', [
            { code: 'unexpected', message: 'Not allowed with a connect session token', path: ['connection_id'] }
        ]);
    }
    const session = c.var.connectSession!;
    if (!isIntegrationAllowed(session, integrationKey)) {
        throw badRequest('integration_not_allowed', `This session may not connect "${integrationKey}"`);
    }
    const db = database(c.env);
    const integration = await requireIntegrationForConnection(db, session.environmentId, integrationKey);
    const provider = await resolveIntegrationProvider(db, integration);
    if (!modes.includes(provider.provider.auth_mode)) {
        throw badRequest('invalid_auth_mode', `Integration "${integrationKey}" uses ${provider.provider.auth_mode}, which this route does not handle`);
    }

    let connectionId: string = crypto.randomUUID();
    let baseConfig: Record<string, unknown> = {};
    if (session.reconnectConnectionId !== null) {
        const [existing] = await db.select().from(connections).where(eq(connections.id, session.reconnectConnectionId)).limit(1);
        if (!existing || existing.integrationId !== integration.id) {
            throw badRequest('invalid_body', 'The connection this session reconnects no longer exists');
        }
        connectionId = existing.connectionId;
        // Secret fields live only in the connection's Durable Object; without them the save would drop them.
        const stored = await connectionStorage(c.env, existing).readSecrets();
        baseConfig = { ...existing.connectionConfig, ...stored?.secretConfig };
    }
    const defaults = sessionDefaults(session, integrationKey);
    const { oauth_scopes_override: _scopes, ...preset } = defaults.connection_config ?? {};
    // `webhook_url` was once a config field; it now comes only from the session's override.
    const { webhook_url: _ignored, ...params } = bracketParams(url, 'params');
    const fields = provider.provider.connection_config ?? {};
    refuseUndeclaredParams(fields, params);
    return {
        environment: c.var.environment,
        session,
        integration,
        provider,
        connectionId,
        reconnecting: session.reconnectConnectionId !== null,
        connectionConfig: validateFields(fields, { ...baseConfig, ...params, ...preset }, 'params', 'invalid_connection_config'),
        defaults
    };
}

/**
 * The browser may only fill the fields the end user is asked for. Automated fields are what the
 * platform trusts (webhook routing matches on GitHub's `installation_id`, DocuSign's `base_uri`
 * builds the API's URL), so only the developer sets them: on import, or in the session's defaults.
 */
function refuseUndeclaredParams(fields: Record<string, ProviderField>, params: Record<string, string>): void {
    const refused = Object.keys(params).filter((k) => !Object.hasOwn(fields, k) || fields[k]!.automated);
    if (refused.length) {
        throw badRequest(
            'invalid_connection_config',
            `The end user cannot set ${refused.join(', ')}`,
            refused.map((k) => ({ code: 'unrecognized_key', message: 'Not a connection config field the end user fills', path: ['params', k] }))
        );
    }
}
