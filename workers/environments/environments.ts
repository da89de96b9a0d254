import { and, eq } from 'drizzle-orm';
import { apiKeys, connectSessions, connections, customProviders, environments, integrations, oauthSessions, operations, webhookDeliveries } from '../../schema/tables.js';
import { purgeConnectionsWhere } from '../connections/connection-purge.js';
import { sha256Hex } from '../crypto/hashing.js';
import { keyringFor } from '../crypto/keyring.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';

export interface EnvironmentRecord {
    id: string;
    name: string;
    createdAt: number;
    updatedAt: number;
}

export interface SecretKeyRecord {
    id: string;
    label: string | null;
    prefix: string;
    createdAt: number;
}

// Secret keys and signing keys are UUIDs, as in Nango, so existing keys can be imported unchanged.
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const signingKeyAad = (environmentId: string) => `environment:${environmentId}:webhook_signing_key`;

export const environmentColumns = {
    id: environments.id,
    name: environments.name,
    createdAt: environments.createdAt,
    updatedAt: environments.updatedAt
};

export async function findEnvironmentBySecretKey(db: Database, secretKey: string): Promise<EnvironmentRecord | null> {
    const [row] = await db
        .select(environmentColumns)
        .from(apiKeys)
        .innerJoin(environments, eq(environments.id, apiKeys.environmentId))
        .where(eq(apiKeys.keyHash, await sha256Hex(secretKey.toLowerCase())))
        .limit(1);
    return row ?? null;
}

export async function findEnvironmentById(db: Database, id: string): Promise<EnvironmentRecord | null> {
    const [row] = await db.select(environmentColumns).from(environments).where(eq(environments.id, id)).limit(1);
    return row ?? null;
}

export async function findEnvironmentByName(db: Database, name: string): Promise<EnvironmentRecord | null> {
    const [row] = await db.select(environmentColumns).from(environments).where(eq(environments.name, name)).limit(1);
    return row ?? null;
}

export async function requireEnvironment(db: Database, name: string): Promise<EnvironmentRecord> {
    const environment = await findEnvironmentByName(db, name);
    if (!environment) throw new ApiError(404, 'unknown_environment', `No environment named "${name}"`);
    return environment;
}

export async function listEnvironments(db: Database): Promise<EnvironmentRecord[]> {
    return db.select(environmentColumns).from(environments).orderBy(environments.createdAt);
}

/** Creates an environment with a first secret key and a webhook signing key. */
export async function createEnvironment(db: Database, env: Env, name: string, secretKey?: string) {
    if (await findEnvironmentByName(db, name)) {
        throw new ApiError(409, 'environment_already_exists', `An environment named "${name}" already exists`);
    }
    const now = Date.now();
    const id = crypto.randomUUID();
    const webhookSigningKey = crypto.randomUUID();
    const keyring = await keyringFor(env);
    const key = await prepareSecretKey(db, id, secretKey ?? crypto.randomUUID(), null, now);
    await db.batch([
        db.insert(environments).values({
            id,
            name,
            webhookSigningKeyEnc: await keyring.encrypt(webhookSigningKey, signingKeyAad(id)),
            createdAt: now,
            updatedAt: now
        }),
        db.insert(apiKeys).values(key.row)
    ]);
    return {
        environment: { id, name, createdAt: now, updatedAt: now } satisfies EnvironmentRecord,
        secretKey: key.secretKey,
        webhookSigningKey
    };
}

/**
 * Adds a secret key. An operator may bring an existing key (for example one a team used with
 * Nango); adding a key the environment already has is a no-op that returns it.
 */
export async function addSecretKey(db: Database, environmentId: string, secretKey: string | undefined, label: string | null) {
    const key = await prepareSecretKey(db, environmentId, secretKey ?? crypto.randomUUID(), label, Date.now());
    if (key.existing) return { record: key.existing, secretKey: key.secretKey, created: false };
    await db.insert(apiKeys).values(key.row);
    return { record: toKeyRecord(key.row), secretKey: key.secretKey, created: true };
}

async function prepareSecretKey(db: Database, environmentId: string, rawKey: string, label: string | null, now: number) {
    const secretKey = rawKey.toLowerCase();
    if (!UUID.test(secretKey)) throw new ApiError(400, 'invalid_secret_key_format', 'A secret key must be a UUID');
    const keyHash = await sha256Hex(secretKey);
    const [clash] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
    if (clash && clash.environmentId !== environmentId) {
        throw new ApiError(409, 'secret_key_in_use', 'This secret key already belongs to another environment');
    }
    const row = { id: crypto.randomUUID(), environmentId, keyHash, keyPrefix: secretKey.slice(0, 8), label, createdAt: now };
    return { secretKey, row, existing: clash ? toKeyRecord(clash) : null };
}

function toKeyRecord(row: { id: string; label: string | null; keyPrefix: string; createdAt: number }): SecretKeyRecord {
    return { id: row.id, label: row.label, prefix: row.keyPrefix, createdAt: row.createdAt };
}

export async function listSecretKeys(db: Database, environmentId: string): Promise<SecretKeyRecord[]> {
    const rows = await db.select().from(apiKeys).where(eq(apiKeys.environmentId, environmentId)).orderBy(apiKeys.createdAt);
    return rows.map(toKeyRecord);
}

export async function revokeSecretKey(db: Database, environmentId: string, keyId: string): Promise<void> {
    const result = await db.delete(apiKeys).where(and(eq(apiKeys.environmentId, environmentId), eq(apiKeys.id, keyId)));
    if (!result.meta.changes) throw new ApiError(404, 'not_found', 'No such secret key in this environment');
}

export async function getWebhookSigningKey(db: Database, env: Env, environmentId: string): Promise<string> {
    const [row] = await db
        .select({ enc: environments.webhookSigningKeyEnc })
        .from(environments)
        .where(eq(environments.id, environmentId))
        .limit(1);
    if (!row) throw new ApiError(404, 'unknown_environment', 'No such environment');
    return (await keyringFor(env)).decrypt(row.enc, signingKeyAad(environmentId));
}

export async function rotateWebhookSigningKey(db: Database, env: Env, environmentId: string): Promise<string> {
    const webhookSigningKey = crypto.randomUUID();
    const keyring = await keyringFor(env);
    await db
        .update(environments)
        .set({ webhookSigningKeyEnc: await keyring.encrypt(webhookSigningKey, signingKeyAad(environmentId)), updatedAt: Date.now() })
        .where(eq(environments.id, environmentId));
    return webhookSigningKey;
}

/**
 * Deletes an environment and everything in it, in one D1 batch. Connection storage is queued in
 * the purge outbox; the caller starts draining it.
 */
export async function deleteEnvironment(db: Database, environmentId: string): Promise<void> {
    await db.batch([
        ...purgeConnectionsWhere(db, eq(connections.environmentId, environmentId)),
        db.delete(integrations).where(eq(integrations.environmentId, environmentId)),
        db.delete(customProviders).where(eq(customProviders.environmentId, environmentId)),
        db.delete(apiKeys).where(eq(apiKeys.environmentId, environmentId)),
        db.delete(operations).where(eq(operations.environmentId, environmentId)),
        db.delete(connectSessions).where(eq(connectSessions.environmentId, environmentId)),
        db.delete(oauthSessions).where(eq(oauthSessions.environmentId, environmentId)),
        db.delete(webhookDeliveries).where(eq(webhookDeliveries.environmentId, environmentId)),
        db.delete(environments).where(eq(environments.id, environmentId))
    ]);
}
