import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { connections, integrations } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { ApiError, badRequest } from '../http/api-error.js';
import type { ResolvedProvider } from '../catalog/provider-registry.js';
import { findIntegration, type IntegrationRow, resolveIntegrationProvider } from '../integrations/integrations.js';
import { NO_FAILURES, sweepDueAt } from '../../durable-objects/refresh-policy.js';
import { assignShard } from '../records/records-shards.js';
import { splitConnectionConfig } from './connection-config.js';
import { purgeConnectionsWhere, wipeConnectionStorage } from './connection-purge.js';
import type { ConnectionSecrets, Credentials, CredentialsResult } from './credentials.js';
import { type EndUserInput, endUserColumns } from './end-user.js';
import { type Tags, tagsWithEndUser } from './tags.js';

export type ConnectionRow = typeof connections.$inferSelect;

/** A connection with the integration it belongs to. */
export interface ConnectionRef {
    row: ConnectionRow;
    integration: IntegrationRow;
}

export const unknownConnection = (connectionId: string) =>
    new ApiError(404, 'unknown_connection', `No connection "${connectionId}" for this integration`);

// Another environment's integration is as unknown as one that never existed: always 404.
export async function requireIntegrationForConnection(db: Database, environmentId: string, integrationKey: string): Promise<IntegrationRow> {
    const integration = await findIntegration(db, environmentId, integrationKey);
    if (!integration) throw new ApiError(404, 'unknown_provider_config', `No integration with unique key "${integrationKey}"`);
    return integration;
}

export async function findConnection(db: Database, environmentId: string, integrationKey: string, connectionId: string): Promise<ConnectionRef | null> {
    const [found] = await db
        .select({ row: connections, integration: integrations })
        .from(connections)
        .innerJoin(integrations, eq(integrations.id, connections.integrationId))
        .where(and(eq(integrations.environmentId, environmentId), eq(integrations.uniqueKey, integrationKey), eq(connections.connectionId, connectionId)))
        .limit(1);
    return found ?? null;
}

export async function requireConnection(db: Database, environmentId: string, integrationKey: string, connectionId: string): Promise<ConnectionRef> {
    const found = await findConnection(db, environmentId, integrationKey, connectionId);
    if (found) return found;
    await requireIntegrationForConnection(db, environmentId, integrationKey); // says which of the two is unknown
    throw unknownConnection(connectionId);
}

/**
 * The Worker's typed view of a connection's Durable Object. Secrets cross the RPC boundary as
 * JSON text, which keeps the object's interface narrow and its types simple.
 */
export function connectionStorage(env: Env, row: Pick<ConnectionRow, 'uid'>) {
    const stub = env.CONNECTION.getByName(row.uid);
    return {
        saveSecrets: (secrets: ConnectionSecrets) => stub.saveSecrets(row.uid, JSON.stringify(secrets)),
        readSecrets: async (): Promise<ConnectionSecrets | null> => {
            const json = await stub.readSecrets(row.uid);
            return json === null ? null : (JSON.parse(json) as ConnectionSecrets);
        },
        reportRateLimit: (untilMs: number) => stub.reportRateLimit(untilMs)
    };
}

const DEFAULT_REFRESH_MARGIN_MS = 15 * 60_000;

/**
 * The connection's credentials, refreshed first by its Durable Object when they are within the
 * provider's refresh margin of expiry (or when `force` asks). Concurrent callers share one refresh.
 */
export async function freshSecrets(db: Database, env: Env, ref: ConnectionRef, options: { force?: boolean } = {}): Promise<ConnectionSecrets> {
    return (await credentialsForCall(db, env, ref, options)).secrets;
}

/**
 * Fresh secrets and the connection's rate limit, in one call to its Durable Object. Callers that
 * hold the integration's provider pass it: resolving a custom provider again costs a D1 read.
 */
export async function credentialsForCall(db: Database, env: Env, ref: ConnectionRef, options: { force?: boolean; provider?: ResolvedProvider } = {}) {
    const { provider } = options.provider ?? (await resolveIntegrationProvider(db, ref.integration));
    const marginSeconds = provider.oauth?.refresh_margin_seconds;
    const json = await env.CONNECTION.getByName(ref.row.uid).credentials(
        { uid: ref.row.uid, rowId: ref.row.id, environmentId: ref.row.environmentId, integrationId: ref.row.integrationId },
        { force: options.force === true, marginMs: marginSeconds === undefined ? DEFAULT_REFRESH_MARGIN_MS : marginSeconds * 1000 }
    );
    const result = JSON.parse(json) as CredentialsResult;
    if (!result.ok) throw new ApiError(result.error.status, result.error.code, result.error.message, { payload: { connection_id: ref.row.connectionId, provider_config_key: ref.integration.uniqueKey } });
    return { secrets: result.secrets, rateLimitedUntil: result.rateLimitedUntil };
}

