import { eq } from 'drizzle-orm';
import type { ConnectionRow } from '../connections/connections.js';
import type { RunContext } from '../../functions-runtime/executor.js';
import { incomingWebhooks, integrations } from '../../schema/tables.js';
import { database } from '../db.js';
import { findEnvironmentById } from '../environments/environments.js';
import { activeFunctions, type DeployedFunctionRow } from '../functions/deployments.js';
import type { SyncConfig } from '../functions/function-config.js';
import { resolveIntegrationProvider } from '../integrations/integrations.js';
import { finishOperation } from '../operations/operation-log.js';
import { emitWebhooks, type WebhookEvent } from '../webhooks/webhook-outbox.js';
import { eachWithLimit } from '../work-pool.js';
import { type HandlerRun, runWebhookHandler } from './run-webhook-handler.js';
import { eventsOf, eventTypeOf, parseWebhookBody } from './webhook-events.js';
import { markProcessed, freshEventIndexes } from './webhook-receipts.js';
import { routeEvent } from './webhook-routing.js';

// Connections handled side by side: one slow handler must not hold up the rest, nor many flood the sandbox.
const CONCURRENCY = 5;

interface EventReport {
    index: number;
    event_type: string | null;
    rule: string | null;
    value: string | null;
    connections: string[];
    unattributed: boolean;
    handlers: HandlerRun[];
    deliveries: string[];
}

/** Syncs whose `webhookSubscriptions` hold the event type, or `*`. */
const subscribers = (syncs: DeployedFunctionRow[], type: string | null) =>
    syncs.filter((fn) => {
        const subscriptions = (fn.config as SyncConfig).webhook_subscriptions ?? [];
        return subscriptions.includes('*') || (type !== null && subscriptions.includes(type));
    });

/**
 * A verified delivery, from the queue: each event it brought first is routed to its connections,
 * which run their subscribed `onWebhook` handlers and then get a signed `forward` webhook to the
 * app. An event that belongs to no connection is forwarded once, marked unattributed. The
 * delivery's operation gets the routing, the handlers and the deliveries. Processing is at least
 * once: a retried job may run a handler again.
 */
export async function processIncomingWebhook(ctx: RunContext, incomingId: string): Promise<void> {
    const db = database(ctx.env);
    const [row] = await db.select().from(incomingWebhooks).where(eq(incomingWebhooks.id, incomingId)).limit(1);
    if (!row || row.status === 'processed') return;
    const [integration] = await db.select().from(integrations).where(eq(integrations.id, row.integrationId)).limit(1);
    const environment = await findEnvironmentById(db, row.environmentId);
    if (!integration || !environment) return;
    const { name: provider, provider: definition } = await resolveIntegrationProvider(db, integration);
    const config = definition.webhooks;
    if (!config) return markProcessed(db, row.id);

    const events = eventsOf(config, parseWebhookBody(row.body, row.headers['content-type']));
    const syncs = (await activeFunctions(db, row.environmentId, integration.uniqueKey)).filter((fn) => fn.type === 'sync');
    const reports: EventReport[] = [];
    for (const index of await freshEventIndexes(db, row.id, row.integrationId)) {
        const payload = events[index];
        const type = eventTypeOf(config, row.headers, payload);
        const routing = await routeEvent(db, integration.id, config.routing, row.headers, payload);
        const report: EventReport = { index, event_type: type, rule: routing.rule, value: routing.value, connections: routing.connections.map((c) => c.connectionId), unattributed: !routing.connections.length, handlers: [], deliveries: [] };
        reports.push(report);
        const forwardOf = (connection: ConnectionRow | null): WebhookEvent => ({
            type: 'forward',
            event: type ?? undefined,
            integrationKey: integration.uniqueKey,
            ...(connection && { connectionId: connection.connectionId }),
            urlOverride: connection?.webhookUrlOverride ?? null,
            payload: { from: provider, type: 'forward', providerConfigKey: integration.uniqueKey, connectionId: connection?.connectionId ?? null, ...(!connection && { unattributed: true }), payload }
        });
        const handlers = subscribers(syncs, type);
        await eachWithLimit(routing.connections, CONCURRENCY, async (connection) => {
            for (const fn of handlers) report.handlers.push(await runWebhookHandler(ctx, { row: connection, integration }, fn, environment.name, { type, payload }, row.operationId));
        });
        // After the handlers, so the app hears of the event once its records are saved.
        if (integration.forwardWebhooks) {
            const forwards = report.unattributed ? [forwardOf(null)] : routing.connections.map(forwardOf);
            report.deliveries = await emitWebhooks(db, ctx.env, row.environmentId, forwards);
        }
    }
    await markProcessed(db, row.id);
    const failed = reports.some((r) => r.handlers.some((h) => h.status === 'failed'));
    await finishOperation(db, row.operationId, {
        status: failed ? 'failed' : 'success',
        ...(failed && { error: { code: 'webhook_handler_failed', message: 'An onWebhook handler failed; see the handler operations' } }),
        meta: { provider, events: events.length, duplicates: events.length - reports.length, routing: reports },
        startedAt: row.receivedAt
    });
}
