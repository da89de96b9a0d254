import { beforeAll, describe, expect, it } from 'vitest';
import { call, environmentWithIntegration } from '../../test/workers/helpers.js';
import { compare } from './compare.js';

let key: string;
let integration: string;
const ids = Array.from({ length: 100 }, (_, i) => `bench-${i}`);

beforeAll(async () => {
    ({ key, integration } = await environmentWithIntegration());
    for (const id of ids) {
        const res = await call('/connections', {
            method: 'POST',
            key,
            body: { provider_config_key: integration, connection_id: id, credentials: { type: 'API_KEY', apiKey: `sk-${id}-${'x'.repeat(900)}` } }
        });
        expect(res.status).toBe(201);
    }
});

describe('connections', () => {
    it('reading credentials: index read vs index + Durable Object + AES-GCM', async () => {
        const ok = async (path: string) => expect((await call(path, { key })).status).toBe(200);
        await compare('Reading one connection', {
            'GET /integrations/:key (D1 only)': () => ok(`/integrations/${integration}`),
            'GET /connections/:id (D1 + DO + decrypt)': () => ok(`/connections/bench-7?provider_config_key=${integration}`)
        });
    });

    it('writing metadata: one bulk call vs one call per connection', async () => {
        await compare(
            'Setting metadata on 100 connections',
            {
                'one PATCH /connections/metadata with 100 ids': async () => {
                    const res = await call('/connections/metadata', { method: 'PATCH', key, body: { provider_config_key: integration, connection_id: ids, metadata: { n: 1 } } });
                    expect(res.status).toBe(200);
                },
                '100 PATCH /connections/metadata calls': async () => {
                    for (const id of ids) {
                        const res = await call('/connections/metadata', { method: 'PATCH', key, body: { provider_config_key: integration, connection_id: id, metadata: { n: 1 } } });
                        expect(res.status).toBe(200);
                    }
                }
            },
            { rounds: 5, iterations: 2 }
        );
    });

    it('listing: all connections vs filtered by tag', async () => {
        await call('/connections/metadata', { method: 'POST', key, body: { provider_config_key: integration, connection_id: ids, metadata: {} } });
        const list = async (query: string, expected: number) => expect((await call(`/connections${query}`, { key })).json.connections).toHaveLength(expected);
        await compare('Listing 100 connections', {
            'GET /connections': () => list('', 100),
            'GET /connections?tags[end_user_id]=… (no match)': () => list('?tags[end_user_id]=nobody', 0),
            'GET /connections?search=bench-9': () => list('?search=bench-9', 11)
        });
    });
});
