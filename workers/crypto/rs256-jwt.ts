import { fromBase64, toBase64Url } from './encoding.js';

/**
 * RS256 JSON Web Tokens signed with WebCrypto. Keys come as PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or
 * PKCS#1 (`BEGIN RSA PRIVATE KEY`, what GitHub hands out), which WebCrypto cannot import and so is
 * wrapped in a PKCS#8 envelope first.
 */

const PEM = /-----BEGIN (RSA )?PRIVATE KEY-----([^-]+)-----END \1?PRIVATE KEY-----/;

/** Whether the text holds a private key this module can read (checked before storing one). */
export const isPrivateKeyPem = (pem: string) => PEM.test(normalizePem(pem));

// Keys pasted through JSON or an environment variable often carry literal `\n`.
const normalizePem = (pem: string) => pem.replace(/\\n/g, '\n');

function derLength(length: number): number[] {
    if (length < 0x80) return [length];
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    return [0x80 | bytes.length, ...bytes];
}

const der = (tag: number, ...parts: Uint8Array[]) => {
    const content = parts.reduce((all, part) => Uint8Array.from([...all, ...part]), new Uint8Array());
    return Uint8Array.from([tag, ...derLength(content.length), ...content]);
};

// PrivateKeyInfo: version 0 and the rsaEncryption algorithm (OID 1.2.840.113549.1.1.1, NULL parameters).
const PKCS8_VERSION = Uint8Array.of(0x02, 0x01, 0x00);
const RSA_ALGORITHM = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);

function pkcs8Der(pem: string): Uint8Array {
    const match = PEM.exec(normalizePem(pem));
    if (!match) throw new Error('The private key is not a PEM RSA private key');
    const body = fromBase64(match[2]!.replace(/\s+/g, ''));
    return match[1] ? der(0x30, PKCS8_VERSION, RSA_ALGORITHM, der(0x04, body)) : body;
}

export async function importRsaPrivateKey(pem: string): Promise<CryptoKey> {
    return crypto.subtle.importKey('pkcs8', pkcs8Der(pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}

const encodeJson = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

export async function signRs256Jwt(key: CryptoKey, claims: Record<string, unknown>): Promise<string> {
    const signingInput = `${encodeJson({ alg: 'RS256', typ: 'JWT' })}.${encodeJson(claims)}`;
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(signingInput));
    return `${signingInput}.${toBase64Url(new Uint8Array(signature))}`;
}
