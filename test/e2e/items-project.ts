import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import { scaffold } from '../cli/cli-harness.js';
import { platformCall } from './platform-api.js';

export interface ItemsSetup {
    /** The environment's secret key. */
    key: string;
    /** The custom provider's name, one per test file. */
    provider: string;
    /** The local fake API the provider points at. */
    apiUrl: string;
    /** The API key the `acme` connection is imported with. */
    apiKey: string;
}

/**
 * The `items-api` integration of the functions e2e tests: a custom API-key provider on a local
 * fake API, its `acme` connection, and the `github` integration the scaffold's own functions need.
 */
export async function registerItemsApi({ key, provider, apiUrl, apiKey }: ItemsSetup): Promise<void> {
    await platformCall('/providers', {
        key,
        method: 'POST',
        body: {
            name: provider,
            display_name: 'Fake items API',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'API key' } },
            proxy: { base_url: apiUrl, headers: { 'x-api-key': '${credentials.apiKey}' } }
        }
    });
    await platformCall('/integrations', { key, method: 'POST', body: { provider, unique_key: 'items-api' } });
    await platformCall('/integrations', { key, method: 'POST', body: { provider: 'github', unique_key: 'github' } });
    await platformCall('/connections', { key, method: 'POST', body: { provider_config_key: 'items-api', connection_id: 'acme', credentials: { type: 'API_KEY', apiKey } } });
}

/** `spoke init`, plus the given items-api functions (folder, name, code), with a .env for this platform. */
export async function scaffoldItemsProject(key: string, functions: readonly (readonly [folder: string, name: string, code: string])[]) {
    const scaffolded = await scaffold();
    for (const [folder, name, code] of functions) {
        await mkdir(join(scaffolded.project, 'items-api', folder), { recursive: true });
        await writeFile(join(scaffolded.project, 'items-api', folder, `${name}.ts`), code);
        await appendFile(join(scaffolded.project, 'index.ts'), `import './items-api/${folder}/${name}.js';\n`);
    }
    await writeFile(join(scaffolded.project, '.env'), `SPOKE_HOST=${inject('platformUrl')}\nSPOKE_SECRET_KEY_DEV=${key}\n`);
    return scaffolded;
}
