import type { WebhookSignature } from '../../providers/webhook-schema.js';

/** A delivery as received: the body's exact bytes, because providers sign those and not a re-encoding. */
export interface SignedDelivery {
    method: string;
    url: string;
    headers: Headers;
    body: Uint8Array;
}

/** `reason` is safe to log and to return to the caller: it names headers, never secrets or digests. */
export type SignatureCheck = { ok: true } | { ok: false; reason: string };

type Algorithm = 'sha1' | 'sha256' | 'sha512';

const OK: SignatureCheck = { ok: true };
const fail = (reason: string): SignatureCheck => ({ ok: false, reason });
const mismatch = fail('signature mismatch');
const encoder = new TextEncoder();

/**
 * Checks a webhook delivery against its provider's signature scheme. `now` is in milliseconds since
 * the epoch. Never throws: bad input of any kind is a failed check.
 */
export async function verifySignature(scheme: WebhookSignature, secret: string, delivery: SignedDelivery, now: number): Promise<SignatureCheck> {
    // WebCrypto refuses empty HMAC keys; say so plainly rather than reporting a mismatch.
    if (!secret) return fail('no webhook secret configured');
    try {
        switch (scheme.type) {
            case 'github':
                return await verifyGithub(secret, delivery);
            case 'slack':
                return await verifySlack(secret, delivery, now, scheme.tolerance_seconds ?? 300);
            case 'stripe':
                return await verifyStripe(secret, delivery, now, scheme.tolerance_seconds ?? 300);
            case 'shopify':
                return await verifyShopify(secret, delivery);
            case 'hubspot_v3':
                return await verifyHubspotV3(secret, delivery, now, scheme.tolerance_seconds ?? 300);
            case 'linear':
                return await verifyLinear(secret, delivery, now, scheme.tolerance_seconds ?? 60);
            case 'zendesk':
                return await verifyZendesk(secret, delivery, now, scheme.tolerance_seconds ?? 300);
            case 'hmac':
                return await verifyGenericHmac(scheme, secret, delivery, now);
            default:
                return fail('unsupported signature scheme');
        }
    } catch {
        // Only reachable through a WebCrypto failure; the error text could carry anything, so it is dropped.
        return fail('signature could not be verified');
    }
}

async function verifyGithub(secret: string, delivery: SignedDelivery): Promise<SignatureCheck> {
    const header = delivery.headers.get('X-Hub-Signature-256');
    if (header === null) return fail('missing X-Hub-Signature-256 header');
    if (!header.startsWith('sha256=')) return fail('malformed X-Hub-Signature-256 header');
    const signature = fromHex(header.slice('sha256='.length));
    if (!signature) return fail('malformed X-Hub-Signature-256 header');
    return (await hmacMatches('sha256', secret, delivery.body, [signature])) ? OK : mismatch;
}

async function verifySlack(secret: string, delivery: SignedDelivery, now: number, tolerance: number): Promise<SignatureCheck> {
    const header = delivery.headers.get('X-Slack-Signature');
    if (header === null) return fail('missing X-Slack-Signature header');
    const timestamp = delivery.headers.get('X-Slack-Request-Timestamp');
    if (timestamp === null) return fail('missing X-Slack-Request-Timestamp header');
    const signature = header.startsWith('v0=') ? fromHex(header.slice('v0='.length)) : null;
    if (!signature) return fail('malformed X-Slack-Signature header');
    const seconds = parseInteger(timestamp);
    if (seconds === null) return fail('malformed X-Slack-Request-Timestamp header');
    if (!withinTolerance(seconds * 1000, now, tolerance)) return stale(tolerance);
    return (await hmacMatches('sha256', secret, concat(`v0:${timestamp}:`, delivery.body), [signature])) ? OK : mismatch;
}

