import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { deployedFunctions, deployments, integrations } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { ApiError, badRequest, type FieldError } from '../http/api-error.js';
import { missingBundles } from './bundle-store.js';
import type { FunctionManifest, FunctionType, SyncConfig } from './function-config.js';
import { modelConflicts } from './model-conflicts.js';
import { type DeployedSync, scheduleStatements } from './schedules.js';

export type DeploymentRow = typeof deployments.$inferSelect;
export type DeployedFunctionRow = typeof deployedFunctions.$inferSelect;

// D1 binds at most 100 parameters; a function row takes 7.
const ROWS_PER_INSERT = 12;

/**
 * Makes the given functions the environment's complete, active set, as a new version. Everything
 * (the version, its functions, the sync schedules they imply) is written in one D1 batch, so a
 * deployment applies fully or not at all.
 */
export async function createDeployment(db: Database, environmentId: string, input: { message?: string | undefined; functions: FunctionManifest[] }, validate = true) {
    if (validate) await validateManifest(db, environmentId, input.functions);
    const [latest] = await db.select({ version: deployments.version }).from(deployments).where(eq(deployments.environmentId, environmentId)).orderBy(desc(deployments.version)).limit(1);
    const version = (latest?.version ?? 0) + 1;
    const now = Date.now();
    const deploymentId = sql<number>`(SELECT id FROM deployments WHERE environment_id = ${environmentId} AND version = ${version})`;
    const rows = input.functions.map((f) => ({
        deploymentId,
        environmentId,
        integrationKey: f.integration,
        name: f.name,
        type: f.type,
        bundleHash: f.bundle_hash,
        config: f.config as Record<string, unknown>
    }));
    const inserts = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) inserts.push(db.insert(deployedFunctions).values(rows.slice(i, i + ROWS_PER_INSERT)));
    try {
        await db.batch([
            db.update(deployments).set({ active: false }).where(eq(deployments.environmentId, environmentId)),
            db.insert(deployments).values({ environmentId, version, message: input.message ?? null, active: true, createdAt: now }),
            ...inserts,
            ...(await scheduleStatements(db, environmentId, syncsOf(input.functions), now))
        ]);
    } catch (error) {
        if (String(error).includes('UNIQUE')) throw new ApiError(409, 'deployment_conflict', 'Another deployment happened at the same time; deploy again');
        throw error;
    }
    return version;
}

async function validateManifest(db: Database, environmentId: string, functions: FunctionManifest[]) {
    const errors: FieldError[] = [];
    const keys = [...new Set(functions.map((f) => f.integration))];
    const known = new Set<string>();
    for (let i = 0; i < keys.length; i += 90) {
        const found = await db
            .select({ key: integrations.uniqueKey })
            .from(integrations)
            .where(and(eq(integrations.environmentId, environmentId), inArray(integrations.uniqueKey, keys.slice(i, i + 90))));
        for (const f of found) known.add(f.key);
    }
    const missing = new Set(await missingBundles(db, functions.map((f) => f.bundle_hash)));
    const seen = new Set<string>();
    functions.forEach((f, i) => {
        if (!known.has(f.integration)) errors.push({ code: 'unknown_integration', message: `No integration "${f.integration}" in this environment`, path: ['functions', i, 'integration'] });
        if (missing.has(f.bundle_hash)) errors.push({ code: 'missing_bundle', message: 'This bundle was not uploaded', path: ['functions', i, 'bundle_hash'] });
        const id = `${f.integration}/${f.type}/${f.name}`;
        if (seen.has(id)) errors.push({ code: 'duplicate_function', message: `${id} appears twice`, path: ['functions', i, 'name'] });
        seen.add(id);
    });
    for (const conflict of modelConflicts(functions)) {
        errors.push({ code: 'duplicate_model', message: conflict.message, path: ['functions', conflict.index, 'config', 'models', conflict.model] });
    }
    if (errors.length) throw badRequest('invalid_body', errors.map((e) => e.message).join('; '), errors);
}

function syncsOf(functions: { integration?: string; integrationKey?: string; name: string; type: string; config: unknown }[]): DeployedSync[] {
    return functions
        .filter((f) => f.type === 'sync')
        .map((f) => ({ integrationKey: (f.integration ?? f.integrationKey)!, name: f.name, config: f.config as SyncConfig }));
}

