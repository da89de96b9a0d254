import { expect } from 'vitest';
import { call, newEnvironment } from './helpers.js';

/** An environment with an API_KEY integration `api` on the fake API, and a connection `c1`; `proxy` adds to the provider's proxy settings. */
export async function apiEnvironment(retry?: Record<string, unknown>, proxy: Record<string, unknown> = {}) {
    const sc = crypto.randomUUID();
    const environment = await newEnvironment();
    await call('/providers', {
        method: 'POST',
        key: environment.key,
        body: {
            name: 'fake-api',
            display_name: 'Fake API',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'Key' } },
            connection_config: { region: { title: 'Region', optional: true } },
            proxy: { base_url: `https://api.fake.test/${sc}`, headers: { 'x-api-key': '${credentials.apiKey}' }, query: { tenant: 'acme' }, ...(retry && { retry }), ...proxy }
        }
    });
    await call('/integrations', { method: 'POST', key: environment.key, body: { provider: 'fake-api', unique_key: 'api' } });
    const imported = await call('/connections', { method: 'POST', key: environment.key, body: { provider_config_key: 'api', connection_id: 'c1', credentials: { type: 'API_KEY', apiKey: 'secret-api-key' } } });
    expect(imported.status).toBe(201);
    return { ...environment, scenario: sc };
}