async function verifyStripe(secret: string, delivery: SignedDelivery, now: number, tolerance: number): Promise<SignatureCheck> {
    const header = delivery.headers.get('Stripe-Signature');
    if (header === null) return fail('missing Stripe-Signature header');
    let timestamp: string | undefined;
    const signatures: Uint8Array[] = [];
    for (const item of header.split(',')) {
        const at = item.indexOf('=');
        if (at < 0) continue;
        const key = item.slice(0, at).trim();
        const value = item.slice(at + 1).trim();
        if (key === 't') {
            // Two timestamps would leave it ambiguous which one was signed.
            if (timestamp !== undefined) return fail('malformed Stripe-Signature header');
            timestamp = value;
        } else if (key === 'v1') {
            const signature = fromHex(value);
            if (!signature) return fail('malformed Stripe-Signature header');
            signatures.push(signature);
        }
        // v0 (test-mode legacy) and future schemes are ignored, as Stripe's libraries do.
    }
    if (timestamp === undefined) return fail('missing timestamp in Stripe-Signature header');
    if (signatures.length === 0) return fail('missing v1 signature in Stripe-Signature header');
    const seconds = parseInteger(timestamp);
    if (seconds === null) return fail('malformed Stripe-Signature header');
    if (!withinTolerance(seconds * 1000, now, tolerance)) return stale(tolerance);
    // Several v1 values appear while a secret is being rolled: any one of them will do.
    return (await hmacMatches('sha256', secret, concat(`${timestamp}.`, delivery.body), signatures)) ? OK : mismatch;
}

async function verifyShopify(secret: string, delivery: SignedDelivery): Promise<SignatureCheck> {
    const header = delivery.headers.get('X-Shopify-Hmac-Sha256');
    if (header === null) return fail('missing X-Shopify-Hmac-Sha256 header');
    const signature = fromBase64(header);
    if (!signature) return fail('malformed X-Shopify-Hmac-Sha256 header');
    return (await hmacMatches('sha256', secret, delivery.body, [signature])) ? OK : mismatch;
}

async function verifyHubspotV3(secret: string, delivery: SignedDelivery, now: number, tolerance: number): Promise<SignatureCheck> {
    const header = delivery.headers.get('X-HubSpot-Signature-v3');
    if (header === null) return fail('missing X-HubSpot-Signature-v3 header');
    const timestamp = delivery.headers.get('X-HubSpot-Request-Timestamp');
    if (timestamp === null) return fail('missing X-HubSpot-Request-Timestamp header');
    const signature = fromBase64(header);
    if (!signature) return fail('malformed X-HubSpot-Signature-v3 header');
    const millis = parseInteger(timestamp);
    if (millis === null) return fail('malformed X-HubSpot-Request-Timestamp header');
    if (!withinTolerance(millis, now, tolerance)) return stale(tolerance);
    const message = concat(`${delivery.method}${hubspotUri(delivery.url)}`, delivery.body, timestamp);
    return (await hmacMatches('sha256', secret, message, [signature])) ? OK : mismatch;
}

/** The reserved characters HubSpot decodes in the URL before signing it (its "Validating requests" guide). */
const HUBSPOT_DECODED: Record<string, string> = {
    '3A': ':', '2F': '/', '3F': '?', '40': '@', '21': '!', '24': '$',
    '27': "'", '28': '(', '29': ')', '2A': '*', '2C': ',', '3B': ';'
};

function hubspotUri(url: string): string {
    // Case-insensitive because percent-encoding is (RFC 3986 §2.1); HubSpot's own examples are upper case.
    return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (_, hex: string) => HUBSPOT_DECODED[hex.toUpperCase()] ?? `%${hex}`);
}

async function verifyLinear(secret: string, delivery: SignedDelivery, now: number, tolerance: number): Promise<SignatureCheck> {
    const header = delivery.headers.get('Linear-Signature');
    if (header === null) return fail('missing Linear-Signature header');
    const signature = fromHex(header);
    if (!signature) return fail('malformed Linear-Signature header');
    if (!(await hmacMatches('sha256', secret, delivery.body, [signature]))) return mismatch;
    // Linear puts the signing time in the body, so it can only be trusted once the body is.
    const timestamp = bodyTimestamp(delivery.body);
    if (timestamp !== null && !withinTolerance(timestamp, now, tolerance)) return stale(tolerance);
    return OK;
}

function bodyTimestamp(body: Uint8Array): number | null {
    try {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
        if (typeof parsed !== 'object' || parsed === null || !('webhookTimestamp' in parsed)) return null;
        return typeof parsed.webhookTimestamp === 'number' ? parsed.webhookTimestamp : null;
    } catch {
        return null;
    }
}

