import { asc, eq } from 'drizzle-orm';
import { environmentVariables } from '../../schema/tables.js';
import { keyringFor } from '../crypto/keyring.js';
import type { Database } from '../db.js';

export interface EnvironmentVariable {
    name: string;
    value: string;
}

const aad = (environmentId: string, name: string) => `environment:${environmentId}:variable:${name}`;

export async function listVariables(db: Database, env: Env, environmentId: string): Promise<EnvironmentVariable[]> {
    const rows = await db.select().from(environmentVariables).where(eq(environmentVariables.environmentId, environmentId)).orderBy(asc(environmentVariables.name));
    const keyring = await keyringFor(env);
    return Promise.all(rows.map(async (r) => ({ name: r.name, value: await keyring.decrypt(r.valueEnc, aad(environmentId, r.name)) })));
}

/** Replaces the environment's variables with these, in one batch. */
export async function replaceVariables(db: Database, env: Env, environmentId: string, variables: EnvironmentVariable[]): Promise<void> {
    const keyring = await keyringFor(env);
    const now = Date.now();
    const rows = await Promise.all(
        variables.map(async (v) => ({ environmentId, name: v.name, valueEnc: await keyring.encrypt(v.value, aad(environmentId, v.name)), updatedAt: now }))
    );
    await db.batch([db.delete(environmentVariables).where(eq(environmentVariables.environmentId, environmentId)), ...rows.map((r) => db.insert(environmentVariables).values(r))]);
}
