import { toBase64Url } from '../crypto/encoding.js';

/** RFC 7636: a 43-character verifier from 32 random bytes, and its S256 challenge. */
export async function createPkcePair(): Promise<{ verifier: string; challenge: string }> {
    const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    return { verifier, challenge: toBase64Url(new Uint8Array(digest)) };
}