export interface ImportInput {
    provider_config_key: string;
    connection_id?: string | undefined;
    credentials: Credentials;
    metadata?: Record<string, unknown> | undefined;
    connection_config?: Record<string, unknown> | undefined;
    end_user?: EndUserInput | undefined;
    tags?: Tags | undefined;
    webhook_url_override?: string | undefined;
}

export interface ImportOptions {
    /**
     * Writes committed in the same D1 batch as the index row of an existing connection whose
     * credentials were replaced (its `override` webhook), given the row as it will be.
     */
    alongsideReplacement?: (row: ConnectionRow) => BatchItem<'sqlite'>[];
}

/**
 * Creates a connection from existing credentials, or replaces the credentials of an existing one
 * (re-running an import is safe). The index row is written first and removed again if the
 * credentials cannot be stored, so a failure leaves nothing behind.
 */
export async function importConnection(db: Database, env: Env, environmentId: string, input: ImportInput, options: ImportOptions = {}) {
    const integration = await requireIntegrationForConnection(db, environmentId, input.provider_config_key);
    const { provider } = await resolveIntegrationProvider(db, integration);
    if (provider.auth_mode !== input.credentials.type) {
        throw badRequest('invalid_auth_mode', `Integration "${integration.uniqueKey}" uses ${provider.auth_mode}; got ${input.credentials.type} credentials`);
    }
    const { publicConfig, secretConfig } = splitConnectionConfig(provider, input.connection_config ?? {});
    const secrets: ConnectionSecrets = { credentials: input.credentials, secretConfig };
    const connectionId = input.connection_id ?? crypto.randomUUID();
    const now = Date.now();
    const fields = {
        ...(input.end_user && endUserColumns(input.end_user)),
        ...((input.tags || input.end_user) && { tags: tagsWithEndUser(input.end_user, input.tags) }),
        ...(input.metadata && { metadata: input.metadata }),
        ...(input.connection_config && { connectionConfig: publicConfig }),
        ...(input.webhook_url_override !== undefined && { webhookUrlOverride: input.webhook_url_override || null }),
        // New credentials: the ConnectionDO forgets earlier refresh failures, and so does the index.
        refreshDueAt: sweepDueAt(input.credentials, NO_FAILURES),
        authErrorLogId: null,
        updatedAt: now
    };

    const existing = await findConnection(db, environmentId, integration.uniqueKey, connectionId);
    if (existing) {
        const storage = connectionStorage(env, existing.row);
        // Without a new connection_config the old one stays, its secret fields included.
        if (!input.connection_config) secrets.secretConfig = (await storage.readSecrets())?.secretConfig ?? {};
        await storage.saveSecrets(secrets);
        const update = db.update(connections).set(fields).where(eq(connections.id, existing.row.id)).returning();
        const [[row]] = await db.batch([update, ...(options.alongsideReplacement?.({ ...existing.row, ...fields }) ?? [])]);
        return { ref: { row: row!, integration }, secrets, created: false };
    }

    const [row] = await db
        .insert(connections)
        .values({
            uid: crypto.randomUUID(),
            environmentId,
            integrationId: integration.id,
            connectionId,
            provider: integration.provider,
            authMode: provider.auth_mode,
            connectionConfig: publicConfig,
            recordsShard: assignShard(env),
            createdAt: now,
            ...fields
        })
        .onConflictDoNothing()
        .returning();
    if (!row) throw new ApiError(409, 'connection_already_exists', `Connection "${connectionId}" was created concurrently; retry the import`);
    try {
        await connectionStorage(env, row).saveSecrets(secrets);
    } catch (error) {
        await db.delete(connections).where(eq(connections.id, row.id));
        throw error;
    }
    return { ref: { row, integration }, secrets, created: true };
}

export interface ConnectionPatch {
    end_user?: EndUserInput | undefined;
    tags?: Tags | undefined;
    webhook_url_override?: string | undefined;
}

const END_USER_TAGS = ['end_user_id', 'end_user_email', 'end_user_display_name', 'organization_id', 'organization_display_name'];

export async function patchConnection(db: Database, row: ConnectionRow, patch: ConnectionPatch): Promise<void> {
    let tags: Tags | undefined;
    if (patch.tags) {
        tags = tagsWithEndUser(patch.end_user, patch.tags);
    } else if (patch.end_user) {
        // A new end user replaces the tags derived from the old one and keeps the rest.
        const kept = Object.fromEntries(Object.entries(row.tags).filter(([k]) => !END_USER_TAGS.includes(k)));
        tags = tagsWithEndUser(patch.end_user, kept);
    }
    await db
        .update(connections)
        .set({
            ...(patch.end_user && endUserColumns(patch.end_user)),
            ...(tags && { tags }),
            ...(patch.webhook_url_override !== undefined && { webhookUrlOverride: patch.webhook_url_override || null }),
            updatedAt: Date.now()
        })
        .where(eq(connections.id, row.id));
}

/** Removes the connection from the index and wipes its storage; the outbox retries a failed wipe. */
export async function deleteConnection(db: Database, env: Env, row: ConnectionRow): Promise<void> {
    await db.batch(purgeConnectionsWhere(db, eq(connections.id, row.id)));
    try {
        await wipeConnectionStorage(db, env, row.uid);
    } catch (error) {
        console.error(`connection ${row.uid}: storage wipe deferred to the purge sweep`, error);
    }
}