async function verifyZendesk(secret: string, delivery: SignedDelivery, now: number, tolerance: number): Promise<SignatureCheck> {
    const header = delivery.headers.get('X-Zendesk-Webhook-Signature');
    if (header === null) return fail('missing X-Zendesk-Webhook-Signature header');
    const timestamp = delivery.headers.get('X-Zendesk-Webhook-Signature-Timestamp');
    if (timestamp === null) return fail('missing X-Zendesk-Webhook-Signature-Timestamp header');
    const signature = fromBase64(header);
    if (!signature) return fail('malformed X-Zendesk-Webhook-Signature header');
    // Date.parse alone would also accept free-form dates such as "Tue, 1 Jan 2030".
    const signedAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(signedAt)) return fail('malformed X-Zendesk-Webhook-Signature-Timestamp header');
    if (!withinTolerance(signedAt, now, tolerance)) return stale(tolerance);
    return (await hmacMatches('sha256', secret, concat(timestamp, delivery.body), [signature])) ? OK : mismatch;
}

async function verifyGenericHmac(
    scheme: Extract<WebhookSignature, { type: 'hmac' }>,
    secret: string,
    delivery: SignedDelivery,
    now: number
): Promise<SignatureCheck> {
    let value = delivery.headers.get(scheme.header);
    if (value === null) return fail(`missing ${scheme.header} header`);
    if (scheme.prefix) {
        if (!value.startsWith(scheme.prefix)) return fail(`malformed ${scheme.header} header`);
        value = value.slice(scheme.prefix.length);
    }
    const signature = scheme.encoding === 'base64' ? fromBase64(value) : fromHex(value);
    if (!signature) return fail(`malformed ${scheme.header} header`);

    let message = delivery.body;
    if (scheme.timestamp_header) {
        const timestamp = delivery.headers.get(scheme.timestamp_header);
        if (timestamp === null) return fail(`missing ${scheme.timestamp_header} header`);
        const parsed = parseInteger(timestamp);
        if (parsed === null) return fail(`malformed ${scheme.timestamp_header} header`);
        const tolerance = scheme.tolerance_seconds ?? 300;
        // Seconds and milliseconds are told apart by size: 1e12 ms is 2001, 1e12 s is ~33,000 years away.
        if (!withinTolerance(parsed > 1e12 ? parsed : parsed * 1000, now, tolerance)) return stale(tolerance);
        message = concat(`${timestamp}${scheme.timestamp_separator}`, delivery.body);
    }
    return (await hmacMatches(scheme.algorithm, secret, message, [signature])) ? OK : mismatch;
}

/**
 * Whether any candidate is the HMAC of `message`. `crypto.subtle.verify` compares in constant time,
 * so an attacker learns nothing from how long a wrong guess takes.
 */
async function hmacMatches(algorithm: Algorithm, secret: string, message: Uint8Array, candidates: Uint8Array[]): Promise<boolean> {
    const hash = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' }[algorithm];
    const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['verify']);
    let matched = false;
    // Every candidate is tried, so the timing doesn't reveal which one matched.
    for (const candidate of candidates) {
        if (await crypto.subtle.verify('HMAC', key, candidate, message)) matched = true;
    }
    return matched;
}

/** UTF-8 text around the raw body bytes, without ever decoding the body. */
function concat(before: string, body: Uint8Array, after = ''): Uint8Array {
    const head = encoder.encode(before);
    const tail = encoder.encode(after);
    const out = new Uint8Array(head.length + body.length + tail.length);
    out.set(head, 0);
    out.set(body, head.length);
    out.set(tail, head.length + body.length);
    return out;
}

function withinTolerance(signedAtMs: number, now: number, toleranceSeconds: number): boolean {
    // Both directions: a timestamp far in the future is as suspect as an old one (clock skew aside).
    return Math.abs(now - signedAtMs) <= toleranceSeconds * 1000;
}

function stale(toleranceSeconds: number): SignatureCheck {
    return fail(`timestamp outside the ${toleranceSeconds} s tolerance`);
}

/** Digits only: `parseInt` would accept "12abc" and signed or fractional forms no provider sends. */
function parseInteger(text: string): number | null {
    return /^\d{1,16}$/.test(text) ? Number(text) : null;
}

function fromHex(text: string): Uint8Array | null {
    if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) return null;
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
    return bytes;
}

/** Standard, padded base64 only: `atob` alone tolerates whitespace and missing padding. */
function fromBase64(text: string): Uint8Array | null {
    if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
