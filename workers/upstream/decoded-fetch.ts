// Compression formats decoded for callers; HTTP's `deflate` is the zlib format.
const DECODERS: Record<string, 'gzip' | 'deflate'> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

/** An `Accept-Encoding` asking only for what this decodes. */
export const DECODED_ENCODINGS = 'gzip, deflate';

/**
 * Fetches from a provider with the body exactly as it was sent (`encodeResponseBody: 'manual'`),
 * then decodes gzip and deflate itself, so callers and functions get the same bytes locally and in
 * production. Other encodings (brotli…) pass through with their `Content-Encoding` header, and so
 * does everything with `decode: false`. Redirects come back as they are: redirects.ts follows them,
 * checking every hop.
 */
export async function decodedFetch(request: Request, init: { signal?: AbortSignal; decode?: boolean } = {}): Promise<Response> {
    const { decode = true, ...fetchInit } = init;
    const response = await fetch(request, { ...fetchInit, redirect: 'manual', encodeResponseBody: 'manual' });
    const encoding = response.headers.get('content-encoding')?.trim().toLowerCase();
    const format = encoding ? DECODERS[encoding] : undefined;
    if (!decode || !format || !response.body) return response;
    const headers = new Headers(response.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(response.body.pipeThrough(new DecompressionStream(format)), { status: response.status, statusText: response.statusText, headers });
}
