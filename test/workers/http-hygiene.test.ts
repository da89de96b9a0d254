import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, call, expectError, newEnvironment } from './helpers.js';

let key: string;
beforeAll(async () => {
    ({ key } = await newEnvironment());
});

describe('HTTP hygiene', () => {
    it('tags every response with a request id, and keeps a safe incoming one', async () => {
        const fresh = await call('/health');
        expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        const kept = await call('/health', { headers: { 'x-request-id': 'trace-123' } });
        expect(kept.headers.get('x-request-id')).toBe('trace-123');
        const replaced = await call('/health', { headers: { 'x-request-id': 'bad id <script>' } });
        expect(replaced.headers.get('x-request-id')).not.toContain('bad');
        const error = await call('/integrations');
        expect(error.status).toBe(401);
        expect(error.headers.get('x-request-id')).toBeTruthy();
    });

    it('answers unknown routes with the error envelope', async () => {
        expectError(await call('/nope', { key }), 404, 'not_found');
    });

    it('rejects a body that is not JSON with 415', async () => {
        const res = await call('/integrations', { method: 'POST', key, body: 'provider=github', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        expectError(res, 415, 'invalid_content_type');
    });

    it('rejects malformed JSON with 400 invalid_json', async () => {
        expectError(await call('/integrations', { method: 'POST', key, body: '{"provider": ' }), 400, 'invalid_json');
    });

    it('rejects oversized bodies with 413', async () => {
        const big = JSON.stringify({ provider: 'github', unique_key: 'gh', display_name: 'x'.repeat(3 * 1024 * 1024) });
        expectError(await call('/integrations', { method: 'POST', key, body: big }), 413, 'payload_too_large');
    });

    it('reports zod failures with errors[] and paths', async () => {
        const res = await call('/integrations', { method: 'POST', key, body: { unique_key: 'has space' } });
        expectError(res, 400, 'invalid_body');
        const paths = res.json.error.errors.map((e: { path: string[] }) => e.path.join('.'));
        expect(paths).toEqual(expect.arrayContaining(['provider', 'unique_key']));
    });

    it('rejects unknown body fields', async () => {
        const res = await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'gh', colour: 'red' } });
        expectError(res, 400, 'invalid_body');
    });

    it('reports bad query parameters as invalid_query_params', async () => {
        expectError(await call('/connections?limit=0', { key }), 400, 'invalid_query_params');
        expectError(await call('/logs?type=nope', { key }), 400, 'invalid_query_params');
    });

    it('tolerates a trailing slash', async () => {
        const res = await call('/integrations/', { key });
        expect(res.status).toBe(200);
        expect(res.json.data).toEqual([]);
    });

    it('answers CORS preflights for browser callers', async () => {
        const res = await exports.default.fetch(
            new Request(`${BASE}/connections`, {
                method: 'OPTIONS',
                headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
            })
        );
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    });

    it('serves an OpenAPI 3.1 document generated from the routes', async () => {
        const res = await call('/openapi.json');
        expect(res.status).toBe(200);
        expect(res.json.openapi).toBe('3.1.0');
        const paths = ['/integrations', '/integrations/{uniqueKey}', '/connections', '/connections/{connectionId}', '/connections/metadata', '/providers', '/logs', '/admin/environments'];
        for (const path of [...paths, '/proxy/{path}', '/action/trigger', '/action/{id}', '/functions/deployments', '/functions/dryrun', '/scripts/config']) {
            expect(res.json.paths, path).toHaveProperty([path]);
        }
        expect(res.json.paths['/connections'].post.requestBody.content['application/json'].schema).toBeTruthy();
        expect(res.json.components.securitySchemes.secretKey.scheme).toBe('bearer');
    });
});
