import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakePlatform, type PlatformRequest, scaffold, spoke } from './cli-harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

interface DryrunRequest {
    integration: string;
    name: string;
    type: string;
    bundle: string;
    connection_id: string;
    input?: unknown;
    metadata?: Record<string, unknown>;
    checkpoint?: Record<string, unknown>;
}

/**
 * The platform's dry run, as far as the CLI can tell: the run sees the input, metadata and
 * checkpoint it was given, returns the input and leaves the other two as they were.
 */
function dryrun({ method, url, body }: PlatformRequest): unknown {
    if (method !== 'POST' || url !== '/functions/dryrun') return undefined;
    const run = JSON.parse(body) as DryrunRequest;
    return {
        result: { ok: true, output: { received: run.input ?? null } },
        records: {},
        deletes: {},
        logs: [{ level: 'info', message: `ran ${run.integration}/${run.name} for ${run.connection_id}`, at: Date.UTC(2024, 0, 1) }],
        checkpoint: run.checkpoint ?? null,
        metadata: run.metadata ?? null,
        http: []
    };
}

async function project(): Promise<{ project: string; requests: PlatformRequest[] }> {
    const platform = await fakePlatform(dryrun);
    cleanups.push(platform.close);
    const { project, cleanup } = await scaffold();
    cleanups.push(cleanup);
    await writeFile(join(project, '.env'), `SPOKE_HOST=${platform.host}\nSPOKE_SECRET_KEY_DEV=dev-key\n`);
    return { project, requests: platform.requests };
}

const sent = (requests: PlatformRequest[]) => JSON.parse(requests.at(-1)!.body) as DryrunRequest;

describe('spoke dryrun', () => {
    it('passes --input, --metadata and --checkpoint through, inline or from @file, and prints the run', async () => {
        const { project: dir, requests } = await project();
        const input = { repository: 'octo-org/hello-world', title: 'From the CLI' };
        const metadata = { repositories: ['octo-org/hello-world'], team: 'platform' };
        const checkpoint = { updatedAfter: '2024-03-01T00:00:00Z' };
        await writeFile(join(dir, 'input.json'), JSON.stringify(input));
        await writeFile(join(dir, 'metadata.json'), JSON.stringify(metadata));
        await writeFile(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint));

        const inline = await spoke(['dryrun', 'create-issue', 'conn-1', '--input', JSON.stringify(input), '--metadata', JSON.stringify(metadata), '--checkpoint', JSON.stringify(checkpoint)], dir);
        expect(inline.code, inline.stderr).toBe(0);
        const fromFiles = await spoke(['dryrun', 'create-issue', 'conn-1', '--input', '@input.json', '--metadata', '@metadata.json', '--checkpoint', '@checkpoint.json'], dir);
        expect(fromFiles.code, fromFiles.stderr).toBe(0);

        expect(requests).toHaveLength(2);
        for (const [i, result] of [inline, fromFiles].entries()) {
            expect(JSON.parse(requests[i]!.body)).toMatchObject({ integration: 'github', name: 'create-issue', type: 'action', connection_id: 'conn-1', input, metadata, checkpoint });
            expect(result.stderr).toContain('Running github/create-issue (action) for connection conn-1 in dev');
            expect(result.stdout).toContain('ran github/create-issue for conn-1');
            expect(result.stdout).toContain('Metadata at the end of the run');
            expect(result.stdout).toContain('"team": "platform"');
            expect(result.stdout).toContain('Checkpoint at the end of the run');
            expect(result.stdout).toContain('"updatedAfter": "2024-03-01T00:00:00Z"');
            expect(result.stdout).toContain('✓ Succeeded');
            expect(result.stdout).toContain('"title": "From the CLI"');
        }
    });

    it('sends an input that is not JSON as a string, and nothing it was not given', async () => {
        const { project: dir, requests } = await project();
        const result = await spoke(['dryrun', 'issues', 'conn-2', '--input', 'hello'], dir);
        expect(result.code, result.stderr).toBe(0);
        const run = sent(requests);
        expect(run).toMatchObject({ name: 'issues', type: 'sync', input: 'hello' });
        expect(run).not.toHaveProperty('metadata');
        expect(run).not.toHaveProperty('checkpoint');
        expect(result.stdout).toContain('"received": "hello"');
        expect(result.stdout).not.toContain('Checkpoint at the end of the run');
    });

    it('refuses JSON it cannot read before calling the platform', async () => {
        const { project: dir, requests } = await project();
        const bad = await spoke(['dryrun', 'issues', 'conn-3', '--metadata', '{not json'], dir);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toContain('--metadata is not valid JSON');
        const list = await spoke(['dryrun', 'issues', 'conn-3', '--checkpoint', '[1, 2]'], dir);
        expect(list.stderr).toContain('--checkpoint must be a JSON object');
        const missing = await spoke(['dryrun', 'issues', 'conn-3', '--metadata', '@nowhere.json'], dir);
        expect(missing.stderr).toContain('--metadata: cannot read nowhere.json');
        expect(requests).toEqual([]);
    });
});
