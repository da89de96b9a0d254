import { toBase64, toHex } from '../crypto/encoding.js';

/**
 * RFC 5849 request signing, shared by OAuth 1.0a (Trello) and NetSuite token-based auth. Only the
 * HMAC methods: PLAINTEXT sends the secrets in the clear and RSA-SHA1 needs no consumer secret,
 * which no catalog provider uses.
 */
export type Oauth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export interface Oauth1Signing {
    method: string;
    url: string;
    /** An `application/x-www-form-urlencoded` body: its parameters are signed too (§3.4.1.3.1). */
    formBody?: string | null;
    consumer: { key: string; secret: string };
    /** The request or access token; absent on the request-token call. */
    token?: { key: string; secret: string };
    signatureMethod: Oauth1SignatureMethod;
    /** Sent in the header but not signed (§3.5.1); NetSuite wants its account id here. */
    realm?: string;
    /** Protocol parameters of the flow's steps: `oauth_callback`, `oauth_verifier`. */
    extra?: Record<string, string>;
    /** Fixed in tests; fresh values otherwise. */
    nonce?: string;
    timestamp?: string;
}

/** §3.6: RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
export function percentEncode(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** §3.4.1.2: scheme and host lower case, default ports dropped, no query or fragment. */
function baseStringUri(url: URL): string {
    return `${url.protocol}//${url.host}${url.pathname}`;
}

/** §3.4.1: the method, the base URI and the normalized parameters, each encoded and joined by `&`. */
export function signatureBaseString(method: string, url: string, params: [string, string][]): string {
    const target = new URL(url);
    const normalized = params
        .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
        .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
        .map(([name, value]) => `${name}=${value}`)
        .join('&');
    return [method.toUpperCase(), percentEncode(baseStringUri(target)), percentEncode(normalized)].join('&');
}

async function hmacBase64(method: Oauth1SignatureMethod, key: string, text: string): Promise<string> {
    const encoder = new TextEncoder();
    const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: method === 'HMAC-SHA1' ? 'SHA-1' : 'SHA-256' }, false, ['sign']);
    return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(text))));
}

/** The `Authorization: OAuth …` header value of a signed request (§3.5.1). */
export async function oauth1Authorization(s: Oauth1Signing): Promise<string> {
    const protocol: Record<string, string> = {
        oauth_consumer_key: s.consumer.key,
        oauth_signature_method: s.signatureMethod,
        oauth_timestamp: s.timestamp ?? String(Math.floor(Date.now() / 1000)),
        oauth_nonce: s.nonce ?? toHex(crypto.getRandomValues(new Uint8Array(16))),
        oauth_version: '1.0',
        ...(s.token && { oauth_token: s.token.key }),
        ...s.extra
    };
    const url = new URL(s.url);
    const params: [string, string][] = [...Object.entries(protocol), ...url.searchParams.entries(), ...(s.formBody ? new URLSearchParams(s.formBody).entries() : [])];
    const key = `${percentEncode(s.consumer.secret)}&${percentEncode(s.token?.secret ?? '')}`;
    const signature = await hmacBase64(s.signatureMethod, key, signatureBaseString(s.method, s.url, params));
    const fields = Object.entries({ ...protocol, oauth_signature: signature }).map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`);
    return `OAuth ${s.realm !== undefined ? `realm="${percentEncode(s.realm)}", ` : ''}${fields.join(', ')}`;
}
