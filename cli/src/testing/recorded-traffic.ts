import { STATUS_CODES } from 'node:http';
import type { HostResponse } from '../../../functions-runtime/host-contract.js';
import { explainMiss, matches, type RecordedIdentity, recordedIdentity, type RequestIdentity } from './request-matching.js';
import type { RecordedRequest } from './test-file.js';

type Kind = 'proxy' | 'fetch';

interface Entry extends RecordedIdentity {
    kind: Kind;
    response: RecordedRequest['response'];
    uses: number;
}

// The recorded body is served re-serialised and uncompressed, so its original framing headers would lie.
const FRAMING_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding']);

/**
 * A test file's recorded requests, answering the function's calls. Among the recordings that
 * match a call, the first unused one answers; once all are used, the last keeps answering. As in
 * Nango's tests, a call without query parameters that matches nothing gets the one recording of
 * its method and path, if there is exactly one.
 */
export class RecordedTraffic {
    readonly #entries: Entry[];
    /** One explanation per call that nothing answered. */
    readonly misses: string[] = [];

    constructor(requests: RecordedRequest[]) {
        this.#entries = requests.map((request) => ({
            kind: request.endpoint === undefined ? 'fetch' : 'proxy',
            identity: recordedIdentity(request),
            hasBody: request.body !== undefined,
            response: request.response,
            uses: 0
        }));
    }

    /** The recorded answer, or undefined after noting the miss. */
    answer(kind: Kind, actual: RequestIdentity): HostResponse | undefined {
        const ofKind = this.#entries.filter((entry) => entry.kind === kind);
        const candidates = ofKind.filter((entry) => matches(entry.identity, actual, entry.hasBody));
        const samePath = ofKind.filter((entry) => entry.identity.method === actual.method && entry.identity.path === actual.path);
        const entry =
            candidates.find((candidate) => candidate.uses === 0) ?? candidates.at(-1) ?? (Object.keys(actual.params).length === 0 && samePath.length === 1 ? samePath[0] : undefined);
        if (!entry) {
            this.misses.push(explainMiss(actual, ofKind));
            return undefined;
        }
        entry.uses++;
        return hostResponse(entry.response);
    }

    /** Recorded requests the run never made. */
    unused(): RequestIdentity[] {
        return this.#entries.filter((entry) => entry.uses === 0).map((entry) => entry.identity);
    }
}

function hostResponse(response: RecordedRequest['response']): HostResponse {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers ?? {})) if (!FRAMING_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    let text = '';
    if (typeof response.body === 'string') text = response.body;
    else if (response.body !== undefined) {
        text = JSON.stringify(response.body);
        headers['content-type'] ??= 'application/json';
    }
    return { status: response.status, statusText: STATUS_CODES[response.status] ?? '', headers, body: new TextEncoder().encode(text).buffer };
}
