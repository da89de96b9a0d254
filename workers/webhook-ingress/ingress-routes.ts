import { Hono } from 'hono';
import { ApiError } from '../http/api-error.js';
import type { AppEnv } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { MAX_WEBHOOK_BYTES, receiveWebhook, webhookTarget } from './receive-webhook.js';

/** `/webhook/:environmentId/:integrationKey`: the integration's `webhook_url`, called by providers without any Spoke key. */
export const ingressRoutes = new Hono<AppEnv>();

const PATH = '/webhook/:environmentId/:integrationKey';

ingressRoutes.post(PATH, limitBody(MAX_WEBHOOK_BYTES), async (c) => {
    const target = await webhookTarget(c.env, c.req.param('environmentId'), c.req.param('integrationKey'));
    // Microsoft Graph validates a subscription's URL by posting a token it expects back as text, within 10 seconds.
    const validationToken = c.req.query('validationToken');
    if (target.config?.handshake?.type === 'graph_validation_token' && validationToken !== undefined) {
        return c.text(validationToken, 200, { 'content-type': 'text/plain' });
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    return receiveWebhook(
        c.env,
        target,
        { environmentId: target.environmentId, integrationKey: target.integration.uniqueKey, method: 'POST', url: c.req.url, headers: c.req.raw.headers, body, requestId: c.get('requestId') },
        c.executionCtx
    );
});

// Some providers check a URL by a GET that must echo one of its query parameters.
ingressRoutes.get(PATH, async (c) => {
    const target = await webhookTarget(c.env, c.req.param('environmentId'), c.req.param('integrationKey'));
    const handshake = target.config?.handshake;
    const echo = handshake?.type === 'get_echo' ? c.req.query(handshake.param) : undefined;
    if (echo === undefined) throw new ApiError(405, 'method_not_allowed', 'Providers send webhooks with POST');
    return c.text(echo, 200, { 'content-type': 'text/plain' });
});
