import { type QueryParams, queryEntries } from '../host-contract.js';

// How a `nango.proxy()` request becomes an HTTP request; the platform's hosts and `spoke dryrun`'s local host send it the same way.

/** Function code's `params`: an object (arrays comma-joined, undefined dropped) or a raw query string. */
export function withParams(endpoint: string, params: QueryParams | undefined): string {
    const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
    if (!params) return path;
    const [base, existing = ''] = path.split('?', 2) as [string, string?];
    const search = new URLSearchParams(queryEntries(params, existing)).toString();
    return search ? `${base}?${search}` : base!;
}

/** `data`: a string as is, bytes as they are, anything else as JSON. */
export function encodeBody(data: unknown, headers: Headers): string | ArrayBuffer | null {
    if (data === undefined || data === null) return null;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return data;
    if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return JSON.stringify(data);
}
