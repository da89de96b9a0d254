import { and, eq, lt, lte, sql } from 'drizzle-orm';
import { startOperationStatement } from '../operations/operation-log.js';
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
    integrationId: string;
    headers: Record<string, string>;
    body: string;
    /** One key per event, in the delivery's order. */
    keys: string[];
    windowMs: number;
    /** The `webhook` operation that logs the delivery; it is written in the same transaction. */
    operation: Parameters<typeof startOperationStatement>[1];
}

// Five bound values per key row, under D1's 100 per statement.
const KEYS_PER_STATEMENT = 20;

/**
 * Logs the delivery, stores it and claims its events' keys in one transaction, so an event is
 * either processed from this delivery or was already claimed by an earlier one within the window.
 * Answers the operation's id and the indexes of the events this delivery brought first; with none,
 * the caller marks it processed.
 */
export async function storeReceipt(db: Database, r: Receipt): Promise<{ operationId: number; fresh: number[] }> {
    const now = r.operation.startedAt;
    const claims = [];
    for (let first = 0; first < r.keys.length; first += KEYS_PER_STATEMENT) {
        const rows = r.keys.slice(first, first + KEYS_PER_STATEMENT).map((key, i) => ({ integrationId: r.integrationId, key, incomingId: r.id, eventIndex: first + i, expiresAt: now + r.windowMs }));
        claims.push(
            db
                .insert(webhookDeliveryKeys)
                .values(rows)
                .onConflictDoUpdate({
                    target: [webhookDeliveryKeys.integrationId, webhookDeliveryKeys.key],
                    set: { incomingId: sql`excluded.incoming_id`, eventIndex: sql`excluded.event_index`, expiresAt: sql`excluded.expires_at` },
                    // A key still within its window stays with the delivery that claimed it.
                    setWhere: lte(webhookDeliveryKeys.expiresAt, now)
                })
                .returning({ eventIndex: webhookDeliveryKeys.eventIndex })
        );
    }
    const stored = db.insert(incomingWebhooks).values({
        id: r.id,
        environmentId: r.operation.environmentId,
        integrationId: r.integrationId,
        headers: r.headers,
        body: r.body,
        // The operation inserted just before, in this transaction.
        operationId: sql`last_insert_rowid()`,
        status: 'received',
        receivedAt: now
    });
    const [[operation], , ...claimed] = await db.batch([startOperationStatement(db, r.operation), stored, ...claims]);
    return { operationId: operation!.id, fresh: claimed.flat().map((row) => row.eventIndex).sort((a, b) => a - b) };
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
