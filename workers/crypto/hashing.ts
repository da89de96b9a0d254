import { toHex } from './encoding.js';

export async function sha256Hex(text: string): Promise<string> {
    return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Compares two secrets without leaking, through timing, how much of them matched. */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
    const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
    const encoder = new TextEncoder();
    return crypto.subtle.timingSafeEqual(encoder.encode(ha), encoder.encode(hb));
}