export async function listDeployments(db: Database, environmentId: string, limit = 20, activeOnly = false) {
    const versions = await db
        .select()
        .from(deployments)
        .where(and(eq(deployments.environmentId, environmentId), activeOnly ? eq(deployments.active, true) : undefined))
        .orderBy(desc(deployments.version))
        .limit(limit);
    const functions = versions.length ? await db.select().from(deployedFunctions).where(inArray(deployedFunctions.deploymentId, versions.map((v) => v.id))) : [];
    return versions.map((v) => ({ deployment: v, functions: functions.filter((f) => f.deploymentId === v.id) }));
}

export async function getDeployment(db: Database, environmentId: string, version: number) {
    const [deployment] = await db.select().from(deployments).where(and(eq(deployments.environmentId, environmentId), eq(deployments.version, version))).limit(1);
    if (!deployment) throw new ApiError(404, 'not_found', `No deployment version ${version}`);
    return { deployment, functions: await db.select().from(deployedFunctions).where(eq(deployedFunctions.deploymentId, deployment.id)) };
}

/** Deploys the active set without one of its functions (a new version, so it can be rolled back). */
export async function removeFunction(db: Database, environmentId: string, removed: DeployedFunctionRow) {
    const functions = (await activeFunctions(db, environmentId))
        .filter((f) => f.id !== removed.id)
        .map((f) => ({ integration: f.integrationKey, name: f.name, type: f.type, bundle_hash: f.bundleHash, config: f.config }) as FunctionManifest);
    // What stays was checked when it was deployed (its integration may have been deleted since, which must not block this).
    return createDeployment(db, environmentId, { message: `Removed ${removed.type} ${removed.integrationKey}/${removed.name}`, functions }, false);
}

/** Re-activates a version (by default the one before the active one), schedules included. */
export async function rollback(db: Database, environmentId: string, version?: number) {
    const [active] = await db.select().from(deployments).where(and(eq(deployments.environmentId, environmentId), eq(deployments.active, true))).limit(1);
    const [target] = await db
        .select()
        .from(deployments)
        .where(
            and(
                eq(deployments.environmentId, environmentId),
                version !== undefined ? eq(deployments.version, version) : active ? lt(deployments.version, active.version) : undefined
            )
        )
        .orderBy(desc(deployments.version))
        .limit(1);
    if (!target) throw new ApiError(404, 'not_found', version !== undefined ? `No deployment version ${version}` : 'There is no earlier deployment to roll back to');
    const functions = await db.select().from(deployedFunctions).where(eq(deployedFunctions.deploymentId, target.id));
    await db.batch([
        db.update(deployments).set({ active: false }).where(eq(deployments.environmentId, environmentId)),
        db.update(deployments).set({ active: true }).where(eq(deployments.id, target.id)),
        ...(await scheduleStatements(db, environmentId, syncsOf(functions), Date.now()))
    ]);
    return target.version;
}

/** The active deployment's functions matching `where` (on deployed_functions). */
function activeFunctionsWhere(db: Database, environmentId: string, where: SQL | undefined) {
    return db
        .select({ f: deployedFunctions })
        .from(deployedFunctions)
        .innerJoin(deployments, eq(deployments.id, deployedFunctions.deploymentId))
        .where(and(eq(deployments.environmentId, environmentId), eq(deployments.active, true), where));
}

/** The active deployment's functions, optionally of one integration. */
export async function activeFunctions(db: Database, environmentId: string, integrationKey?: string): Promise<DeployedFunctionRow[]> {
    const rows = await activeFunctionsWhere(db, environmentId, integrationKey !== undefined ? eq(deployedFunctions.integrationKey, integrationKey) : undefined);
    return rows.map((r) => r.f);
}

export async function findActiveFunction(db: Database, environmentId: string, integrationKey: string, type: FunctionType, name: string): Promise<DeployedFunctionRow | null> {
    const [row] = await activeFunctionsWhere(db, environmentId, and(eq(deployedFunctions.integrationKey, integrationKey), eq(deployedFunctions.type, type), eq(deployedFunctions.name, name))).limit(1);
    return row?.f ?? null;
}

export function deployedSyncs(functions: DeployedFunctionRow[]): DeployedSync[] {
    return syncsOf(functions);
}
