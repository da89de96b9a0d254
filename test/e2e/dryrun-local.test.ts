import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliResult, spoke } from '../cli/cli-harness.js';
import { type Served, serveFetch } from '../support/serve-fetch.js';
import { registerItemsApi, scaffoldItemsProject } from './items-project.js';
import { createPlatformEnvironment, type PlatformInit, platformCall } from './platform-api.js';

// `spoke dryrun` without --remote: the function runs in a workerd the CLI starts, and its nango
// calls go to the platform that `npm run dev` started, over its public API.
const host = inject('platformUrl');

interface SeenRequest {
    path: string;
    apiKey: string | null;
}

const ITEMS_SYNC = `import { createSync } from 'nango';
import { z } from 'zod';

const Item = z.object({ id: z.string(), name: z.string(), team: z.string() });

export default createSync({
    description: 'Items of the fake API, from the checkpoint on',
    frequency: 'every hour',
    // Deployed paused: its records stay those of no run, so a dry run's would show.
    autoStart: false,
    models: { Item },
    exec: async (nango) => {
        const metadata = (await nango.getMetadata()) as { team: string };
        const checkpoint = await nango.getCheckpoint();
        let page: number | null = Number(checkpoint?.['page'] ?? 1);
        while (page !== null) {
            const res: { data: { items: { id: string; name: string }[]; next: number | null } } = await nango.get({ endpoint: '/items', params: { page } });
            await nango.batchSave(res.data.items.map((item) => ({ ...item, team: metadata.team })), 'Item');
            await nango.saveCheckpoint({ page: page + 1 });
            page = res.data.next;
        }
        await nango.updateMetadata({ synced: true });
        const connection = await nango.getConnection();
        await nango.log('key seen by the function: ' + String(connection.credentials['apiKey']));
    }
});
`;

const ECHO_ACTION = `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Echoes its input with what the provider answers',
    input: z.object({ word: z.string() }),
    output: z.any(),
    exec: async (nango, input) => {
        const { data } = await nango.get({ endpoint: '/echo/' + input.word });
        return { input: input.word, upstream: data };
    }
});
`;

const RELAY_ACTION = `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Hands its word to the echo action, after marking the metadata',
    input: z.object({ word: z.string() }),
    output: z.any(),
    exec: async (nango, input) => {
        await nango.updateMetadata({ relayed: true });
        const echoed = await nango.triggerAction('items-api', 'acme', 'echo', { word: input.word });
        return { relayed: echoed };
    }
});
`;

const DIRECT_FETCH = (elsewhere: string) => `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Calls the network itself instead of through nango',
    input: z.object({}),
    output: z.any(),
    exec: async () => {
        const res = await fetch('${elsewhere}/direct');
        return { status: res.status };
    }
});
`;

const TEN_MINUTES = `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Waits ten minutes',
    input: z.object({}),
    output: z.any(),
    exec: async () => new Promise((resolve) => setTimeout(resolve, 600_000))
});
`;

let api: Served;
let elsewhere: Served;
const seen: SeenRequest[] = [];
const reachedElsewhere: string[] = [];
let secretKey: string;
let project: string;
let cleanup: () => Promise<void>;

const platform = (path: string, init: Partial<PlatformInit> = {}) => platformCall(path, { key: secretKey, ...init });

function expectCode(result: CliResult, code: number) {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(code);
}

beforeAll(async () => {
    api = await serveFetch((request) => {
        const url = new URL(request.url);
        seen.push({ path: url.pathname + url.search, apiKey: request.headers.get('x-api-key') });
        if (request.headers.get('x-api-key') !== 'local-dryrun-key') return Response.json({ error: 'bad key' }, { status: 401 });
        if (url.pathname === '/items') {
            const page = Number(url.searchParams.get('page'));
            return Response.json({ items: [{ id: `i${page}`, name: `item ${page}` }], next: page < 3 ? page + 1 : null });
        }
        return Response.json({ echo: url.pathname });
    });
    elsewhere = await serveFetch((request) => {
        reachedElsewhere.push(request.url);
        return new Response('reached');
    });
    ({ secretKey } = await createPlatformEnvironment('dryrun-local'));
    await registerItemsApi({ key: secretKey, provider: 'fake-local-items', apiUrl: api.url, apiKey: 'local-dryrun-key' });
    await platform('/connections/metadata', { method: 'POST', body: { connection_id: 'acme', provider_config_key: 'items-api', metadata: { team: 'stored-team' } } });
    ({ project, cleanup } = await scaffoldItemsProject(secretKey, [
        ['syncs', 'items', ITEMS_SYNC],
        ['actions', 'echo', ECHO_ACTION],
        ['actions', 'relay', RELAY_ACTION],
        ['actions', 'direct-fetch', DIRECT_FETCH(elsewhere.url)],
        ['actions', 'ten-minutes', TEN_MINUTES]
    ]));
    // Deployed, so that the records API knows the sync's model; the dry runs use the local code all the same.
    expectCode(await spoke(['deploy', '--yes', project], project), 0);
}, 120_000);

