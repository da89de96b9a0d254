import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Timestamps are Unix milliseconds (UTC); the API formats them on the way out.
const createdAt = () => integer('created_at').notNull();
const updatedAt = () => integer('updated_at').notNull();

/** An isolated world: its own keys, integrations, connections and webhook settings. */
export const environments = sqliteTable('environments', {
    id: text('id').primaryKey(), // uuid, also used in public webhook URLs
    name: text('name').notNull().unique(),
    /** AES-GCM ciphertext (see workers/crypto/keyring.ts); needed in clear to sign webhooks. */
    webhookSigningKeyEnc: text('webhook_signing_key_enc').notNull(),
    /** Where and which webhooks go (workers/webhooks/webhook-settings.ts); defaults apply to missing fields. */
    webhookSettings: text('webhook_settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** Connect UI theme (workers/connect/connect-ui-settings.ts). */
    connectUiSettings: text('connect_ui_settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** Where the proxy and functions may send requests (workers/proxy/egress-settings.ts). */
    egressSettings: text('egress_settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
    updatedAt: updatedAt()
});

/** Secret API keys. Only a SHA-256 of the key is kept: it is 122 random bits, so no slow hash is needed. */
export const apiKeys = sqliteTable(
    'api_keys',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        keyHash: text('key_hash').notNull().unique(),
        /** First characters of the key, so operators can tell keys apart without seeing them. */
        keyPrefix: text('key_prefix').notNull(),
        label: text('label'),
        createdAt: createdAt()
    },
    (t) => [index('api_keys_environment_idx').on(t.environmentId)]
);

/** A developer's configuration of a provider (Nango: "integration" / provider config). */
export const integrations = sqliteTable(
    'integrations',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        uniqueKey: text('unique_key').notNull(),
        provider: text('provider').notNull(),
        displayName: text('display_name'),
        forwardWebhooks: integer('forward_webhooks', { mode: 'boolean' }).notNull().default(true),
        /** Auth mode of the stored credentials, kept in clear so lists need no decryption. */
        credentialsType: text('credentials_type'),
        /** Encrypted JSON: OAuth client id/secret, scopes, app keys, webhook secret. */
        credentialsEnc: text('credentials_enc'),
        /** Developer-level settings that are not secret (JSON object of strings). */
        integrationConfig: text('integration_config', { mode: 'json' }).$type<Record<string, string>>(),
        /** Encrypted JSON object of strings: free-form secrets (`custom` in Nango's API). */
        customEnc: text('custom_enc'),
        createdAt: createdAt(),
        updatedAt: updatedAt()
    },
    (t) => [uniqueIndex('integrations_environment_key_idx').on(t.environmentId, t.uniqueKey)]
);

/**
 * The searchable index of connections. Credentials live only in the connection's Durable Object;
 * nothing in this table is secret.
 */
export const connections = sqliteTable(
    'connections',
    {
        /** Numeric id returned by the API (Nango clients type it as a number). */
        id: integer('id').primaryKey({ autoIncrement: true }),
        /** Names the ConnectionDO. Never reused, so a new connection can't inherit old storage. */
        uid: text('uid').notNull().unique(),
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        integrationId: text('integration_id')
            .notNull()
            .references(() => integrations.id, { onDelete: 'cascade' }),
        connectionId: text('connection_id').notNull(),
        provider: text('provider').notNull(),
        authMode: text('auth_mode').notNull(),
        endUserId: text('end_user_id'),
        endUserEmail: text('end_user_email'),
        endUserDisplayName: text('end_user_display_name'),
        endUserTags: text('end_user_tags', { mode: 'json' }).$type<Record<string, string>>(),
        organizationId: text('organization_id'),
        organizationDisplayName: text('organization_display_name'),
        tags: text('tags', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
        metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
        /** Non-secret connection config (subdomain, instance_url…). Secret fields go to the DO. */
        connectionConfig: text('connection_config', { mode: 'json' })
            .$type<Record<string, unknown>>()
            .notNull()
            .default(sql`'{}'`),
        webhookUrlOverride: text('webhook_url_override'),
        /**
         * When the refresh sweep should renew the token (Unix ms): ahead of its expiry, or when a
         * failure's backoff ends. Null when nothing will: it does not expire, cannot be refreshed, or
         * refreshing gave up. Written from the ConnectionDO's state (`sweepDueAt`).
         */
        refreshDueAt: integer('refresh_due_at'),
        /** Set while refreshing fails: the operation that logged the latest failure (`errors[]` in the API). */
        authErrorLogId: text('auth_error_log_id'),
        lastFetchedAt: integer('last_fetched_at'),
        /** Which records database (RECORDS, RECORDS_1…) holds this connection's records; fixed at creation. */
        recordsShard: integer('records_shard').notNull().default(0),
        createdAt: createdAt(),
        updatedAt: updatedAt()
    },
    (t) => [
        uniqueIndex('connections_identity_idx').on(t.environmentId, t.integrationId, t.connectionId),
        index('connections_environment_created_idx').on(t.environmentId, t.createdAt),
        index('connections_end_user_idx').on(t.environmentId, t.endUserId),
        index('connections_organization_idx').on(t.environmentId, t.organizationId),
        index('connections_refresh_due_idx').on(t.refreshDueAt)
    ]
);

/**
 * Outbox of connection storage still to be wiped. A row is written in the same D1 batch that
 * deletes the connection, and removed once its Durable Object is empty, so a crash between the
 * two steps is retried by the cron sweep instead of leaving credentials behind.
 */
export const connectionPurges = sqliteTable('connection_purges', {
    uid: text('uid').primaryKey(),
    environmentId: text('environment_id').notNull(),
    requestedAt: integer('requested_at').notNull(),
    attempts: integer('attempts').notNull().default(0)
});

/** Providers an environment registers for its private or self-hosted APIs. */
export const customProviders = sqliteTable(
    'custom_providers',
    {
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        name: text('name').notNull(),
        /** The provider definition, validated by providers/schema.ts. */
        definition: text('definition', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
        createdAt: createdAt(),
        updatedAt: updatedAt()
    },
    (t) => [uniqueIndex('custom_providers_environment_name_idx').on(t.environmentId, t.name)]
);

/** The operation log: one row per change, auth flow, proxy call, run or webhook. */
export const operations = sqliteTable(
    'operations',
    {
        id: integer('id').primaryKey({ autoIncrement: true }),
        environmentId: text('environment_id').notNull(),
        type: text('type').notNull(),
        action: text('action').notNull(),
        status: text('status').notNull(),
        integrationKey: text('integration_key'),
        connectionId: text('connection_id'),
        requestId: text('request_id'),
        method: text('method'),
        path: text('path'),
        httpStatus: integer('http_status'),
        errorCode: text('error_code'),
        errorMessage: text('error_message'),
        /** Redacted details (workers/crypto/redact.ts). */
        meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>(),
        /** The run an HTTP call belongs to, so a function run's calls are listed under it. */
        parentId: integer('parent_id'),
        startedAt: integer('started_at').notNull(),
        endedAt: integer('ended_at'),
        durationMs: integer('duration_ms')
    },
    (t) => [
        index('operations_environment_idx').on(t.environmentId, t.id),
        index('operations_connection_idx').on(t.environmentId, t.connectionId, t.id),
        index('operations_integration_idx').on(t.environmentId, t.integrationKey, t.id),
        index('operations_started_idx').on(t.startedAt),
        index('operations_parent_idx').on(t.parentId)
    ]
);

/** Log lines of an operation: what a function logged during its run. */
export const operationMessages = sqliteTable(
    'operation_messages',
    {
        id: integer('id').primaryKey({ autoIncrement: true }),
        operationId: integer('operation_id').notNull(),
        environmentId: text('environment_id').notNull(),
        level: text('level').notNull(),
        message: text('message').notNull(),
        /** Redacted JSON. */
        payload: text('payload', { mode: 'json' }).$type<unknown>(),
        createdAt: createdAt()
    },
    (t) => [index('operation_messages_operation_idx').on(t.operationId, t.id), index('operation_messages_created_idx').on(t.createdAt)]
);

/**
 * A short-lived grant for the Connect UI and frontend SDK to create (or re-authorize) connections
 * for one end user. Only the token's hash is kept.
 */
export const connectSessions = sqliteTable(
    'connect_sessions',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        tokenHash: text('token_hash').notNull().unique(),
        endUserId: text('end_user_id'),
        endUserEmail: text('end_user_email'),
        endUserDisplayName: text('end_user_display_name'),
        endUserTags: text('end_user_tags', { mode: 'json' }).$type<Record<string, string>>(),
        organizationId: text('organization_id'),
        organizationDisplayName: text('organization_display_name'),
        tags: text('tags', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
        /** Integration keys the session may use; null = all of the environment's. */
        allowedIntegrations: text('allowed_integrations', { mode: 'json' }).$type<string[]>(),
        integrationsConfigDefaults: text('integrations_config_defaults', { mode: 'json' }).$type<Record<string, unknown>>(),
        /** Per-integration Connect UI overrides, e.g. another `docs_connect` link. */
        overrides: text('overrides', { mode: 'json' }).$type<Record<string, unknown>>(),
        webhookUrlOverride: text('webhook_url_override'),
        /** Reconnect sessions are pinned to one existing connection (connections.id). */
        reconnectConnectionId: integer('reconnect_connection_id'),
        expiresAt: integer('expires_at').notNull(),
        createdAt: createdAt()
    },
    (t) => [index('connect_sessions_expiry_idx').on(t.expiresAt)]
);

/**
 * The server side of an OAuth authorization in progress. `state` is random, stored hashed,
 * consumed once, and only valid with the cookie set when the flow began.
 */
export const oauthSessions = sqliteTable(
    'oauth_sessions',
    {
        stateHash: text('state_hash').primaryKey(),
        cookieHash: text('cookie_hash').notNull(),
        environmentId: text('environment_id').notNull(),
        integrationId: text('integration_id').notNull(),
        connectSessionId: text('connect_session_id'),
        wsClientId: text('ws_client_id'),
        /** Encrypted JSON: PKCE verifier, connection config, per-connection client overrides. */
        payloadEnc: text('payload_enc').notNull(),
        expiresAt: integer('expires_at').notNull(),
        createdAt: createdAt()
    },
    (t) => [index('oauth_sessions_expiry_idx').on(t.expiresAt)]
);

/**
 * Outbox and log of webhooks to the developer's app. A row is written before its queue message,
 * so an event survives a failed send; `body` holds the exact bytes that are signed and sent.
 */
export const webhookDeliveries = sqliteTable(
    'webhook_deliveries',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id').notNull(),
        type: text('type').notNull(),
        /** Sub-kind within the type, e.g. `creation` for `auth`. */
        event: text('event'),
        integrationKey: text('integration_key'),
        connectionId: text('connection_id'),
        url: text('url').notNull(),
        body: text('body').notNull(),
        /** pending → delivered | failed (the app answered 4xx) | dead (retries exhausted). */
        status: text('status').notNull(),
        attempts: integer('attempts').notNull().default(0),
        lastHttpStatus: integer('last_http_status'),
        lastError: text('last_error'),
        nextAttemptAt: integer('next_attempt_at'),
        deliveredAt: integer('delivered_at'),
        createdAt: createdAt(),
        updatedAt: updatedAt()
    },
    (t) => [
        index('webhook_deliveries_environment_idx').on(t.environmentId, t.createdAt),
        index('webhook_deliveries_pending_idx').on(t.status, t.nextAttemptAt)
    ]
);

/** Function bundles, stored by the SHA-256 of their code, so a deployment uploads only what changed. */
export const functionBundles = sqliteTable('function_bundles', {
    hash: text('hash').primaryKey(),
    code: text('code').notNull(),
    size: integer('size').notNull(),
    createdAt: createdAt()
});

/** A deployment is a version of an environment's complete set of functions; exactly one is active. */
export const deployments = sqliteTable(
    'deployments',
    {
        id: integer('id').primaryKey({ autoIncrement: true }),
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        version: integer('version').notNull(),
        message: text('message'),
        active: integer('active', { mode: 'boolean' }).notNull(),
        createdAt: createdAt()
    },
    (t) => [uniqueIndex('deployments_version_idx').on(t.environmentId, t.version), index('deployments_active_idx').on(t.environmentId, t.active)]
);

export const deployedFunctions = sqliteTable(
    'deployed_functions',
    {
        id: integer('id').primaryKey({ autoIncrement: true }),
        deploymentId: integer('deployment_id')
            .notNull()
            .references(() => deployments.id, { onDelete: 'cascade' }),
        environmentId: text('environment_id').notNull(),
        integrationKey: text('integration_key').notNull(),
        name: text('name').notNull(),
        /** sync | action | on-event */
        type: text('type').notNull(),
        bundleHash: text('bundle_hash').notNull(),
        /** Description, models and input/output JSON Schemas, frequency… (workers/functions/function-config.ts). */
        config: text('config', { mode: 'json' }).$type<Record<string, unknown>>().notNull()
    },
    (t) => [
        uniqueIndex('deployed_functions_identity_idx').on(t.deploymentId, t.integrationKey, t.type, t.name),
        index('deployed_functions_lookup_idx').on(t.environmentId, t.integrationKey, t.name)
    ]
);

/**
 * When each sync runs for each connection. Deploying a sync creates its schedules; the sync
 * engine runs them.
 */
export const syncSchedules = sqliteTable(
    'sync_schedules',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id').notNull(),
        connectionUid: text('connection_uid').notNull(),
        integrationKey: text('integration_key').notNull(),
        syncName: text('sync_name').notNull(),
        variant: text('variant').notNull().default('base'),
        /** The deployed sync's frequency. */
        frequencyMs: integer('frequency_ms').notNull(),
        /** This connection's own frequency (`PUT /sync/update-connection-frequency`), when set. */
        frequencyOverrideMs: integer('frequency_override_ms'),
        /** RUNNING (scheduled) or PAUSED. */
        status: text('status').notNull(),
        /** When the next run is due, as last reported by the connection's Durable Object, which fires it. */
        nextRunAt: integer('next_run_at'),
        /** Set while a run is under way. */
        runningSince: integer('running_since'),
        /** Start of the last successful run (`lastSyncDate`, and `modifiedAfter` of its webhooks). */
        lastSyncDate: integer('last_sync_date'),
        /** SUCCESS or ERROR, for the last finished run. */
        lastRunStatus: text('last_run_status'),
        lastRunAt: integer('last_run_at'),
        lastError: text('last_error', { mode: 'json' }).$type<{ type: string; message: string }>(),
        /** Per model: added, updated, deleted, unchanged and invalid records of the last finished run. */
        latestResult: text('latest_result', { mode: 'json' }).$type<Record<string, Record<string, number>>>(),
        /** Per model: the records stored and not deleted. */
        recordCounts: text('record_counts', { mode: 'json' })
            .$type<Record<string, number>>()
            .notNull()
            .default(sql`'{}'`),
        createdAt: createdAt(),
        updatedAt: updatedAt()
    },
    (t) => [uniqueIndex('sync_schedules_identity_idx').on(t.connectionUid, t.syncName, t.variant), index('sync_schedules_due_idx').on(t.status, t.nextRunAt)]
);

/** An action run: synchronous ones are recorded too, asynchronous ones are fetched by id. */
export const actionRuns = sqliteTable(
    'action_runs',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id').notNull(),
        connectionUid: text('connection_uid').notNull(),
        integrationKey: text('integration_key').notNull(),
        connectionId: text('connection_id').notNull(),
        actionName: text('action_name').notNull(),
        input: text('input', { mode: 'json' }).$type<unknown>(),
        /** pending | running | succeeded | failed */
        status: text('status').notNull(),
        output: text('output', { mode: 'json' }).$type<unknown>(),
        error: text('error', { mode: 'json' }).$type<Record<string, unknown>>(),
        attempts: integer('attempts').notNull().default(0),
        maxRetries: integer('max_retries').notNull().default(0),
        async: integer('async', { mode: 'boolean' }).notNull(),
        operationId: integer('operation_id'),
        createdAt: createdAt(),
        updatedAt: updatedAt()
    },
    (t) => [index('action_runs_environment_idx').on(t.environmentId, t.createdAt)]
);