// A credential read must not cost a D1 write each time; minute precision is enough for this field.
const LAST_FETCHED_PRECISION_MS = 60_000;

/** Records a credential read; returns the write to wait on, or null when the stored time is recent enough. */
export function touchLastFetched(db: Database, row: ConnectionRow, at: number): Promise<unknown> | null {
    if (row.lastFetchedAt !== null && at - row.lastFetchedAt < LAST_FETCHED_PRECISION_MS) return null;
    return db.update(connections).set({ lastFetchedAt: at }).where(eq(connections.id, row.id));
}

export interface ListFilters {
    connectionId?: string | undefined;
    search?: string | undefined;
    endUserId?: string | undefined;
    endUserOrganizationId?: string | undefined;
    integrationKeys?: string[] | undefined;
    tags?: Tags | undefined;
    limit: number;
    /** Zero-based. */
    page: number;
}

export async function listConnections(db: Database, environmentId: string, f: ListFilters): Promise<{ row: ConnectionRow; integrationKey: string }[]> {
    const conditions: (SQL | undefined)[] = [
        eq(connections.environmentId, environmentId),
        f.connectionId !== undefined ? eq(connections.connectionId, f.connectionId) : undefined,
        f.endUserId !== undefined ? eq(connections.endUserId, f.endUserId) : undefined,
        f.endUserOrganizationId !== undefined ? eq(connections.organizationId, f.endUserOrganizationId) : undefined,
        f.integrationKeys?.length ? inArray(integrations.uniqueKey, f.integrationKeys) : undefined
    ];
    if (f.search) {
        const pattern = `%${f.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        const matches = (column: AnySQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
        conditions.push(or(matches(connections.connectionId), matches(connections.endUserId), matches(connections.endUserEmail), matches(connections.endUserDisplayName)));
    }
    for (const [key, value] of Object.entries(f.tags ?? {})) {
        conditions.push(sql`json_extract(${connections.tags}, ${`$."${key}"`}) = ${value}`);
    }
    const rows = await db
        .select({ row: connections, integrationKey: integrations.uniqueKey })
        .from(connections)
        .innerJoin(integrations, eq(integrations.id, connections.integrationId))
        .where(and(...conditions))
        .orderBy(desc(connections.createdAt), desc(connections.id))
        .limit(f.limit)
        .offset(f.page * f.limit);
    return rows;
}

// D1 binds at most 100 parameters per statement.
const ID_CHUNK = 90;
// A merge statement sets at most this many keys (two parameters each).
const KEY_CHUNK = 45;

/**
 * Replaces or shallow-merges the metadata of one or many connections of an integration. Every
 * connection must exist; the update is one D1 batch, so it applies to all of them or to none. A
 * merge is done by SQL on the row as it is then, so concurrent merges all keep their keys.
 */
export async function writeMetadata(
    db: Database,
    environmentId: string,
    integrationKey: string,
    connectionIds: string[],
    metadata: Record<string, unknown>,
    mode: 'replace' | 'merge'
): Promise<void> {
    const integration = await requireIntegrationForConnection(db, environmentId, integrationKey);
    const ids = [...new Set(connectionIds)];
    const rows: { id: number; connectionId: string }[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
        rows.push(
            ...(await db
                .select({ id: connections.id, connectionId: connections.connectionId })
                .from(connections)
                .where(and(eq(connections.integrationId, integration.id), inArray(connections.connectionId, ids.slice(i, i + ID_CHUNK)))))
        );
    }
    const found = new Set(rows.map((r) => r.connectionId));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) {
        throw new ApiError(404, 'unknown_connection', `Unknown connection${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 10).join(', ')}`, {
            payload: { missing }
        });
    }
    const now = Date.now();
    const values = mode === 'replace' ? [metadata] : mergeExpressions(metadata);
    const updates = rows.flatMap((r) => values.map((value) => db.update(connections).set({ metadata: value, updatedAt: now }).where(eq(connections.id, r.id))));
    await db.batch(updates as [(typeof updates)[number], ...typeof updates]);
}

/**
 * A shallow merge into the row's current metadata: `json_set` per key, the key quoted in the JSON
 * path as JSON quotes it (any key name works), at most KEY_CHUNK keys per statement. Undefined
 * values are left out, as JSON leaves them out.
 */
function mergeExpressions(patch: Record<string, unknown>): SQL[] {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    const expressions: SQL[] = [];
    for (let i = 0; i === 0 || i < entries.length; i += KEY_CHUNK) {
        const pairs = entries.slice(i, i + KEY_CHUNK).map(([name, value]) => sql`${`$.${JSON.stringify(name)}`}, json(${JSON.stringify(value)})`);
        expressions.push(pairs.length ? sql`json_set(${connections.metadata}, ${sql.join(pairs, sql`, `)})` : sql`${connections.metadata}`);
    }
    return expressions;
}
