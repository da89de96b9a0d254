// Types of the HTTP side of `nango`: what function code passes to proxy/get/post/…/paginate and
// what it gets back. Shapes follow Axios, which Nango-style functions are written against.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
type AnyCaseMethod = HttpMethod | Lowercase<HttpMethod>;

/** Query parameters: an object (array values are comma-joined) or a raw query string. */
export type ProxyParams = string | Record<string, string | number | boolean | (string | number)[] | undefined>;

/** Called after each page with what the next request will use and the page's response. */
export type OnPage = (page: { nextPageParam?: string | number | undefined; response: HttpResponse }) => Promise<void> | void;

/**
 * Pagination settings. Each field overrides the provider's default paginator; `type` may come
 * from that default. Field names are the provider catalog's (providers/schema.ts) plus `limit`
 * and `in_body`.
 */
export interface PaginationConfig {
    type?: 'cursor' | 'link' | 'offset' | (string & {});
    /** Dot path to the array of items in the response body; the body itself when absent. */
    response_path?: string;
    /** Page size, written once into the first request under `limit_name_in_request`. */
    limit?: number | string;
    limit_name_in_request?: string;
    /** Where pagination parameters go; by default the body for POST, PUT and PATCH, else the query. */
    in_body?: boolean;
    on_page?: OnPage;
    // cursor
    cursor_path_in_response?: string;
    cursor_name_in_request?: string;
    // link
    link_rel_in_response_header?: string;
    link_path_in_response_body?: string;
    // offset
    offset_name_in_request?: string;
    offset_start_value?: number;
    /** `per-page` counts pages (1, 2, 3…) instead of items. */
    offset_calculation_method?: 'by-response-size' | 'per-page';
}

export interface RetryHeaderConfig {
    at?: string;
    after?: string;
}

export interface ProxyConfiguration {
    /** Path (and optional query) below the provider's base URL. */
    endpoint: string;
    method?: AnyCaseMethod;
    baseUrlOverride?: string;
    params?: ProxyParams;
    headers?: Record<string, string | number | boolean | undefined>;
    /** An object is sent as JSON, a string as is, bytes as bytes, URLSearchParams as a form. */
    data?: unknown;
    /** Retries on network errors, 5xx, 429, 401 and the provider's own retry statuses. */
    retries?: number;
    /** Extra statuses to retry; needs `retries`. */
    retryOn?: number[] | null;
    /** Response headers that say how long to wait before a retry, instead of the provider's: `at` holds a Unix time, `after` seconds. */
    retryHeader?: RetryHeaderConfig;
    /** Keep the headers on a redirect that leaves the provider's API hosts; credentials never go there. */
    forwardHeadersOnRedirect?: boolean;
    /** How `data` is read: parsed JSON when it parses (default), text, or bytes. */
    responseType?: 'json' | 'text' | 'arraybuffer';
    decompress?: boolean;
    paginate?: PaginationConfig;
    /** Call through another connection of the same environment. */
    providerConfigKey?: string;
    connectionId?: string;
}

/** An Axios-shaped response. */
export interface HttpResponse<T = any> {
    data: T;
    status: number;
    statusText: string;
    /** Lower-case header names. */
    headers: Record<string, string>;
    config: ProxyConfiguration & Record<string, unknown>;
    request: Record<string, never>;
}

/** What non-2xx answers throw: an Axios-shaped error (`axios.isAxiosError(error)` is true). */
export interface HttpError<T = any> extends Error {
    readonly isAxiosError: true;
    readonly name: 'AxiosError';
    readonly code: 'ERR_BAD_REQUEST' | 'ERR_BAD_RESPONSE';
    readonly status: number;
    readonly config: HttpResponse['config'];
    readonly response: HttpResponse<T>;
    readonly request: Record<string, never>;
    toJSON(): Record<string, unknown>;
}

export interface UncontrolledFetchOptions {
    url: URL | string;
    method?: AnyCaseMethod;
    headers?: Record<string, string>;
    body?: string | ArrayBuffer | ArrayBufferView | null;
}
