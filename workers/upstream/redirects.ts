import { decodedFetch } from './decoded-fetch.js';

/** Hops a call follows before it fails, fewer than a browser's 20: every hop is checked again. */
export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Headers that describe the body: they go when the body does.
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']);

export const isBodyHeader = (name: string) => BODY_HEADERS.has(name.toLowerCase());

/** Where a redirect leads, and what of the previous request the next one keeps, per the fetch standard. */
export interface Redirect {
    url: URL;
    /** The previous hop's URL. */
    from: URL;
    method: string;
    /** 307 and 308 send the body again; 303, and 301 or 302 after a POST, turn the request into a GET without one. */
    keepsBody: boolean;
}

/**
 * Fetches without letting the runtime follow redirects, which would take the request, headers
 * and all, wherever the upstream says. `next` builds each further hop: it checks where it leads
 * (throwing refuses it) and decides what the hop carries. Answering null hands the redirect back
 * as the response (a streamed body can't be sent twice).
 */
export async function fetchFollowingRedirects(
    request: Request,
    next: (redirect: Redirect) => Request | null | Promise<Request | null>,
    init: Parameters<typeof decodedFetch>[1] = {}
): Promise<Response> {
    for (let hops = 0; ; hops++) {
        const response = await decodedFetch(request, init);
        const redirect = redirectOf(response, request);
        if (!redirect) return response;
        if (hops === MAX_REDIRECTS) {
            await response.body?.cancel();
            throw new Error(`more than ${MAX_REDIRECTS} redirects`);
        }
        const following = await next(redirect);
        if (!following) return response;
        await response.body?.cancel();
        request = following;
    }
}

function redirectOf(response: Response, request: Request): Redirect | null {
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null || !URL.canParse(location, request.url)) return null;
    const { method } = request;
    const toGet = response.status === 303 ? method !== 'GET' && method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST';
    return { url: new URL(location, request.url), from: new URL(request.url), method: toGet ? 'GET' : method, keepsBody: !toGet };
}

/** The headers for a hop: without those of the body when the hop drops it. */
export function hopHeaders(redirect: Redirect, headers: HeadersInit | undefined): Headers {
    const out = new Headers(headers);
    if (!redirect.keepsBody) for (const name of BODY_HEADERS) out.delete(name);
    return out;
}