afterAll(async () => {
    await Promise.all([api?.close(), elsewhere?.close(), cleanup?.()]);
});

describe('spoke dryrun, run locally', () => {
    it('runs a sync through the platform proxy from --checkpoint with --metadata, and reports what it would save', async () => {
        seen.length = 0;
        const result = await spoke(['dryrun', 'items', 'acme', '--checkpoint', '{"page":2}', '--metadata', '{"team":"given-team"}', project], project);
        expectCode(result, 0);
        expect(result.stderr).toContain('for connection acme in dev, in a local workerd');
        // The platform's proxy added the key; the function started from the given checkpoint.
        expect(seen).toEqual([
            { path: '/items?page=2', apiKey: 'local-dryrun-key' },
            { path: '/items?page=3', apiKey: 'local-dryrun-key' }
        ]);
        expect(result.stdout).toContain('Saved Item: 2 records');
        expect(result.stdout).toContain('"id": "i2"');
        expect(result.stdout).toContain('"team": "given-team"');
        expect(result.stdout).not.toContain('"id": "i1"');
        expect(result.stdout).toMatch(/Upstream calls \(2\)[\s\S]*GET\s+200[\s\S]*\/items/);
        expect(result.stdout).toMatch(/Metadata at the end of the run\s+\{\s+"team": "given-team",\s+"synced": true/);
        expect(result.stdout).toMatch(/Checkpoint at the end of the run\s+\{\s+"page": 4/);
        // The sandbox only ever holds a placeholder for the key.
        expect(result.stdout).toContain('key seen by the function: spoke-credential-placeholder:apiKey');
        expect(result.stdout).not.toContain('local-dryrun-key');
        expect(result.stdout).toContain('✓ Succeeded');

        // Nothing was persisted: the stored metadata is as it was, and the sync has no records.
        const connection = await platform('/connections/acme?provider_config_key=items-api');
        expect(connection.metadata).toEqual({ team: 'stored-team' });
        const records = await fetch(`${host}/records?model=Item`, { headers: { authorization: `Bearer ${secretKey}`, 'connection-id': 'acme', 'provider-config-key': 'items-api' } });
        expect(records.status).toBe(200);
        expect(((await records.json()) as { records: unknown[] }).records).toEqual([]);
    }, 120_000);

    it('starts from the connection\'s metadata without --metadata, and gives an action its --input', async () => {
        const sync = await spoke(['dryrun', 'items', 'acme', '--checkpoint', '{"page":3}', project], project);
        expectCode(sync, 0);
        expect(sync.stdout).toContain('"team": "stored-team"');
        const action = await spoke(['dryrun', 'echo', 'acme', '--input', '{"word":"hello"}', project], project);
        expectCode(action, 0);
        expect(action.stdout).toMatch(/✓ Succeeded\s+\{\s+"input": "hello",\s+"upstream": \{\s+"echo": "\/echo\/hello"/);
    }, 120_000);

    it('runs the action a function triggers from the project, as a dry run too', async () => {
        seen.length = 0;
        const result = await spoke(['dryrun', 'relay', 'acme', '--input', '{"word":"nested"}', project], project);
        expectCode(result, 0);
        expect(result.stdout).toMatch(/✓ Succeeded\s+\{\s+"relayed": \{\s+"input": "nested",\s+"upstream": \{\s+"echo": "\/echo\/nested"/);
        // The nested action's provider call went through the platform's proxy with the key, and shows in the report.
        expect(seen).toContainEqual({ path: '/echo/nested', apiKey: 'local-dryrun-key' });
        expect(result.stdout).toContain('/echo/nested');
        expect(result.stdout).toMatch(/Metadata at the end of the run\s+\{\s+"team": "stored-team",\s+"relayed": true/);
        const connection = await platform('/connections/acme?provider_config_key=items-api');
        expect(connection.metadata).toEqual({ team: 'stored-team' });
    }, 120_000);

    it('fails a function that calls fetch itself: the isolate has no network', async () => {
        const result = await spoke(['dryrun', 'direct-fetch', 'acme', '--input', '{}', project], project);
        expectCode(result, 1);
        expect(result.stdout).toContain('✗ Failed');
        expect(result.stdout).toContain('not permitted to access the internet');
        expect(reachedElsewhere).toEqual([]);
    }, 120_000);

    it('ends a run that outlives --timeout, as the platform would', async () => {
        const result = await spoke(['dryrun', 'ten-minutes', 'acme', '--input', '{}', '--timeout', '2', project], project);
        expectCode(result, 1);
        expect(result.stdout).toContain('The run did not finish within 2 s');
        const refused = await spoke(['dryrun', 'ten-minutes', 'acme', '--timeout', '0', project], project);
        expectCode(refused, 1);
        expect(refused.stderr).toContain('--timeout must be a whole number of seconds');
    }, 120_000);
});
