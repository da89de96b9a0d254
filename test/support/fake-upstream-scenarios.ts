/** How the fake third parties behave in a test; shared by the fakes (Node) and the tests (workerd). */

export interface OAuthScenario {
    clientId: string;
    clientSecret: string;
    /** Seconds; null = tokens never expire. Default 3600. */
    expiresIn?: number | null;
    /** Issue a new refresh token on every refresh. */
    rotateRefreshToken?: boolean;
    /** Answer refreshes with this error. */
    refreshFailure?: { status: number; error: string } | null;
    /** Delay the token endpoint, to widen the window for concurrent callers. */
    tokenDelayMs?: number;
    /** Extra fields of every token response (e.g. `instance_url`). */
    extra?: Record<string, unknown>;
    /** Client authentication the provider expects at the token endpoint. */
    clientAuth?: 'basic' | 'body';
    /** Credentials `/api/me` accepts, besides issued access tokens. */
    apiKey?: string;
    basic?: { username: string; password: string };
}

export interface ReceiverScenario {
    /** Answer this many deliveries with 500 before accepting. */
    failTimes?: number;
    /** Answer every delivery with this status (e.g. 400). */
    alwaysStatus?: number;
    /** The environment's signing key, to verify signatures. */
    signingKey: string;
}

export interface FakeResponse {
    status: number;
    headers?: Record<string, string>;
    /** JSON-encoded unless a string. */
    body?: unknown;
    /** Send the body gzip-compressed, with `Content-Encoding: gzip`. */
    gzip?: boolean;
    /** Answer after this long. */
    delayMs?: number;
    /** Instead of `body`: `chunks` chunks of `size` bytes streamed without a Content-Length, see `streamedChunk`. */
    stream?: { chunks: number; size: number };
}

/** Chunk `index` of a streamed fake answer: `size` bytes of one letter, a to z in turn. */
export function streamedChunk(index: number, size: number): Uint8Array {
    return new Uint8Array(size).fill(97 + (index % 26));
}

export interface ApiScenario {
    /** Answers given in order, one per request; then `fallback`. */
    script?: FakeResponse[];
    /** Default: 200 echoing the request (method, path, query, headers, body). */
    fallback?: FakeResponse;
    /** Like a real rate limiter: the first request answers 429 with Retry-After, and so does every request until this many ms have passed. */
    rateLimitMs?: number;
    /** A paginated list at GET `<path>?cursor=<offset>`: `{ items, next_cursor }` (null on the last page). */
    collection?: Collection;
}

export interface Collection {
    path: string;
    /** The list, unless `generated`. */
    items?: Record<string, unknown>[];
    /**
     * A list too large to send as `items`, made page by page: `{ id: 'item-<i>', title: 'Item <i>', version, padding }`
     * with `padding` characters of filler. Every `changedEvery`-th item (from the first) has version 2, the others 1.
     */
    generated?: { count: number; padding: number; changedEvery?: number };
    pageSize: number;
    /** Answer each page after this long (to make runs outlast a time budget). */
    delayMs?: number;
    /** Answer 500 for the page at this offset, once: a run dying mid-way. */
    failOnceAt?: number;
}

export interface RecordedRequest {
    host: string;
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body: string;
    at: number;
    status: number;
}

/** One request to the fake token endpoint, as it arrived. */
export interface TokenRequestRecord {
    contentType: string;
    /** The client id and secret of an HTTP Basic header; null when the client authenticated in the body. */
    basicAuth: { id: string; secret: string } | null;
    /** The body, parsed as its content type says. */
    params: Record<string, string>;
}

/** The fake GitHub (test/support/fake-signing-providers.ts). Configuring it returns the app's new private key. */
export interface GithubScenario {
    appId: string;
    /** Installation ids of the app that exist; its install page installs the first. */
    installations: string[];
    /** Where the install page sends the user afterwards, as the app's setup URL. */
    setupUrl?: string;
    /** Lifetime of minted tokens; default 3600. */
    tokenTtlSeconds?: number;
    /** Delay minting, to widen the window for concurrent callers. */
    tokenDelayMs?: number;
}

/** The fake OAuth 1.0a provider, also standing in for NetSuite's TBA. */
export interface Oauth1Scenario {
    consumerKey: string;
    consumerSecret: string;
    signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256';
    /** The realm every signed request must carry (NetSuite's account id). */
    realm?: string;
    /** Access tokens that exist already (NetSuite token ids), with their secrets. */
    accessTokens?: Record<string, string>;
}

/** A call the signing fakes received; `problem` says why its signature or token was refused (null: accepted). */
export interface SignedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body: string;
    problem: string | null;
}
