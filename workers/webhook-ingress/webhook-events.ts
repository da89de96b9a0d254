import type { ProviderWebhooks, WebhookValue } from '../../providers/webhook-schema.js';
import { sha256Hex } from '../crypto/hashing.js';
import { dotGet } from '../json/dot-path.js';
import { stableStringify } from '../webhooks/stable-json.js';

/** A delivery as stored: the provider's headers and its body as text. */
export interface StoredDelivery {
    headers: Record<string, string>;
    body: string;
}

/**
 * The body as an object: JSON, or a form (Slack's commands), whose `payload` field holds JSON
 * for Slack's interactions. Null when it is neither.
 */
export function parseWebhookBody(body: string, contentType: string | undefined): unknown {
    if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        const form = Object.fromEntries(new URLSearchParams(body));
        if (typeof form['payload'] === 'string') {
            try {
                return JSON.parse(form['payload']) as unknown;
            } catch {
                return form;
            }
        }
        return form;
    }
    try {
        return JSON.parse(body) as unknown;
    } catch {
        return null;
    }
}

/** The events of a delivery: each element of a batched body, else the body itself. */
export function eventsOf(config: ProviderWebhooks, body: unknown): unknown[] {
    return config.batched && Array.isArray(body) ? body : [body];
}

/** A header (case-insensitive) or a body path of the event, as text; null when absent or not a scalar. */
export function valueAt(source: WebhookValue, headers: Record<string, string>, event: unknown): string | null {
    const raw = 'header' in source ? headers[source.header.toLowerCase()] : dotGet(event, source.body_path);
    if (typeof raw === 'string') return raw.length ? raw : null;
    if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    return null;
}

function firstValue(sources: WebhookValue[] | undefined, headers: Record<string, string>, event: unknown): { value: string; source: WebhookValue } | null {
    for (const source of sources ?? []) {
        const value = valueAt(source, headers, event);
        if (value !== null) return { value, source };
    }
    return null;
}

export const eventTypeOf = (config: ProviderWebhooks, headers: Record<string, string>, event: unknown): string | null => firstValue(config.event_type, headers, event)?.value ?? null;

/**
 * What identifies an event across repeated deliveries: the provider's delivery id (with the
 * event's place when a header id covers a whole batch), else the hash of the event's canonical JSON.
 */
export async function deliveryKeyOf(config: ProviderWebhooks, headers: Record<string, string>, event: unknown, index: number): Promise<string> {
    const id = firstValue(config.delivery_id, headers, event);
    if (id) return config.batched && 'header' in id.source ? `id:${id.value}#${index}` : `id:${id.value}`;
    return `sha256:${await sha256Hex(stableStringify(event))}`;
}
