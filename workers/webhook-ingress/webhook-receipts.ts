import { and, eq, lt } from 'drizzle-orm';
import { incomingWebhooks, webhookDeliveryKeys } from '../../schema/tables.js';
import type { Database } from '../db.js';

/** Repeated deliveries are dropped for this long unless WEBHOOK_DEDUPE_WINDOW_SECONDS says otherwise; Stripe retries for up to 3 days. */
const DEFAULT_WINDOW_SECONDS = 3 * 24 * 3600;

export function dedupeWindowMs(env: { WEBHOOK_DEDUPE_WINDOW_SECONDS?: string }): number {
    const seconds = Number(env.WEBHOOK_DEDUPE_WINDOW_SECONDS);
    return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_WINDOW_SECONDS) * 1000;
}

export interface Receipt {
    id: string;
    environmentId: string;
    integrationId: string;
    headers: Record<string, string>;
    body: string;
    operationId: number;
    /** One key per event, in the delivery's order. */
    keys: string[];
    now: number;
    windowMs: number;
}

// Five bound values per key row, under D1's 100 per statement.
const KEYS_PER_STATEMENT = 20;

/**
 * Stores the delivery and claims its events' keys in one transaction, so an event is either
 * processed from this delivery or was already claimed by an earlier one within the window.
 * Answers the indexes of the events this delivery brought first; with none, the caller marks it
 * processed.
 */
export async function storeReceipt(d1: D1Database, r: Receipt): Promise<number[]> {
    const claims: D1PreparedStatement[] = [];
    for (let first = 0; first < r.keys.length; first += KEYS_PER_STATEMENT) {
        const chunk = r.keys.slice(first, first + KEYS_PER_STATEMENT);
        claims.push(
            d1
                .prepare(
                    `INSERT INTO webhook_delivery_keys (integration_id, key, incoming_id, event_index, expires_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
                     ON CONFLICT (integration_id, key) DO UPDATE SET incoming_id = excluded.incoming_id, event_index = excluded.event_index, expires_at = excluded.expires_at
                     WHERE webhook_delivery_keys.expires_at <= ${r.now}
                     RETURNING event_index`
                )
                .bind(...chunk.flatMap((key, i) => [r.integrationId, key, r.id, first + i, r.now + r.windowMs]))
        );
    }
    const stored = d1
        .prepare('INSERT INTO incoming_webhooks (id, environment_id, integration_id, headers, body, operation_id, status, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(r.id, r.environmentId, r.integrationId, JSON.stringify(r.headers), r.body, r.operationId, 'received', r.now);
    const results = await d1.batch([stored, ...claims]);
    const fresh = results.slice(1).flatMap((res) => (res.results as { event_index: number }[]).map((row) => row.event_index));
    return fresh.sort((a, b) => a - b);
}

export async function markProcessed(db: Database, id: string, now = Date.now()): Promise<void> {
    await db.update(incomingWebhooks).set({ status: 'processed', processedAt: now }).where(eq(incomingWebhooks.id, id));
}

/** The events of a delivery that it brought first (the others were duplicates). */
export async function freshEventIndexes(db: Database, incomingId: string, integrationId: string): Promise<number[]> {
    const rows = await db
        .select({ eventIndex: webhookDeliveryKeys.eventIndex })
        .from(webhookDeliveryKeys)
        .where(and(eq(webhookDeliveryKeys.integrationId, integrationId), eq(webhookDeliveryKeys.incomingId, incomingId)));
    return rows.map((r) => r.eventIndex).sort((a, b) => a - b);
}

/** Deliveries that were stored but never reached the queue (it refused the message): for the cron sweep. */
export async function strandedReceipts(db: Database, olderThanMs: number, limit = 100): Promise<{ id: string; environmentId: string }[]> {
    return db
        .select({ id: incomingWebhooks.id, environmentId: incomingWebhooks.environmentId })
        .from(incomingWebhooks)
        .where(and(eq(incomingWebhooks.status, 'received'), lt(incomingWebhooks.receivedAt, Date.now() - olderThanMs)))
        .limit(limit);
}

/** Drops expired delivery keys, and processed deliveries past the window. */
export async function pruneReceipts(db: Database, now: number, windowMs: number): Promise<void> {
    await db.batch([
        db.delete(webhookDeliveryKeys).where(lt(webhookDeliveryKeys.expiresAt, now)),
        db.delete(incomingWebhooks).where(and(eq(incomingWebhooks.status, 'processed'), lt(incomingWebhooks.receivedAt, now - windowMs)))
    ]);
}
