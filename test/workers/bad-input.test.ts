import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { recordsShards } from '../../workers/records/records-shards.js';
import { createSession } from './auth-helpers.js';
import { call, expectError, newEnvironment } from './helpers.js';

/**
 * Every route, as /openapi.json lists it, refuses bad input with the error envelope and changes
 * nothing. Routes added later are covered without touching this file.
 */

interface Schema {
    type?: string | string[];
    enum?: string[];
    format?: string;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    exclusiveMinimum?: number;
    maximum?: number;
    example?: unknown;
}
interface Parameter {
    in: 'path' | 'query' | 'header';
    name: string;
    required?: boolean;
    schema: Schema;
}
interface Route {
    method: string;
    path: string;
    parameters: Parameter[];
    security: string[];
    bodyTypes: string[];
    /** The JSON body's schema, references resolved. */
    body?: { properties?: Record<string, Schema>; required?: string[] };
}

// Bodies that ignore unknown fields on purpose (docs/api.md): Nango's clients send extra ones,
// the legacy metadata route's body is the metadata itself, and the credential routes check extra
// fields against the provider's declared credentials.
const LENIENT_BODIES = new Set([
    'POST /action/trigger',
    'POST /sync/trigger',
    'POST /sync/start',
    'POST /sync/pause',
    'PUT /sync/update-connection-frequency',
    'POST /sync/{name}/variant/{variant}',
    'DELETE /sync/{name}/variant/{variant}',
    'POST /functions/bundles/missing',
    'POST /functions/deployments',
    'POST /functions/deployments/rollback',
    'POST /functions/dryrun',
    'PUT /environment-variables',
    'POST /connection/{connectionId}/metadata',
    'PATCH /connection/{connectionId}/metadata',
    'POST /api-auth/api-key/{providerConfigKey}',
    'POST /api-auth/basic/{providerConfigKey}'
]);

// Routes whose query parameters accept any string as far as the document says: the end-user auth
// routes take free text (and answer HTML or check it themselves), `include` is checked below.
const UNDESCRIBED_QUERIES = new Set([
    'GET /oauth/connect/{providerConfigKey}',
    'GET /oauth/callback',
    'GET /app-auth/connect',
    'POST /api-auth/api-key/{providerConfigKey}',
    'POST /api-auth/basic/{providerConfigKey}',
    'POST /oauth2/auth/{providerConfigKey}',
    'POST /auth/tba/{providerConfigKey}',
    'GET /integrations/{uniqueKey}'
]);

const OVERSIZED = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
const CANDIDATES = ['x1', 'X1', 'a'.repeat(64), 'Contact'];

/** A value the parameter accepts. */
function validValue(schema: Schema): string {
    if (schema.enum) return schema.enum[0]!;
    if (schema.format === 'uuid') return crypto.randomUUID();
    if (schema.format === 'date-time') return new Date().toISOString();
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'integer' || type === 'number') return String(schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1);
    const value = [schema.example, ...CANDIDATES].find((v): v is string => typeof v === 'string' && (!schema.pattern || new RegExp(schema.pattern).test(v)));
    if (!value) throw new Error(`no sample value for ${JSON.stringify(schema)}`);
    return value;
}

/** A value the parameter refuses, when its schema constrains it at all. */
function invalidValue(schema: Schema): string | null {
    if (schema.enum) return 'not-one-of-them';
    if (schema.format === 'uuid') return 'not-a-uuid';
    if (schema.format === 'date-time') return 'yesterday';
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'integer' || type === 'number') return 'many';
    if (schema.pattern) return 'not valid!';
    if (schema.maxLength !== undefined) return 'x'.repeat(schema.maxLength + 1);
    if (schema.minLength) return '';
    return null;
}

let key: string;
let sessionToken: string;
let routes: Route[];

beforeAll(async () => {
    ({ key } = await newEnvironment());
    sessionToken = await createSession(key);
    const doc = (await call('/openapi.json')).json;
    const resolve = (schema: { $ref?: string } | undefined) => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema);
    routes = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, op]) => ({
            method: method.toUpperCase(),
            path,
            parameters: op.parameters ?? [],
            security: (op.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s)),
            bodyTypes: Object.keys(op.requestBody?.content ?? {}),
            body: resolve(op.requestBody?.content['application/json']?.schema)
        }))
    );
});

const label = (route: Route) => `${route.method} ${route.path}`;

/** A request to the route that passes everything but what the test breaks. */
function request(route: Route, query: Record<string, string> = validQuery(route)) {
    let path = route.path;
    for (const p of route.parameters.filter((p) => p.in === 'path')) path = path.replace(`{${p.name}}`, encodeURIComponent(validValue(p.schema)));
    if (route.security.includes('connectSessionTokenQuery')) query = { ...query, connect_session_token: sessionToken };
    const search = new URLSearchParams(query).toString();
    const headers: Record<string, string> = {};
    for (const p of route.parameters.filter((p) => p.in === 'header' && p.required)) headers[p.name] = validValue(p.schema);
    const credential = route.security.includes('adminSecret') ? env.SPOKE_ADMIN_SECRET : route.security.includes('secretKey') ? key : null;
    return { url: search ? `${path}?${search}` : path, headers, key: credential };
}

