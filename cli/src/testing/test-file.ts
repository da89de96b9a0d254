import { z } from 'zod';

// Spoke's recorded test file, `<integration>/tests/<function>.test.json`; docs/functions-testing.md
// describes it. Everything the run needs from outside comes from the file.

const json = z.unknown();
const jsonObject = z.record(z.string(), z.unknown());
const recordsByModel = z.record(z.string(), z.array(jsonObject));

const recordedResponse = z.strictObject({
    status: z.number().int().min(100).max(599).default(200),
    headers: z.record(z.string(), z.string()).optional(),
    /** JSON, or a string sent as is. */
    body: json.optional()
});

const recordedRequestSchema = z
    .strictObject({
        method: z.string().transform((method) => method.toUpperCase()),
        /** A `nango.proxy()` call: the path (and optional query) below the provider's base URL. */
        endpoint: z.string().optional(),
        /** A `nango.uncontrolledFetch()` call: the full URL. */
        url: z.string().optional(),
        params: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
        /** Compared only when recorded; a string `sha1:<hex>` matches a body of that SHA-1 (Nango's large bodies). */
        body: json.optional(),
        /** Compared only when recorded, and only these headers. */
        headers: z.record(z.string(), z.string()).optional(),
        response: recordedResponse
    })
    .refine((r) => (r.endpoint === undefined) !== (r.url === undefined), 'a request has either an `endpoint` (proxy) or a `url` (uncontrolledFetch)');

const expectation = z.strictObject({
    output: json.optional(),
    records: recordsByModel.optional(),
    deletes: recordsByModel.optional(),
    updates: recordsByModel.optional(),
    metadata: jsonObject.nullable().optional(),
    checkpoint: jsonObject.nullable().optional(),
    error: z.object({ type: z.string(), message: z.string().optional(), payload: json.optional() }).optional()
});

export const testFileSchema = z.strictObject({
    /** The action's input, or the webhook payload when `trigger` is `webhook`. */
    input: json.optional(),
    /** `webhook` runs a sync's onWebhook handler with `input` as the payload instead of its exec. */
    trigger: z.literal('webhook').optional(),
    /** Merged over a default connection (id `test-connection`, provider = the integration's folder). */
    connection: jsonObject.optional(),
    metadata: jsonObject.nullable().optional(),
    checkpoint: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable().optional(),
    last_sync_date: z.string().optional(),
    environment_variables: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    /** Records already stored, which `getRecordsByIds` and `listRecords` read and `trackDeletesEnd` may delete. */
    stored_records: recordsByModel.optional(),
    requests: z.array(recordedRequestSchema).default([]),
    expect: expectation.default({})
});

export type TestFile = z.infer<typeof testFileSchema>;
export type RecordedRequest = z.infer<typeof recordedRequestSchema>;
export type Expectation = z.infer<typeof expectation>;
