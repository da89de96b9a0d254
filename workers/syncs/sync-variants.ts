import { and, count, eq } from 'drizzle-orm';
import { syncSchedules } from '../../schema/tables.js';
import type { ConnectionRef } from '../connections/connections.js';
import type { Database } from '../db.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { emptyRecords } from '../records/record-writes.js';
import { recordsDb } from '../records/records-shards.js';
import { findActiveFunction } from '../functions/deployments.js';
import type { SyncConfig } from '../functions/function-config.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { applySchedules } from './apply-schedules.js';

const MAX_VARIANTS = 100;
export const VARIANT_NAME = /^[A-Za-z0-9_-]{1,255}$/;

async function deployedSync(db: Database, ref: ConnectionRef, name: string) {
    const fn = await findActiveFunction(db, ref.row.environmentId, ref.integration.uniqueKey, 'sync', name);
    if (!fn) throw new ApiError(404, 'not_found', `No sync "${name}" is deployed for integration ${ref.integration.uniqueKey}`);
    return fn;
}

/**
 * `POST /sync/:name/variant/:variant`: another schedule of the sync on this connection, with its
 * own records, checkpoint and metadata-driven behaviour. It runs like the base variant does.
 */
export async function createVariant(db: Database, env: Env, ref: ConnectionRef, name: string, variant: string): Promise<string> {
    if (variant === 'base') throw badRequest('invalid_variant', '"base" is the sync itself, not a variant');
    await deployedSync(db, ref, name);
    const where = and(eq(syncSchedules.connectionUid, ref.row.uid), eq(syncSchedules.syncName, name));
    const [base] = await db.select().from(syncSchedules).where(and(where, eq(syncSchedules.variant, 'base'))).limit(1);
    if (!base) throw new ApiError(404, 'not_found', `The sync "${name}" has no schedule on this connection`);
    const [{ n }] = (await db.select({ n: count() }).from(syncSchedules).where(where)) as [{ n: number }];
    if (n > MAX_VARIANTS) throw badRequest('too_many_variants', `A sync has at most ${MAX_VARIANTS} variants per connection`);
    const id = crypto.randomUUID();
    const now = Date.now();
    const inserted = await db
        .insert(syncSchedules)
        .values({
            id,
            environmentId: base.environmentId,
            connectionUid: base.connectionUid,
            integrationKey: base.integrationKey,
            syncName: name,
            variant,
            frequencyMs: base.frequencyMs,
            frequencyOverrideMs: base.frequencyOverrideMs,
            status: base.status,
            nextRunAt: base.status === 'RUNNING' ? now : null,
            createdAt: now,
            updatedAt: now
        })
        .onConflictDoNothing()
        .returning({ id: syncSchedules.id });
    if (!inserted.length) throw new ApiError(409, 'variant_already_exists', `The variant "${variant}" of ${name} already exists on this connection`);
    await applySchedules(db, env, ref.row.environmentId, [ref.row.uid]);
    return id;
}

/**
 * `DELETE /sync/:name/variant/:variant`: its records, schedule and checkpoint go. The records go
 * first, so a failure leaves the variant in place for a retry rather than records without one.
 */
export async function deleteVariant(db: Database, env: Env, ref: ConnectionRef, name: string, variant: string): Promise<void> {
    if (variant === 'base') throw badRequest('invalid_variant', 'The base variant is removed by undeploying the sync');
    const fn = await deployedSync(db, ref, name);
    const where = and(eq(syncSchedules.connectionUid, ref.row.uid), eq(syncSchedules.syncName, name), eq(syncSchedules.variant, variant));
    const [exists] = await db.select({ id: syncSchedules.id }).from(syncSchedules).where(where).limit(1);
    if (!exists) throw new ApiError(404, 'not_found', `No variant "${variant}" of ${name} on this connection`);
    const records = recordsDb(env, ref.row.recordsShard);
    for (const model of Object.keys((fn.config as SyncConfig).models)) await emptyRecords({ db: records, connectionUid: ref.row.uid, model, variant });
    await db.delete(syncSchedules).where(where);
    // The row is gone: if the Durable Object can't be told now, the queue tells it.
    await applySchedules(db, env, ref.row.environmentId, [ref.row.uid]).catch(() => env.JOBS.send({ type: 'apply_schedules', environmentId: ref.row.environmentId, uids: [ref.row.uid] } satisfies JobMessage));
}
