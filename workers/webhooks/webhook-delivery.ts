import { eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { getWebhookSigningKey } from '../environments/environments.js';
import { recordOperation } from '../operations/operation-log.js';
import { webhookSignature } from './webhook-signature.js';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const TIMEOUT_MS = 20_000;
const MAX_DELAY_SECONDS = 3600;

/** What the consumer does with the queue message after an attempt. */
export type AttemptOutcome = { kind: 'done' } | { kind: 'retry'; delaySeconds: number } | { kind: 'exhausted' };

/** Without WEBHOOK_RETRY_BASE_SECONDS and WEBHOOK_MAX_ATTEMPTS (wrangler.jsonc sets the same): attempts span just over 24 hours. */
export const DEFAULT_RETRY_BASE_SECONDS = 30;
export const DEFAULT_MAX_ATTEMPTS = 31;

type RetryVars = Partial<Pick<Env, 'WEBHOOK_RETRY_BASE_SECONDS' | 'WEBHOOK_MAX_ATTEMPTS'>>;

/** The wait after the given number of failed attempts: the base, doubling, at most an hour. */
export function retryDelaySeconds(env: RetryVars, attempts: number): number {
    const base = Number(env.WEBHOOK_RETRY_BASE_SECONDS ?? DEFAULT_RETRY_BASE_SECONDS);
    return Math.min(base * 2 ** Math.max(attempts - 1, 0), MAX_DELAY_SECONDS);
}

export const maxAttempts = (env: RetryVars) => Number(env.WEBHOOK_MAX_ATTEMPTS ?? DEFAULT_MAX_ATTEMPTS);

// Retrying helps when the app is down or overloaded, not when it rejects the request.
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/** Makes one attempt to deliver a pending webhook and records its result on the delivery row. */
export async function attemptDelivery(db: Database, env: Env, deliveryId: string): Promise<AttemptOutcome> {
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).limit(1);
    if (!row || row.status !== 'pending') return { kind: 'done' }; // replayed, delivered by a duplicate message, or deleted
    const limit = maxAttempts(env);
    if (row.attempts >= limit) return { kind: 'exhausted' };

    const attempts = row.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
        const signingKey = await getWebhookSigningKey(db, env, row.environmentId);
        const res = await fetch(row.url, {
            method: 'POST',
            redirect: 'manual',
            signal: AbortSignal.timeout(TIMEOUT_MS),
            headers: {
                'content-type': 'application/json',
                'user-agent': 'Spoke-Webhooks/1.0',
                'x-nango-hmac-sha256': await webhookSignature(signingKey, row.body),
                // Lets the app drop duplicates: delivery is at least once.
                'x-spoke-delivery-id': row.id,
                'x-spoke-delivery-attempt': String(attempts)
            },
            body: row.body
        });
        status = res.status;
        await res.body?.cancel();
        if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
        error = e instanceof Error ? e.message : String(e);
    }

    const now = Date.now();
    const delivered = status !== null && status >= 200 && status < 300;
    const again = !delivered && (status === null || retryable(status));
    const delaySeconds = retryDelaySeconds(env, attempts);
    await db
        .update(webhookDeliveries)
        .set({
            attempts,
            lastHttpStatus: status,
            lastError: error,
            status: delivered ? 'delivered' : again ? 'pending' : 'failed',
            deliveredAt: delivered ? now : null,
            nextAttemptAt: again && attempts < limit ? now + delaySeconds * 1000 : null,
            updatedAt: now
        })
        .where(eq(webhookDeliveries.id, row.id));

    if (delivered || !again) {
        await logDelivery(db, row, delivered ? 'success' : 'failed', attempts, now, delivered ? undefined : { code: 'webhook_rejected', message: error ?? 'rejected' });
        return { kind: 'done' };
    }
    return attempts >= limit ? { kind: 'exhausted' } : { kind: 'retry', delaySeconds };
}

/** Marks a delivery whose retries are used up. Called by the dead-letter consumer. */
export async function markDead(db: Database, deliveryId: string): Promise<void> {
    const [row] = await db
        .update(webhookDeliveries)
        .set({ status: 'dead', nextAttemptAt: null, updatedAt: Date.now() })
        .where(eq(webhookDeliveries.id, deliveryId))
        .returning();
    if (row) await logDelivery(db, row, 'failed', row.attempts, Date.now(), { code: 'webhook_retries_exhausted', message: row.lastError ?? 'retries exhausted' });
}

function logDelivery(db: Database, row: DeliveryRow, status: 'success' | 'failed', attempts: number, endedAt: number, error?: { code: string; message: string }) {
    return recordOperation(db, {
        environmentId: row.environmentId,
        type: 'webhook',
        action: `deliver.${row.type}`,
        status,
        integrationKey: row.integrationKey ?? undefined,
        connectionId: row.connectionId ?? undefined,
        ...(error && { error }),
        meta: { delivery_id: row.id, url: new URL(row.url).origin, attempts, event: row.event },
        startedAt: row.createdAt,
        endedAt
    });
}
