import type { ProviderWebhooks } from '../../providers/webhook-schema.js';
import { findIntegration, type IntegrationRow, resolveIntegrationProvider } from '../integrations/integrations.js';
import { database } from '../db.js';
import { findEnvironmentById, UUID } from '../environments/environments.js';
import { ApiError } from '../http/api-error.js';
import type { JobMessage } from '../jobs/job-messages.js';
import { finishOperation, recordOperation } from '../operations/operation-log.js';
import { verifySignature } from './verify-signature.js';
import { deliveryKeyOf, eventsOf, eventTypeOf, parseWebhookBody } from './webhook-events.js';
import { dedupeWindowMs, markProcessed, storeReceipt } from './webhook-receipts.js';
import { webhookSecretOf } from './webhook-secret.js';

/** Larger deliveries are refused: the body is kept in one D1 row until it is processed. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

// Credentials, cookies and hop-by-hop or platform headers are not kept with the delivery.
const DROPPED_HEADER = /^(authorization|cookie|host|content-length|connection|keep-alive|transfer-encoding|upgrade|te|trailer|x-real-ip|true-client-ip|x-forwarded-.*|sec-.*|proxy-.*|cf-.*)$/;

export interface IncomingRequest {
    environmentId: string;
    integrationKey: string;
    method: string;
    url: string;
    headers: Headers;
    body: Uint8Array;
    requestId: string;
}

interface Target {
    environmentId: string;
    integration: IntegrationRow;
    providerName: string;
    config: ProviderWebhooks | undefined;
}

/** The environment and integration a webhook URL names, or the 404 a provider should see. */
export async function webhookTarget(env: Env, environmentId: string, integrationKey: string): Promise<Target> {
    const db = database(env);
    // An integration exists only in an existing environment: the environment is looked up only to tell which 404 it is.
    const integration = UUID.test(environmentId) ? await findIntegration(db, environmentId, integrationKey) : null;
    if (!integration) {
        if (!UUID.test(environmentId) || !(await findEnvironmentById(db, environmentId))) throw new ApiError(404, 'unknown_environment', 'No environment has this id');
        throw new ApiError(404, 'unknown_provider_config', `No integration "${integrationKey}" in this environment`);
    }
    const { name, provider } = await resolveIntegrationProvider(db, integration);
    return { environmentId, integration, providerName: name, config: provider.webhooks };
}

/**
 * A provider's webhook: verified, deduplicated and stored in one transaction, then handed to the
 * queue, so the provider gets its answer without waiting for any processing. Every delivery,
 * refused ones included, is an operation in the log.
 */
export async function receiveWebhook(env: Env, target: Target, req: IncomingRequest, ctx: { waitUntil: (p: Promise<unknown>) => void }): Promise<Response> {
    const { config, integration } = target;
    // A provider Spoke knows no webhooks of: nothing to verify or route, as in Nango.
    if (!config) return new Response(null, { status: 204 });
    const db = database(env);
    const receivedAt = Date.now();
    const logFailure = (error: { status: number; code: string; message: string }) =>
        recordOperation(db, {
            environmentId: target.environmentId,
            type: 'webhook',
            action: 'incoming',
            integrationKey: integration.uniqueKey,
            status: 'failed',
            requestId: req.requestId,
            method: req.method,
            path: new URL(req.url).pathname,
            httpStatus: error.status,
            error: { code: error.code, message: error.message },
            meta: { provider: target.providerName },
            startedAt: receivedAt,
            endedAt: Date.now()
        });
    const refuse = async (error: ApiError) => {
        await logFailure(error);
        return Response.json(error.toJSON(), { status: error.status });
    };

    if (config.signature) {
        const secret = await webhookSecretOf(env, integration, config.secret);
        if (!secret) {
            const where = config.secret === 'client_secret' ? "the integration's OAuth client secret" : 'credentials.webhook_secret or custom.webhookSecret';
            return refuse(new ApiError(401, 'missing_webhook_secret', `The integration has no secret to verify ${target.providerName} webhooks with; set ${where}`));
        }
        const check = await verifySignature(config.signature, secret, { method: req.method, url: req.url, headers: req.headers, body: req.body }, receivedAt);
        if (!check.ok) return refuse(new ApiError(401, 'invalid_webhook_signature', `Invalid webhook signature: ${check.reason}`));
    }

    const text = new TextDecoder().decode(req.body);
    const body = parseWebhookBody(text, req.headers.get('content-type') ?? undefined);
    if (body === null || typeof body !== 'object') return refuse(new ApiError(400, 'invalid_body', 'The webhook body is not JSON or a form'));
    // Slack checks the URL with a signed challenge before it sends any event.
    if (config.handshake?.type === 'slack_url_verification' && (body as Record<string, unknown>)['type'] === 'url_verification') {
        return Response.json({ challenge: (body as Record<string, unknown>)['challenge'] });
    }

    const headers = keptHeaders(req.headers);
    const events = eventsOf(config, body);
    const keys = await Promise.all(events.map((event, i) => deliveryKeyOf(config, headers, event, i)));
    const eventTypes = [...new Set(events.map((event) => eventTypeOf(config, headers, event)).filter((t): t is string => t !== null))];
    const id = crypto.randomUUID();
    const operation = {
        environmentId: target.environmentId,
        type: 'webhook' as const,
        action: 'incoming',
        integrationKey: integration.uniqueKey,
        meta: { provider: target.providerName, request_id: req.requestId, events: events.length, event_types: eventTypes },
        startedAt: receivedAt
    };
    let stored: Awaited<ReturnType<typeof storeReceipt>>;
    try {
        stored = await storeReceipt(db, { id, integrationId: integration.id, headers, body: text, keys, windowMs: dedupeWindowMs(env), operation });
    } catch (error) {
        // Nothing was stored: the provider gets a 500 and delivers again.
        await logFailure({ status: 500, code: 'server_error', message: 'The delivery could not be stored' });
        throw error;
    }
    const { operationId, fresh } = stored;
    if (!fresh.length) {
        // Off the provider's clock: if this is lost, the sweep queues the delivery, which then processes nothing.
        const meta = { provider: target.providerName, events: events.length, event_types: eventTypes, duplicates: events.length };
        ctx.waitUntil(markProcessed(db, id, receivedAt).then(() => finishOperation(db, operationId, { status: 'success', meta, startedAt: receivedAt })));
    } else {
        const message: JobMessage = { type: 'process_webhook', environmentId: target.environmentId, incomingId: id };
        // If the queue refuses, the delivery stays `received` and the cron sweep sends it again.
        ctx.waitUntil(env.JOBS.send(message).catch((error: unknown) => console.error('webhook ingress: queueing failed, the sweep will retry', error)));
    }
    return Response.json({ status: 'success' });
}

function keptHeaders(headers: Headers): Record<string, string> {
    const kept: Record<string, string> = {};
    headers.forEach((value, name) => {
        if (!DROPPED_HEADER.test(name.toLowerCase())) kept[name.toLowerCase()] = value;
    });
    return kept;
}
