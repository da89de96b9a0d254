import { and, eq, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import { webhookDeliveries } from '../../schema/tables.js';
import type { Database } from '../db.js';
import { stableStringify } from './stable-json.js';
import { getWebhookSettings, type WebhookFlag, type WebhookSettings } from './webhook-settings.js';

export interface WebhookEvent {
    type: 'auth' | 'sync' | 'async_action' | 'forward';
    /** Sub-kind, e.g. `creation`, for filtering the delivery log. */
    event?: string;
    integrationKey?: string;
    connectionId?: string;
    payload: Record<string, unknown>;
    /** The environment setting that must be on for this event to go out; none = always sent. */
    flag?: WebhookFlag;
    /** A connection's own URL replaces both environment URLs. */
    urlOverride?: string | null;
}

export interface WebhookMessage {
    deliveryId: string;
}

/**
 * Queues an event for every target URL. The delivery rows are written first: if sending to the
 * queue fails, the cron sweep finds them pending and queues them again, so the event is not lost.
 * Returns the ids of the deliveries.
 */
export async function emitWebhook(db: Database, env: Env, environmentId: string, event: WebhookEvent): Promise<string[]> {
    return emitWebhooks(db, env, environmentId, [event]);
}

/** `emitWebhook` for several events: the settings are read once, the rows written in one batch. */
export async function emitWebhooks(db: Database, env: Env, environmentId: string, events: WebhookEvent[]): Promise<string[]> {
    const ids = await writeDeliveries(db, await getWebhookSettings(db, environmentId), environmentId, events);
    await queueDeliveries(env, ids);
    return ids;
}

/**
 * Writes the events' deliveries in one batch and returns their ids, for a caller that queues them
 * later (`queueDeliveries`, e.g. after answering): once written, the sweep queues them if it doesn't.
 */
export async function writeDeliveries(db: Database, settings: WebhookSettings, environmentId: string, events: WebhookEvent[]): Promise<string[]> {
    const { statements, ids } = deliveryInserts(db, settings, environmentId, events);
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
    return ids;
}

// Twelve bound values per delivery row, under D1's 100 per statement.
const ROWS_PER_INSERT = 8;

/**
 * The inserts that write the events' deliveries, for a caller's own `db.batch` (it then queues the
 * ids with `queueDeliveries`; a queue failure is left to the sweep). Events the settings turn off,
 * or that have no URL, have none.
 */
export function deliveryInserts(db: Database, settings: WebhookSettings, environmentId: string, events: WebhookEvent[]) {
    const now = Date.now();
    const rows = events.flatMap((event) => {
        if (event.flag && !settings[event.flag]) return [];
        const urls = event.urlOverride ? [event.urlOverride] : [...new Set([settings.primary_url, settings.secondary_url].filter((u): u is string => !!u))];
        const body = stableStringify(event.payload);
        return urls.map((url) => ({
            id: crypto.randomUUID(),
            environmentId,
            type: event.type,
            event: event.event ?? null,
            integrationKey: event.integrationKey ?? null,
            connectionId: event.connectionId ?? null,
            url,
            body,
            status: 'pending',
            nextAttemptAt: now,
            createdAt: now,
            updatedAt: now
        }));
    });
    const statements = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) statements.push(db.insert(webhookDeliveries).values(rows.slice(i, i + ROWS_PER_INSERT)));
    return { statements, ids: rows.map((r) => r.id) };
}

export async function queueDeliveries(env: Env, ids: string[], delaySeconds = 0): Promise<void> {
    for (let i = 0; i < ids.length; i += 100) {
        await env.WEBHOOKS.sendBatch(ids.slice(i, i + 100).map((deliveryId) => ({ body: { deliveryId } satisfies WebhookMessage, delaySeconds })));
    }
}

/**
 * Safety net for the outbox: pending deliveries whose next attempt is long overdue (their queue
 * message was never sent, or was lost) are queued again.
 */
export async function requeueStrandedDeliveries(db: Database, env: Env, overdueMs: number): Promise<number> {
    const cutoff = Date.now() - overdueMs;
    const stranded = await db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, 'pending'), or(isNull(webhookDeliveries.nextAttemptAt), lt(webhookDeliveries.nextAttemptAt, cutoff)), lt(webhookDeliveries.updatedAt, cutoff)))
        .limit(500);
    if (!stranded.length) return 0;
    const ids = stranded.map((s) => s.id);
    // Touch them so the next sweep leaves them to the queue; chunks stay under D1's 100 parameters.
    const now = Date.now();
    for (let i = 0; i < ids.length; i += 90) {
        await db.update(webhookDeliveries).set({ updatedAt: now }).where(inArray(webhookDeliveries.id, ids.slice(i, i + 90)));
    }
    await queueDeliveries(env, ids);
    return stranded.length;
}

/** Retention: finished deliveries leave the log with the operations of the same age; pending ones stay. */
export async function pruneDeliveries(db: Database, createdBefore: number): Promise<number> {
    const result = await db.delete(webhookDeliveries).where(and(lt(webhookDeliveries.createdAt, createdBefore), ne(webhookDeliveries.status, 'pending')));
    return result.meta.changes ?? 0;
}