/** The body's required text fields with accepted values, so that an extra field is what stands out. */
function bodySkeleton(route: Route): Record<string, unknown> {
    const fields = (route.body?.required ?? []).map((name) => [name, route.body?.properties?.[name]] as const);
    return Object.fromEntries(fields.filter(([, schema]) => schema?.type === 'string').map(([name, schema]) => [name, validValue(schema!)]));
}

function validQuery(route: Route): Record<string, string> {
    return Object.fromEntries(route.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, validValue(p.schema)]));
}

/** Row counts of every table of the control plane and of every records shard. */
async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [shard, db] of [env.DB, ...recordsShards(env)].entries()) {
        const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
        for (const { name } of results) {
            counts[`${shard}:${name}`] = (await db.prepare(`SELECT count(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
        }
    }
    return counts;
}

/**
 * Operations are written after the response. A logged request that fails in its handler (an
 * unknown integration) comes last: once its operation is there, an operation of the bad requests
 * before it would be too.
 */
async function expectNothingWritten(before: Record<string, number>) {
    const sentinel = await call('/integrations/spoke-sentinel', { method: 'DELETE', key });
    expectError(sentinel, 404, 'not_found');
    const requestId = sentinel.headers.get('x-request-id');
    await vi.waitFor(async () => expect(await env.DB.prepare('SELECT id FROM operations WHERE request_id = ?').bind(requestId).first()).not.toBeNull(), { timeout: 10_000 });
    expect(await rowCounts()).toEqual({ ...before, '0:operations': before['0:operations']! + 1 });
}

describe('bad bodies', () => {
    // One pass over every route: slow on a busy machine.
    it('are refused with the error envelope on every route with a JSON body, changing nothing', { timeout: 120_000 }, async () => {
        const jsonRoutes = routes.filter((r) => r.bodyTypes.includes('application/json'));
        expect(jsonRoutes.length).toBeGreaterThan(30);
        for (const route of jsonRoutes) {
            const { url, headers, key } = request(route);
            const send = (body: string, contentType = 'application/json') => call(url, { method: route.method, key, body, headers: { ...headers, 'content-type': contentType } });
            const before = await rowCounts();

            const notJson = await send('provider=github', 'text/plain');
            expect(notJson.status, label(route)).toBe(415);
            expectError(notJson, 415, 'invalid_content_type');
            expectError(await send('{"broken": '), 400, 'invalid_json');
            expectError(await send(OVERSIZED), 413, 'payload_too_large');
            const wrongType = await send('"a string"');
            expect(wrongType.json?.error?.code, `${label(route)}: ${wrongType.text}`).toBe('invalid_body');
            expect(wrongType.status).toBe(400);
            expect(wrongType.json.error.errors.length).toBeGreaterThan(0);
            if (!LENIENT_BODIES.has(label(route))) {
                const unknownField = await send(JSON.stringify({ ...bodySkeleton(route), spoke_unknown_field: 1 }));
                expect(unknownField.json?.error?.code, `${label(route)}: ${unknownField.text}`).toBe('invalid_body');
                expect(unknownField.json.error.errors.map((e: { code: string }) => e.code), label(route)).toContain('unrecognized_keys');
            }
            await expectNothingWritten(before);
        }
    });
});

describe('bad query parameters', () => {
    it('are refused with 400 invalid_query_params on every route that takes them, changing nothing', { timeout: 120_000 }, async () => {
        const tested: string[] = [];
        for (const route of routes.filter((r) => r.parameters.some((p) => p.in === 'query'))) {
            const before = await rowCounts();
            for (const param of route.parameters.filter((p) => p.in === 'query')) {
                const bad = invalidValue(param.schema);
                const query = validQuery(route);
                if (bad !== null) query[param.name] = bad;
                else if (param.required) delete query[param.name];
                else continue;
                const { url, headers, key } = request(route, query);
                const res = await call(url, { method: route.method, key, headers });
                expect(res.json?.error?.code, `${label(route)} ?${param.name}=${bad}: ${res.text}`).toBe('invalid_query_params');
                expect(res.status).toBe(400);
                expect(res.json.error.errors[0].path).toEqual([param.name]);
                tested.push(label(route));
            }
            await expectNothingWritten(before);
        }
        const untested = routes.filter((r) => r.parameters.some((p) => p.in === 'query') && !tested.includes(label(r))).map(label);
        expect(new Set(untested)).toEqual(UNDESCRIBED_QUERIES);
    });

    it('are checked past what the document can express', async () => {
        expectError(await call('/integrations/x1?include=everything', { key }), 400, 'invalid_query_params');
        expectError(await call('/connections?tags[not a key]=x', { key }), 400, 'invalid_query_params');
        expectError(await call('/logs?type=nope', { key }), 400, 'invalid_query_params');
        expectError(await call('/logs?cursor=garbage', { key }), 400, 'invalid_query_params');
    });
});
