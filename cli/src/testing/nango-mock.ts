import { z } from 'zod';
import type { Expectation, RecordedRequest, TestFile } from './test-file.js';

// Nango's unified mock file (`<integration>/tests/<function>.test.json` with an `api` key), read
// directly. Mapping to Spoke's format:
//   input                      → input
//   output                     → expect.output
//   nango.getConnection        → connection
//   nango.getMetadata          → metadata
//   nango.batchSave            → expect.records
//   nango.batchDelete          → expect.deletes
//   api.<method>.<endpoint>    → requests[] (one per entry): entry.request.params → params,
//                                entry.request.data → body, entry.request.headers → headers,
//                                entry.status/headers/response → response.
// The entry's `hash` is not needed: requests are matched field by field. Other `nango` keys
// (updateMetadata, trackDeletes…) record calls that tests do not check.

const recordsByModel = z.record(z.string(), z.array(z.record(z.string(), z.unknown())));

const entrySchema = z.object({
    response: z.unknown().optional(),
    status: z.number().int().optional(),
    headers: z.record(z.string(), z.unknown()).optional(),
    request: z
        .object({
            params: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
            headers: z.record(z.string(), z.unknown()).optional(),
            data: z.unknown().optional()
        })
        .optional()
});

const nangoMockSchema = z.object({
    input: z.unknown().optional(),
    output: z.unknown().optional(),
    nango: z
        .object({
            getConnection: z.record(z.string(), z.unknown()).nullable().optional(),
            getMetadata: z.record(z.string(), z.unknown()).nullable().optional(),
            batchSave: recordsByModel.optional(),
            batchDelete: recordsByModel.optional()
        })
        .default({}),
    api: z.record(z.string(), z.record(z.string(), z.union([entrySchema, z.array(entrySchema)])))
});

type NangoEntry = z.infer<typeof entrySchema>;

export function isNangoMock(raw: unknown): boolean {
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'api' in raw;
}

export function fromNangoMock(raw: unknown): TestFile {
    const parsed = nangoMockSchema.safeParse(raw);
    if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
    const mock = parsed.data;
    const requests: RecordedRequest[] = [];
    for (const [method, endpoints] of Object.entries(mock.api)) {
        for (const [endpoint, entries] of Object.entries(endpoints)) {
            for (const entry of Array.isArray(entries) ? entries : [entries]) requests.push(recordedRequest(method, endpoint, entry));
        }
    }
    const expect: Expectation = {};
    if ('output' in (raw as object)) expect.output = mock.output;
    if (mock.nango.batchSave) expect.records = mock.nango.batchSave;
    if (mock.nango.batchDelete) expect.deletes = mock.nango.batchDelete;
    return {
        ...(mock.input !== undefined && { input: mock.input }),
        ...(mock.nango.getConnection && { connection: mock.nango.getConnection }),
        ...(mock.nango.getMetadata !== undefined && { metadata: mock.nango.getMetadata }),
        requests,
        expect
    };
}

function recordedRequest(method: string, endpoint: string, entry: NangoEntry): RecordedRequest {
    return {
        method: method.toUpperCase(),
        endpoint,
        ...(entry.request?.params !== undefined && { params: entry.request.params }),
        ...(entry.request?.data !== undefined && { body: entry.request.data }),
        ...(entry.request?.headers && { headers: stringValues(entry.request.headers) }),
        response: { status: entry.status ?? 200, ...(entry.headers && { headers: stringValues(entry.headers) }), body: entry.response }
    };
}

/** Header values as strings; repeated headers were recorded as arrays. */
function stringValues(headers: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

/** Writes a run's results back into a Nango mock file, in Nango's own keys. */
export function updateNangoMock(raw: Record<string, unknown>, actual: { type: 'sync' | 'action' | 'on-event'; output: unknown; records: Record<string, unknown[]>; deletes: Record<string, unknown[]> }): Record<string, unknown> {
    const updated = { ...raw };
    if (actual.type === 'action') {
        if (actual.output === undefined) delete updated.output;
        else updated.output = actual.output;
    }
    if (actual.type === 'sync') {
        const nango = { ...(raw.nango as Record<string, unknown> | undefined) };
        nango.batchSave = actual.records;
        if ('batchDelete' in nango || Object.keys(actual.deletes).length > 0) nango.batchDelete = actual.deletes;
        updated.nango = nango;
    }
    return updated;
}