/** Values functions read with `nango.getEnvironmentVariables()`; encrypted, as they are often secrets. */
export const environmentVariables = sqliteTable(
    'environment_variables',
    {
        environmentId: text('environment_id')
            .notNull()
            .references(() => environments.id, { onDelete: 'cascade' }),
        name: text('name').notNull(),
        valueEnc: text('value_enc').notNull(),
        updatedAt: updatedAt()
    },
    (t) => [uniqueIndex('environment_variables_identity_idx').on(t.environmentId, t.name)]
);

/**
 * A webhook a provider sent to an integration's `webhook_url`, verified and kept until the queue
 * has processed it, so that an answer to the provider never depends on the processing.
 */
export const incomingWebhooks = sqliteTable(
    'incoming_webhooks',
    {
        id: text('id').primaryKey(),
        environmentId: text('environment_id').notNull(),
        integrationId: text('integration_id')
            .notNull()
            .references(() => integrations.id, { onDelete: 'cascade' }),
        /** The provider's headers, without credentials, cookies and hop-by-hop headers. */
        headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
        body: text('body').notNull(),
        /** The `webhook` operation that logs this delivery. */
        operationId: integer('operation_id').notNull(),
        /** received | processed */
        status: text('status').notNull(),
        receivedAt: integer('received_at').notNull(),
        processedAt: integer('processed_at')
    },
    (t) => [index('incoming_webhooks_status_idx').on(t.status, t.receivedAt)]
);

/** The delivery keys an integration received within the deduplication window. */
export const webhookDeliveryKeys = sqliteTable(
    'webhook_delivery_keys',
    {
        integrationId: text('integration_id')
            .notNull()
            .references(() => integrations.id, { onDelete: 'cascade' }),
        /** The provider's delivery id, or the hash of the event's body. */
        key: text('key').notNull(),
        /** The delivery that brought the event first, and the event's place in it (batched payloads). */
        incomingId: text('incoming_id').notNull(),
        eventIndex: integer('event_index').notNull(),
        expiresAt: integer('expires_at').notNull()
    },
    (t) => [primaryKey({ columns: [t.integrationId, t.key] }), index('webhook_delivery_keys_incoming_idx').on(t.incomingId), index('webhook_delivery_keys_expiry_idx').on(t.expiresAt)]
);
