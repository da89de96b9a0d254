import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../workers/crypto/hashing.js';
import { REDACTED, redact } from '../../workers/crypto/redact.js';
import { createSession } from './auth-helpers.js';
import { call, expectError, newEnvironment } from './helpers.js';

let key: string;
let importRequestId: string;

/** Operations are written after the response (waitUntil); wait until `count` of them are visible. */
async function logs(query: string, count: number, k = key) {
    return vi.waitFor(async () => {
        const res = await call(`/logs${query}`, { key: k });
        expect(res.status, res.text).toBe(200);
        expect(res.json.data.length).toBeGreaterThanOrEqual(count);
        return res.json;
    });
}

beforeAll(async () => {
    ({ key } = await newEnvironment());
    await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'ai' } });
    await call('/integrations', { method: 'POST', key, body: { provider: 'openai', unique_key: 'ai' } }); // 409
    const imported = await call('/connections', {
        method: 'POST',
        key,
        body: { provider_config_key: 'ai', connection_id: 'conn-1', credentials: { type: 'API_KEY', apiKey: 'sk-never-logged' } }
    });
    importRequestId = imported.headers.get('x-request-id')!;
    await call('/connections/metadata', { method: 'PATCH', key, body: { provider_config_key: 'ai', connection_id: 'conn-1', metadata: { password: 'hunter2', region: 'eu' } } });
    await call('/connections/conn-1?provider_config_key=ai', { method: 'DELETE', key });
});

describe('operation log', () => {
    it('records every change with its outcome and timing, newest first', async () => {
        const { data } = await logs('', 6);
        expect(data.map((o: { type: string; action: string; status: string }) => `${o.type}.${o.action}:${o.status}`)).toEqual([
            'connection.delete:success',
            'connection.metadata.merge:success',
            'connection.import:success',
            'integration.create:failed',
            'integration.create:success',
            'environment.create:success'
        ]);
        const failed = data[3];
        expect(failed).toMatchObject({ http_status: 409, error: { code: 'integration_already_exists' }, integration_key: 'ai', method: 'POST', path: '/integrations' });
        const imported = data[2];
        expect(imported).toMatchObject({ connection_id: 'conn-1', integration_key: 'ai', request_id: importRequestId, meta: { credentials_type: 'API_KEY', created: true } });
        expect(imported.duration_ms).toBeGreaterThanOrEqual(0);
        expect(imported.started_at).toMatch(/\+00:00$/);
    });

    it('never stores secrets', async () => {
        await logs('', 6);
        const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM operations').all()).results);
        expect(dump).not.toContain('sk-never-logged');
        expect(dump).not.toContain('hunter2');
    });

    it('filters by connection, integration, type, status and time', async () => {
        expect((await logs('?connection_id=conn-1', 3)).data).toHaveLength(3);
        expect((await logs('?integration_key=ai&type=integration', 2)).data).toHaveLength(2);
        expect((await logs('?type=connection,integration&status=failed', 1)).data.map((o: { action: string }) => o.action)).toEqual(['create']);
        const future = new Date(Date.now() + 60_000).toISOString();
        expect((await call(`/logs?from=${future}`, { key })).json.data).toEqual([]);
        expect((await logs(`?to=${future}`, 6)).data).toHaveLength(6);
    });

    it('pages with an opaque cursor', async () => {
        await logs('', 6);
        const seen: string[] = [];
        let cursor: string | null = '';
        do {
            const page: { data: { id: string }[]; next_cursor: string | null } = (await call(`/logs?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key })).json;
            expect(page.data.length).toBeLessThanOrEqual(2);
            seen.push(...page.data.map((o) => o.id));
            cursor = page.next_cursor;
        } while (cursor);
        expect(seen).toHaveLength(6);
        expect(new Set(seen).size).toBe(6);
        expectError(await call('/logs?cursor=garbage', { key }), 400, 'invalid_query_params');
    });

    it('is private to each environment', async () => {
        const other = await newEnvironment();
        const theirs = (await logs('', 1, other.key)).data;
        expect(theirs.map((o: { type: string; action: string }) => `${o.type}.${o.action}`)).toEqual(['environment.create']);
    });
});

describe('routes that change something outside the main API', () => {
    it('log ending a connect session and uploading a bundle', async () => {
        const other = await newEnvironment();
        const token = await createSession(other.key);
        expect((await call('/connect/session', { method: 'DELETE', key: token })).status).toBe(204);
        const code = 'export default {};';
        const hash = await sha256Hex(code);
        const upload = () => call(`/functions/bundles/${hash}`, { method: 'PUT', key: other.key, body: code, headers: { 'content-type': 'application/javascript' } });
        expect((await upload()).status).toBe(201);
        expect((await upload()).status).toBe(200);
        expectError(await call(`/functions/bundles/${'0'.repeat(64)}`, { method: 'PUT', key: other.key, body: code, headers: { 'content-type': 'application/javascript' } }), 400, 'bundle_hash_mismatch');

        const { data } = await logs('?type=auth,deployment', 5, other.key);
        expect(data.map((o: { type: string; action: string; status: string }) => `${o.type}.${o.action}:${o.status}`)).toEqual([
            'deployment.bundle.upload:failed',
            'deployment.bundle.upload:success',
            'deployment.bundle.upload:success',
            'auth.connect_session.delete:success',
            'auth.connect_session.create:success'
        ]);
        expect(data[0]).toMatchObject({ http_status: 400, error: { code: 'bundle_hash_mismatch' } });
        expect(data[1].meta).toEqual({ hash, size: code.length, created: false });
        expect(data[2].meta).toEqual({ hash, size: code.length, created: true });
        expect(data[3]).toMatchObject({ method: 'DELETE', path: '/connect/session', http_status: 204, meta: { end_user_id: 'user-1' } });
    });
});

describe('redact', () => {
    it('replaces secret-looking fields at any depth and keeps descriptive ones', () => {
        expect(
            redact({ apiKey: 'a', nested: [{ client_secret: 'b', Authorization: 'c', ok: 1 }], access_token: 'd', token_url: 'https://x', credentials_type: 'OAUTH2' })
        ).toEqual({ apiKey: REDACTED, nested: [{ client_secret: REDACTED, Authorization: REDACTED, ok: 1 }], access_token: REDACTED, token_url: 'https://x', credentials_type: 'OAUTH2' });
    });
});
