// Upstream answers as Axios responses and errors: Nango-style functions read `response.status`,
// `error.response.data` and call `axios.isAxiosError(error)`, which checks `isAxiosError === true`.
import type { HttpError, HttpResponse, ProxyConfiguration } from '../sdk/http.js';
import type { HostResponse, RunError } from '../host-contract.js';

type ResponseConfig = HttpResponse['config'];
type Upstream = NonNullable<RunError['upstream']>;

// Node's Buffer, where the runtime has one (Node, and workerd with nodejs_compat).
const NodeBuffer = (globalThis as { Buffer?: { from(bytes: ArrayBuffer): Uint8Array } }).Buffer;

/** What the platform reports for an uncaught HTTP error, keyed by the error; also how runFunction recognises our errors. */
const upstreams = new WeakMap<object, Upstream>();

export function upstreamOf(error: unknown): Upstream | undefined {
    return typeof error === 'object' && error !== null ? upstreams.get(error) : undefined;
}

/** Axios' default: JSON when the body parses as JSON, else the text. */
function parsedOrText(body: ArrayBuffer): unknown {
    const text = new TextDecoder().decode(body);
    if (text === '') return text;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function dataOf(body: ArrayBuffer, responseType: ProxyConfiguration['responseType']): unknown {
    // Axios on Node, which functions were written against, gives a Buffer for `arraybuffer`.
    if (responseType === 'arraybuffer') return NodeBuffer ? NodeBuffer.from(body) : body;
    if (responseType === 'text') return new TextDecoder().decode(body);
    return parsedOrText(body);
}

/** The Axios-shaped response, or, for a non-2xx status, the Axios-shaped error thrown. */
export function toAxiosResponse(res: HostResponse, config: ResponseConfig): HttpResponse {
    const response: HttpResponse = {
        data: dataOf(res.body, config.responseType),
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
        config,
        request: {}
    };
    if (res.status >= 200 && res.status < 300) return response;
    const error = new AxiosShapedError(response);
    upstreams.set(error, { status: res.status, headers: res.headers, data: parsedOrText(res.body) });
    throw error;
}

class AxiosShapedError extends Error implements HttpError {
    readonly isAxiosError = true;
    override readonly name = 'AxiosError';
    readonly code: HttpError['code'];
    readonly status: number;
    readonly config: ResponseConfig;
    readonly request = {};

    constructor(readonly response: HttpResponse) {
        super(`Request failed with status code ${response.status}`);
        this.code = response.status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST';
        this.status = response.status;
        this.config = response.config;
    }

    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, code: this.code, status: this.status, config: this.config, stack: this.stack };
    }
}
