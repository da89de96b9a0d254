import { credentialPlaceholder } from '../../functions-runtime/host-contract.js';
import type { ConnectionSecrets } from '../connections/credentials.js';
import { utf8Base64 } from '../crypto/encoding.js';
import { hasPlaceholder } from './credential-placeholders.js';

// Credential fields a function may see as they are; every other string field is a secret.
const VISIBLE_FIELDS = new Set(['type', 'expires_at', 'client_id']);

/** Whether a credentials field is one a function only ever sees as a placeholder (`raw` and `config_override` are never shown). */
export const isSecretCredentialField = (field: string, value: unknown) => typeof value === 'string' && !VISIBLE_FIELDS.has(field) && field !== 'raw' && field !== 'config_override';

/**
 * Shorter values are left alone: replacing every occurrence of a few common characters would
 * mangle whole answers, and no token, key or client secret is that short.
 */
const MIN_LENGTH = 6;

/** The connection's secret values as they can show up in text, each with what stands for it in the sandbox. */
export interface SecretValues {
    /** The connection has no secret to look for (no credentials, or none long enough). */
    readonly none: boolean;
    /** Whether the text carries a secret value, or a placeholder for one. */
    foundIn(text: string): boolean;
    /** The text with every secret value replaced by its placeholder. */
    redact(text: string): string;
    /** The same for bytes (any body, text or not: a secret's UTF-8 bytes are replaced wherever they occur). */
    redactBytes(bytes: ArrayBuffer): ArrayBuffer;
}

/**
 * The secrets of a connection (secret credential fields, secret connection config, and a Basic
 * auth pair as the Authorization header encodes it), in the forms an upstream may echo them:
 * as they are, URL-encoded (a query string in a Link header) and JSON-escaped (an error body).
 */
export function secretValues(secrets: ConnectionSecrets): SecretValues {
    const fields: [value: string, placeholder: string][] = [];
    for (const [field, value] of Object.entries(secrets.credentials)) {
        if (isSecretCredentialField(field, value)) fields.push([value as string, credentialPlaceholder(field)]);
    }
    for (const [field, value] of Object.entries(secrets.secretConfig)) {
        if (typeof value === 'string') fields.push([value, credentialPlaceholder(field)]);
    }
    const c = secrets.credentials;
    if (c.type === 'BASIC') fields.push([utf8Base64(`${c.username}:${c.password}`), credentialPlaceholder('basic_authorization')]);

    const forms = new Map<string, string>();
    for (const [value, placeholder] of fields) {
        for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), JSON.stringify(value).slice(1, -1).replaceAll('/', '\\/')]) {
            if (form.length >= MIN_LENGTH && !forms.has(form)) forms.set(form, placeholder);
        }
    }
    // Longest first: a secret that contains another is replaced whole.
    const replacements = [...forms].sort(([a], [b]) => b.length - a.length);
    const encoder = new TextEncoder();
    const byteReplacements = replacements.map(([form, placeholder]) => [encoder.encode(form), encoder.encode(placeholder)] as const);

    return {
        none: replacements.length === 0,
        foundIn: (text) => hasPlaceholder(text) || replacements.some(([form]) => text.includes(form)),
        redact: (text) => replacements.reduce((out, [form, placeholder]) => out.replaceAll(form, placeholder), text),
        redactBytes(bytes) {
            const original = new Uint8Array(bytes);
            let out = original;
            for (const [form, placeholder] of byteReplacements) out = replaceBytes(out, form, placeholder);
            // A replaced copy is a fresh array, its buffer exactly its size.
            return out === original ? bytes : (out.buffer as ArrayBuffer);
        }
    };
}

/** `secretValues`, worked out on first use: most calls never look for echoed secrets. */
export function lazySecretValues(secrets: ConnectionSecrets): () => SecretValues {
    let values: SecretValues | undefined;
    return () => (values ??= secretValues(secrets));
}

function replaceBytes(haystack: Uint8Array<ArrayBuffer>, needle: Uint8Array, replacement: Uint8Array): Uint8Array<ArrayBuffer> {
    const parts: Uint8Array[] = [];
    let from = 0;
    for (let at = indexOf(haystack, needle, 0); at !== -1; at = indexOf(haystack, needle, from)) {
        parts.push(haystack.subarray(from, at), replacement);
        from = at + needle.length;
    }
    if (parts.length === 0) return haystack;
    parts.push(haystack.subarray(from));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.byteLength;
    }
    return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
    const last = haystack.length - needle.length;
    for (let at = haystack.indexOf(needle[0]!, from); at !== -1 && at <= last; at = haystack.indexOf(needle[0]!, at + 1)) {
        let i = 1;
        while (i < needle.length && haystack[at + i] === needle[i]) i++;
        if (i === needle.length) return at;
    }
    return -1;
}
