import { and, eq, exists, not, or, sql } from 'drizzle-orm';
import { connections, deployedFunctions, deployments, integrations, syncSchedules } from '../../schema/tables.js';
import { findProvider, type ResolvedProvider } from '../catalog/provider-registry.js';
import { purgeConnectionsWhere } from '../connections/connection-purge.js';
import { keyringFor } from '../crypto/keyring.js';
import type { Database } from '../db.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { acceptsIntegrationCredentials, type IntegrationCredentials, needsOwnApp } from './integration-credentials.js';

export type IntegrationRow = typeof integrations.$inferSelect;

export interface IntegrationInput {
    unique_key?: string;
    display_name?: string;
    forward_webhooks?: boolean;
    integration_config?: Record<string, string>;
    custom?: Record<string, string>;
    credentials?: IntegrationCredentials;
}

const credentialsAad = (id: string) => `integration:${id}:credentials`;
const customAad = (id: string) => `integration:${id}:custom`;

export async function findIntegration(db: Database, environmentId: string, uniqueKey: string): Promise<IntegrationRow | null> {
    const [row] = await db
        .select()
        .from(integrations)
        .where(and(eq(integrations.environmentId, environmentId), eq(integrations.uniqueKey, uniqueKey)))
        .limit(1);
    return row ?? null;
}

export async function requireIntegration(db: Database, environmentId: string, uniqueKey: string): Promise<IntegrationRow> {
    const row = await findIntegration(db, environmentId, uniqueKey);
    if (!row) throw new ApiError(404, 'not_found', `No integration with unique key "${uniqueKey}"`);
    return row;
}

export async function listIntegrations(db: Database, environmentId: string): Promise<IntegrationRow[]> {
    return db.select().from(integrations).where(eq(integrations.environmentId, environmentId)).orderBy(integrations.createdAt);
}

export async function resolveIntegrationProvider(db: Database, row: IntegrationRow): Promise<ResolvedProvider> {
    const provider = await findProvider(db, row.environmentId, row.provider);
    // Custom providers in use cannot be deleted, so this only happens if the catalog dropped an entry.
    if (!provider) throw new ApiError(500, 'unknown_provider', `Provider "${row.provider}" of integration "${row.uniqueKey}" no longer exists`);
    return provider;
}

/**
 * Creates an integration. A quickstart integration is one that works without the developer's own
 * app; Spoke has no shared OAuth apps to lend, so only providers that need none qualify.
 */
export async function createIntegration(
    db: Database,
    env: Env,
    environmentId: string,
    input: IntegrationInput & { provider: string; unique_key: string },
    options: { quickstart?: boolean } = {}
): Promise<{ row: IntegrationRow; provider: ResolvedProvider }> {
    const provider = await findProvider(db, environmentId, input.provider);
    if (!provider) throw badRequest('invalid_body', `Unknown provider "${input.provider}"`, [{ code: 'unknown_provider', message: 'Unknown provider', path: ['provider'] }]);
    if (options.quickstart && needsOwnApp(provider.provider.auth_mode)) {
        throw badRequest(
            'quickstart_unavailable',
            `Provider "${input.provider}" uses ${provider.provider.auth_mode} and needs your own app: create the integration with POST /integrations and its credentials`
        );
    }
    await assertKeyAvailable(db, environmentId, input.unique_key);
    checkCredentials(provider, input.credentials);
    const id = crypto.randomUUID();
    const now = Date.now();
    const [row] = await db
        .insert(integrations)
        .values({
            id,
            environmentId,
            uniqueKey: input.unique_key,
            provider: input.provider,
            displayName: input.display_name ?? null,
            forwardWebhooks: input.forward_webhooks ?? true,
            integrationConfig: input.integration_config ?? null,
            ...(await sealSecrets(env, id, input)),
            createdAt: now,
            updatedAt: now
        })
        .returning();
    return { row: row!, provider };
}

