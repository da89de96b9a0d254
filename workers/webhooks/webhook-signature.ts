import { toHex } from '../crypto/encoding.js';

/** `X-Nango-Hmac-Sha256`: hex HMAC-SHA256 of the exact body bytes, keyed with the signing key. */
export async function webhookSignature(signingKey: string, body: string): Promise<string> {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(signingKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return toHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
}
