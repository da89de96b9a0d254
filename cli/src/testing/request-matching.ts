import { createHash } from 'node:crypto';
import { type HostFetchRequest, type HostProxyRequest, queryEntries } from '../../../functions-runtime/host-contract.js';
import { jsonDiff, jsonRoundTrip } from './json-diff.js';
import type { RecordedRequest } from './test-file.js';

/** A request reduced to what identifies it: method, path, query parameters, body and headers. */
export interface RequestIdentity {
    method: string;
    /** A proxy endpoint without its leading slash and query, or a full URL without its query. */
    path: string;
    /** The query, names sorted; a name sent more than once has its values in order. */
    params: Record<string, string | string[]>;
    body: unknown;
    headers: Record<string, string>;
}

export function proxyIdentity(request: HostProxyRequest): RequestIdentity {
    return identity(request.method, request.endpoint.replace(/^\/+/, ''), request.params, request.data, request.headers);
}

export function fetchIdentity(request: HostFetchRequest): RequestIdentity {
    return identity(request.method ?? 'GET', request.url, undefined, request.body, request.headers);
}

/** The identity a recorded request stands for. */
export function recordedIdentity(recorded: RecordedRequest): RequestIdentity {
    const path = recorded.endpoint === undefined ? recorded.url! : recorded.endpoint.replace(/^\/+/, '');
    return identity(recorded.method, path, recorded.params as HostProxyRequest['params'], recorded.body, recorded.headers);
}

function identity(method: string, target: string, params: HostProxyRequest['params'], body: unknown, headers: Record<string, string> | undefined): RequestIdentity {
    const [path, query] = splitQuery(target);
    return {
        method: method.toUpperCase(),
        path,
        // The query the platform would send (the recorded side is read the same way).
        params: byName(queryEntries(params, query)),
        body: normalBody(body),
        headers: Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]))
    };
}

function splitQuery(target: string): [string, string] {
    const mark = target.indexOf('?');
    return mark < 0 ? [target, ''] : [target.slice(0, mark), target.slice(mark + 1)];
}

function byName(entries: [string, string][]): Record<string, string | string[]> {
    const params: Record<string, string | string[]> = {};
    // A stable sort: the values of one name keep their order.
    for (const [name, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const previous = params[name];
        params[name] = previous === undefined ? value : [previous, value].flat();
    }
    return params;
}

/** The body as it goes over the wire: bytes as text, structured data as JSON would carry it; an empty body is no body. */
function normalBody(body: unknown): unknown {
    if (body instanceof ArrayBuffer) return normalBody(new TextDecoder().decode(body));
    if (body === '' || body === null || body === undefined) return undefined;
    return typeof body === 'string' ? body : jsonRoundTrip(body);
}

/** Whether a recorded request answers an actual one; the recorded side's body and headers count only when recorded. */
export function matches(recorded: RequestIdentity, actual: RequestIdentity, recordedBody: boolean): boolean {
    if (recorded.method !== actual.method || recorded.path !== actual.path) return false;
    if (jsonDiff(recorded.params, actual.params).length > 0) return false;
    if (recordedBody && !bodiesMatch(recorded.body, actual.body)) return false;
    return Object.entries(recorded.headers).every(([name, value]) => actual.headers[name] === value);
}

/**
 * Bodies match when they are the same JSON; a string on one side is read as JSON when the other
 * is structured. Nango records bodies over 1,000 characters as `sha1:<hex>` of their text.
 */
function bodiesMatch(recorded: unknown, actual: unknown): boolean {
    const text = typeof actual === 'string' ? actual : actual === undefined ? '' : JSON.stringify(actual);
    if (typeof recorded === 'string' && /^sha1:[0-9a-f]{40}$/.test(recorded)) return recorded === `sha1:${createHash('sha1').update(text).digest('hex')}`;
    return jsonDiff(asJson(recorded, actual), asJson(actual, recorded)).length === 0;
}

function asJson(value: unknown, other: unknown): unknown {
    if (typeof value !== 'string' || typeof other === 'string') return value;
    try {
        return JSON.parse(value) as unknown;
    } catch {
        return value;
    }
}

/** `GET repos/o/r/issues?page=2`, for messages. */
export function describeRequest(request: RequestIdentity): string {
    const query = new URLSearchParams(Object.entries(request.params).flatMap(([name, values]) => [values].flat().map((value): [string, string] => [name, value]))).toString();
    return `${request.method} ${request.path}${query ? `?${query}` : ''}`;
}

/** A recorded request as the matcher sees it: its identity, and whether it recorded a body to compare. */
export interface RecordedIdentity {
    identity: RequestIdentity;
    hasBody: boolean;
}

/** Why no recorded request answers `actual`: how the closest ones differ, or what was recorded at all. */
export function explainMiss(actual: RequestIdentity, recorded: RecordedIdentity[]): string {
    const lines = [`${describeRequest(actual)} was not recorded.`];
    const samePath = recorded.filter(({ identity }) => identity.method === actual.method && identity.path === actual.path);
    if (samePath.length === 0) {
        lines.push(recorded.length ? 'Recorded requests:' : 'The file records no requests.');
        for (const { identity } of recorded.slice(0, 10)) lines.push(`  ${describeRequest(identity)}`);
        if (recorded.length > 10) lines.push(`  … and ${recorded.length - 10} more`);
        return lines.join('\n');
    }
    lines.push(`The recorded ${actual.method} ${actual.path} requests differ (expected: recorded, got: asked):`);
    samePath.slice(0, 5).forEach(({ identity, hasBody }, index) => {
        const recordedSide = { params: identity.params, headers: identity.headers, ...(hasBody && { body: identity.body }) };
        const actualSide = { params: actual.params, headers: pick(actual.headers, Object.keys(identity.headers)), ...(hasBody && { body: actual.body }) };
        lines.push(`  #${index + 1} ${jsonDiff(recordedSide, actualSide).slice(0, 8).join('\n     ')}`);
    });
    return lines.join('\n');
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
    return Object.fromEntries(names.filter((name) => name in headers).map((name) => [name, headers[name]!]));
}