export async function updateIntegration(db: Database, env: Env, row: IntegrationRow, input: IntegrationInput): Promise<IntegrationRow> {
    const renaming = input.unique_key !== undefined && input.unique_key !== row.uniqueKey;
    if (renaming) await assertKeyAvailable(db, row.environmentId, input.unique_key!);
    if (input.credentials) checkCredentials(await resolveIntegrationProvider(db, row), input.credentials);
    const [updated] = await db
        .update(integrations)
        .set({
            ...(input.unique_key !== undefined && { uniqueKey: input.unique_key }),
            ...(input.display_name !== undefined && { displayName: input.display_name }),
            ...(input.forward_webhooks !== undefined && { forwardWebhooks: input.forward_webhooks }),
            ...(input.integration_config !== undefined && { integrationConfig: input.integration_config }),
            ...(await sealSecrets(env, row.id, { credentials: input.credentials ?? (await staleCredentials(env, row)), custom: input.custom ?? (await staleCustom(env, row)) })),
            updatedAt: Date.now()
        })
        // Checked in the update itself, so a deployment cannot slip in between.
        .where(and(eq(integrations.id, row.id), renaming ? not(keyInUse(db, row)) : undefined))
        .returning();
    if (!updated && renaming) {
        throw new ApiError(409, 'integration_in_use', `Integration "${row.uniqueKey}" has deployed functions or sync schedules, which refer to it by its unique key; remove them before renaming it`);
    }
    return updated!;
}

/** Deployed functions and sync schedules name their integration by its unique key: a rename would orphan them. */
function keyInUse(db: Database, row: IntegrationRow) {
    const one = { one: sql`1` };
    return or(
        exists(
            db
                .select(one)
                .from(deployedFunctions)
                .innerJoin(deployments, eq(deployments.id, deployedFunctions.deploymentId))
                .where(and(eq(deployedFunctions.environmentId, row.environmentId), eq(deployedFunctions.integrationKey, row.uniqueKey), eq(deployments.active, true)))
        ),
        exists(
            db
                .select(one)
                .from(syncSchedules)
                .innerJoin(connections, eq(connections.uid, syncSchedules.connectionUid))
                .where(and(eq(connections.environmentId, row.environmentId), eq(connections.integrationId, row.id)))
        )
    )!;
}

/** Deletes the integration and its connections; their storage is queued for purging. */
export async function deleteIntegration(db: Database, row: IntegrationRow): Promise<void> {
    await db.batch([...purgeConnectionsWhere(db, eq(connections.integrationId, row.id)), db.delete(integrations).where(eq(integrations.id, row.id))]);
}

export async function openCredentials(env: Env, row: IntegrationRow): Promise<IntegrationCredentials | null> {
    if (!row.credentialsEnc) return null;
    return (await keyringFor(env)).decryptJson<IntegrationCredentials>(row.credentialsEnc, credentialsAad(row.id));
}

// Writing a row moves its secrets to the current encryption key, so key rotation needs no downtime.
async function staleCredentials(env: Env, row: IntegrationRow): Promise<IntegrationCredentials | undefined> {
    const keyring = await keyringFor(env);
    return row.credentialsEnc && keyring.isStale(row.credentialsEnc) ? ((await openCredentials(env, row)) ?? undefined) : undefined;
}

async function staleCustom(env: Env, row: IntegrationRow): Promise<Record<string, string> | undefined> {
    const keyring = await keyringFor(env);
    return row.customEnc && keyring.isStale(row.customEnc) ? ((await openCustom(env, row)) ?? undefined) : undefined;
}

export async function openCustom(env: Env, row: IntegrationRow): Promise<Record<string, string> | null> {
    if (!row.customEnc) return null;
    return (await keyringFor(env)).decryptJson<Record<string, string>>(row.customEnc, customAad(row.id));
}

async function assertKeyAvailable(db: Database, environmentId: string, uniqueKey: string) {
    if (await findIntegration(db, environmentId, uniqueKey)) {
        throw new ApiError(409, 'integration_already_exists', `An integration with unique key "${uniqueKey}" already exists`);
    }
}

function checkCredentials(provider: ResolvedProvider, credentials: IntegrationCredentials | undefined) {
    if (credentials && !acceptsIntegrationCredentials(provider.provider.auth_mode, credentials.type)) {
        throw badRequest('invalid_body', `Provider "${provider.name}" uses ${provider.provider.auth_mode}; ${credentials.type} credentials do not apply`, [
            { code: 'invalid_credentials_type', message: `Expected no credentials or type ${provider.provider.auth_mode}`, path: ['credentials', 'type'] }
        ]);
    }
}

async function sealSecrets(env: Env, id: string, input: IntegrationInput) {
    const keyring = await keyringFor(env);
    return {
        ...(input.credentials && {
            credentialsType: input.credentials.type,
            credentialsEnc: await keyring.encryptJson(input.credentials, credentialsAad(id))
        }),
        ...(input.custom && { customEnc: await keyring.encryptJson(input.custom, customAad(id)) })
    };
}
