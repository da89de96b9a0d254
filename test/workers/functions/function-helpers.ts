import { expect } from 'vitest';
import { call } from '../helpers.js';

export interface TestFunction {
    integration: string;
    name: string;
    type: 'sync' | 'action' | 'on-event';
    code: string;
    config?: Record<string, unknown>;
}

const DEFAULT_CONFIG: Record<TestFunction['type'], Record<string, unknown>> = {
    action: { description: 'test action' },
    sync: { description: 'test sync', frequency: 'every hour', models: { Item: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } },
    'on-event': { description: 'test event', event: 'post-connection-creation' }
};

export async function sha256Hex(text: string): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What `spoke deploy` does: upload the missing bundles, then deploy the set. */
export async function deploy(key: string, functions: TestFunction[], message?: string) {
    const withHashes = await Promise.all(functions.map(async (f) => ({ ...f, hash: await sha256Hex(f.code) })));
    const missing = await call('/functions/bundles/missing', { method: 'POST', key, body: { hashes: withHashes.map((f) => f.hash) } });
    expect(missing.status, missing.text).toBe(200);
    for (const f of withHashes.filter((f) => missing.json.data.missing.includes(f.hash))) {
        const put = await call(`/functions/bundles/${f.hash}`, { method: 'PUT', key, body: f.code, headers: { 'content-type': 'application/javascript' } });
        expect([200, 201], put.text).toContain(put.status);
    }
    return call('/functions/deployments', {
        method: 'POST',
        key,
        body: {
            ...(message && { message }),
            functions: withHashes.map((f) => ({ integration: f.integration, name: f.name, type: f.type, bundle_hash: f.hash, config: f.config ?? DEFAULT_CONFIG[f.type] }))
        }
    });
}

export function trigger(key: string, action: string, input?: unknown, headers: Record<string, string> = {}, connectionId = 'c1') {
    return call('/action/trigger', {
        method: 'POST',
        key,
        headers: { 'connection-id': connectionId, 'provider-config-key': 'api', ...headers },
        body: { action_name: action, ...(input !== undefined && { input }) }
    });
}
