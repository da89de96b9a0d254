import { z } from 'zod';

/** Where a value sits in a provider's webhook: a request header, or a dot path in the JSON body (of each event, when batched). */
export const webhookValueSchema = z.union([
    z.strictObject({ header: z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name') }),
    z.strictObject({ body_path: z.string().min(1) })
]);
export type WebhookValue = z.infer<typeof webhookValueSchema>;

/** Candidates in order: the first one present in the delivery is used. */
const candidates = z.array(webhookValueSchema).min(1);

const tolerance = { tolerance_seconds: z.number().int().min(1).max(86_400).optional() };

/**
 * How a provider signs its deliveries. The named schemes are the providers' own; `hmac` describes
 * any other HMAC over the body (optionally preceded by a timestamp), for custom providers.
 */
export const webhookSignatureSchema = z.discriminatedUnion('type', [
    /** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` (GitHub, also Jira's secret webhooks). */
    z.strictObject({ type: z.literal('github') }),
    /** `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<body>">`, within the tolerance (default 300 s). */
    z.strictObject({ type: z.literal('slack'), ...tolerance }),
    /** `Stripe-Signature: t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">[,v1=…]`, within the tolerance (default 300 s). */
    z.strictObject({ type: z.literal('stripe'), ...tolerance }),
    /** `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`. */
    z.strictObject({ type: z.literal('shopify') }),
    /** `X-HubSpot-Signature-v3: <base64 HMAC-SHA256 of method + URL + body + X-HubSpot-Request-Timestamp>`, within the tolerance (default 300 s). */
    z.strictObject({ type: z.literal('hubspot_v3'), ...tolerance }),
    /** `Linear-Signature: <hex HMAC-SHA256 of the body>`; the body's `webhookTimestamp` (ms) within the tolerance (default 60 s). */
    z.strictObject({ type: z.literal('linear'), ...tolerance }),
    /** `X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256 of X-Zendesk-Webhook-Signature-Timestamp + body>`. */
    z.strictObject({ type: z.literal('zendesk'), ...tolerance }),
    z.strictObject({
        type: z.literal('hmac'),
        header: z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'),
        algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
        encoding: z.enum(['hex', 'base64']).default('hex'),
        /** Text before the digest in the header, e.g. `sha256=`. */
        prefix: z.string().optional(),
        /** A header with the signing time (seconds or milliseconds since the epoch): it is signed as `<timestamp><separator><body>` and checked against the tolerance (default 300 s). */
        timestamp_header: z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name').optional(),
        timestamp_separator: z.string().max(8).default(''),
        ...tolerance
    })
]);
export type WebhookSignature = z.infer<typeof webhookSignatureSchema>;

/** `connection_id`, `connection_config.<key>` or `metadata.<key>` (keys are flat, and may contain dots: `team.id`). */
const routeTarget = z.string().regex(/^(connection_id|(connection_config|metadata)\.[\w.-]+)$/, 'connection_id, connection_config.<key> or metadata.<key>');

export const webhookRouteSchema = z.strictObject({
    from: webhookValueSchema,
    /** Several targets: a connection matches if any of them holds the value (set at import, or later in metadata). */
    match: z.union([routeTarget, z.array(routeTarget).min(1)]),
    /** Removed from the end of the value before matching (Shopify's `acme.myshopify.com` → `acme`). */
    strip_suffix: z.string().min(1).optional()
});
export type WebhookRoute = z.infer<typeof webhookRouteSchema>;

/** What Spoke's webhook ingress knows about a provider's webhooks. */
export const providerWebhooksSchema = z.strictObject({
    /** Absent: the provider does not sign, and deliveries are accepted as they come. */
    signature: webhookSignatureSchema.optional(),
    /** The integration secret that verifies: its webhook secret (the default) or its OAuth client secret (Shopify, HubSpot). */
    secret: z.enum(['webhook_secret', 'client_secret']).default('webhook_secret'),
    /** The event type, matched against syncs' `webhookSubscriptions`. */
    event_type: candidates.optional(),
    /** The provider's delivery id, for deduplication; without one, the body's hash is used. */
    delivery_id: candidates.optional(),
    /** Which connections an event belongs to: the first rule whose value is present decides. No rule with a value: every connection of the integration. */
    routing: z.array(webhookRouteSchema).min(1).optional(),
    /** The body is an array of events (HubSpot): each is deduplicated, routed and processed on its own. */
    batched: z.boolean().optional(),
    /**
     * Handshakes answered before anything else: Slack's `url_verification` (after the signature
     * check), Microsoft Graph's `validationToken` query parameter, or a GET echoing a query parameter.
     */
    handshake: z
        .discriminatedUnion('type', [
            z.strictObject({ type: z.literal('slack_url_verification') }),
            z.strictObject({ type: z.literal('graph_validation_token') }),
            z.strictObject({ type: z.literal('get_echo'), param: z.string().min(1) })
        ])
        .optional()
});
export type ProviderWebhooks = z.infer<typeof providerWebhooksSchema>;
