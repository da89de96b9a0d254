// `nango.proxy()` and `nango.uncontrolledFetch()`: function code's options become plain-data host
// requests, and host answers become Axios-shaped responses or WHATWG Responses.
import type { HttpResponse, ProxyConfiguration, UncontrolledFetchOptions } from '../sdk/http.js';
import type { FunctionHost, HostFetchRequest, HostProxyRequest, HostResponse, HttpMethod, RetryHeader } from '../host-contract.js';
import { toAxiosResponse } from './axios-shape.js';
import { SdkError } from './sdk-error.js';

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
// Statuses whose Response must not have a body (the constructor throws otherwise).
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

function methodOf(method: string | undefined): HttpMethod {
    const upper = (method ?? 'GET').toUpperCase();
    if (!METHODS.has(upper)) throw new SdkError('invalid_proxy_config', `Unsupported HTTP method "${method}"`);
    return upper as HttpMethod;
}

function headersOf(headers: Record<string, unknown> | undefined): Record<string, string> | undefined {
    if (!headers) return undefined;
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[name] = String(value);
    return out;
}

/** Bytes cross RPC as an ArrayBuffer (Buffer and typed arrays are views); URLSearchParams are sent as a form, like Axios does. */
function bodyOf(data: unknown, headers: Record<string, string> | undefined): { data: unknown; headers: Record<string, string> | undefined } {
    if (ArrayBuffer.isView(data)) return { data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), headers };
    if (data instanceof URLSearchParams) {
        const hasType = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
        return { data: data.toString(), headers: hasType ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' } };
    }
    return { data, headers };
}

export async function proxy(host: FunctionHost, config: ProxyConfiguration): Promise<HttpResponse> {
    if (typeof config?.endpoint !== 'string') throw new SdkError('invalid_proxy_config', 'A proxy call needs an `endpoint` string');
    const method = methodOf(config.method);
    const { data, headers } = bodyOf(config.data, headersOf(config.headers));
    const request: HostProxyRequest = { method, endpoint: config.endpoint };
    if (config.baseUrlOverride !== undefined) request.baseUrlOverride = config.baseUrlOverride;
    if (config.params !== undefined) request.params = config.params;
    if (headers !== undefined) request.headers = headers;
    if (data !== undefined) request.data = data;
    if (config.retries !== undefined) request.retries = config.retries;
    if (config.retryOn) request.retryOn = config.retryOn;
    if (config.decompress !== undefined) request.decompress = config.decompress;
    if (config.retryHeader) request.retryHeader = retryHeaderOf(config.retryHeader);
    if (config.forwardHeadersOnRedirect !== undefined) request.forwardHeadersOnRedirect = config.forwardHeadersOnRedirect === true;
    if (config.providerConfigKey !== undefined) request.providerConfigKey = config.providerConfigKey;
    if (config.connectionId !== undefined) request.connectionId = config.connectionId;
    const response = await host.proxy(request);
    return toAxiosResponse(response, { ...config, method: method.toLowerCase() as Lowercase<HttpMethod> });
}

function retryHeaderOf(config: unknown): RetryHeader {
    const header: RetryHeader = {};
    for (const field of ['at', 'after'] as const) {
        const name = (config as Record<string, unknown>)[field];
        if (name === undefined) continue;
        if (typeof name !== 'string' || !name) throw new SdkError('invalid_proxy_config', `retryHeader.${field} must be a header name`);
        header[field] = name;
    }
    return header;
}

export async function uncontrolledFetch(host: FunctionHost, options: UncontrolledFetchOptions): Promise<Response> {
    const { data, headers } = bodyOf(options.body ?? undefined, headersOf(options.headers));
    const request: HostFetchRequest = { url: String(options.url), method: methodOf(options.method) };
    if (headers !== undefined) request.headers = headers;
    if (data !== undefined) request.body = data as string | ArrayBuffer;
    return toFetchResponse(await host.uncontrolledFetch(request));
}

function toFetchResponse(res: HostResponse): Response {
    return new Response(NULL_BODY_STATUSES.has(res.status) ? null : res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
