import { createHmac } from 'node:crypto';
import type { WebhookSignature } from '../../providers/webhook-schema.js';

/**
 * The headers a provider sends with a webhook, signed the way that provider signs. `now` is in
 * milliseconds since the epoch and becomes the delivery's timestamp header where the scheme has one.
 *
 * Deliberately written apart from `workers/webhook-ingress/verify-signature.ts` (node:crypto rather
 * than WebCrypto, strings rather than bytes), so a mistake in the verifier isn't mirrored here.
 * node:crypto works both in workerd (the Worker has `nodejs_compat`) and in Node for the e2e tests.
 *
 * Linear carries its timestamp in the body (`webhookTimestamp`, ms), which the caller writes: this
 * only signs the body it is given.
 */
export function signDelivery(
    scheme: WebhookSignature,
    secret: string,
    request: { method: string; url: string; body: string },
    now: number
): Record<string, string> {
    const seconds = String(Math.floor(now / 1000));
    const sha256 = (message: string) => createHmac('sha256', secret).update(message, 'utf8');

    switch (scheme.type) {
        case 'github':
            return { 'X-Hub-Signature-256': `sha256=${sha256(request.body).digest('hex')}` };
        case 'slack':
            return {
                'X-Slack-Request-Timestamp': seconds,
                'X-Slack-Signature': `v0=${sha256(`v0:${seconds}:${request.body}`).digest('hex')}`
            };
        case 'stripe':
            return { 'Stripe-Signature': `t=${seconds},v1=${sha256(`${seconds}.${request.body}`).digest('hex')}` };
        case 'shopify':
            return { 'X-Shopify-Hmac-Sha256': sha256(request.body).digest('base64') };
        case 'hubspot_v3': {
            const timestamp = String(now);
            const uri = hubspotSignedUri(request.url);
            return {
                'X-HubSpot-Request-Timestamp': timestamp,
                'X-HubSpot-Signature-v3': sha256(`${request.method}${uri}${request.body}${timestamp}`).digest('base64')
            };
        }
        case 'linear':
            return { 'Linear-Signature': sha256(request.body).digest('hex') };
        case 'zendesk': {
            // Zendesk sends whole seconds: 2024-05-01T12:00:00Z.
            const timestamp = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
            return {
                'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
                'X-Zendesk-Webhook-Signature': sha256(`${timestamp}${request.body}`).digest('base64')
            };
        }
        case 'hmac': {
            const headers: Record<string, string> = {};
            let message = request.body;
            if (scheme.timestamp_header) {
                headers[scheme.timestamp_header] = seconds;
                message = `${seconds}${scheme.timestamp_separator}${request.body}`;
            }
            const digest = createHmac(scheme.algorithm, secret).update(message, 'utf8').digest(scheme.encoding);
            headers[scheme.header] = `${scheme.prefix ?? ''}${digest}`;
            return headers;
        }
    }
}

/** HubSpot signs its URL with these reserved characters decoded (whatever the case of the escape). */
function hubspotSignedUri(url: string): string {
    let uri = url;
    for (const char of [':', '/', '?', '@', '!', '$', "'", '(', ')', '*', ',', ';']) {
        const escape = `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
        uri = uri.split(escape).join(char).split(escape.toLowerCase()).join(char);
    }
    return uri;
}
