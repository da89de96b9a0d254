import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliResult, scaffold, spoke } from '../cli/cli-harness.js';
import { createPlatformEnvironment, platformCall } from './platform-api.js';

// `spoke dryrun` against a platform started by `npm run dev`: the function below answers with what
// it read, so the printed report shows what reached the run.
const INTEGRATION = 'cli-dryrun';
const STORED_METADATA = { team: 'stored' };

const ECHO = `import { createAction } from 'nango';
import { z } from 'zod';

export default createAction({
    description: 'Answers with its input and the metadata and checkpoint it reads',
    input: z.unknown(),
    output: z.unknown(),
    exec: async (nango, input) => {
        await nango.log('echoing for ' + nango.connectionId);
        return { input, metadata: await nango.getMetadata(), checkpoint: await nango.getCheckpoint() };
    }
});
`;

let secretKey: string;
let project: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
    ({ secretKey } = await createPlatformEnvironment('cli-dryrun'));
    const key = secretKey;
    await platformCall('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: INTEGRATION } });
    await platformCall('/connections', {
        method: 'POST',
        key,
        body: { provider_config_key: INTEGRATION, connection_id: 'conn-1', credentials: { type: 'OAUTH2', access_token: 'gho_dryrun' }, metadata: STORED_METADATA }
    });
    ({ project, cleanup } = await scaffold());
    await mkdir(join(project, INTEGRATION, 'actions'), { recursive: true });
    await writeFile(join(project, INTEGRATION, 'actions', 'echo.ts'), ECHO);
    await appendFile(join(project, 'index.ts'), `import './${INTEGRATION}/actions/echo.js';\n`);
    await writeFile(join(project, '.env'), `SPOKE_HOST=${inject('platformUrl')}\nSPOKE_SECRET_KEY_DEV=${secretKey}\n`);
}, 120_000);

afterAll(async () => {
    await cleanup?.();
});

/** The function's output, printed as JSON after the outcome line. */
function output(result: CliResult): unknown {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return JSON.parse(result.stdout.split('✓ Succeeded\n')[1]!);
}

const storedMetadata = async () => (await platformCall(`/connection/conn-1?provider_config_key=${INTEGRATION}`, { key: secretKey })).metadata;

describe('spoke dryrun', () => {
    it('runs with --input, --metadata and --checkpoint, inline or from @file, and prints what the run read', async () => {
        const input = { repository: 'octo-org/hello-world', title: 'From the CLI' };
        const metadata = { repositories: ['octo-org/hello-world'], team: 'platform' };
        const checkpoint = { updatedAfter: '2024-03-01T00:00:00Z' };
        await writeFile(join(project, 'input.json'), JSON.stringify(input));
        await writeFile(join(project, 'metadata.json'), JSON.stringify(metadata));
        await writeFile(join(project, 'checkpoint.json'), JSON.stringify(checkpoint));

        const inline = await spoke(['dryrun', 'echo', 'conn-1', '--input', JSON.stringify(input), '--metadata', JSON.stringify(metadata), '--checkpoint', JSON.stringify(checkpoint)], project);
        const fromFiles = await spoke(['dryrun', 'echo', 'conn-1', '--input', '@input.json', '--metadata', '@metadata.json', '--checkpoint', '@checkpoint.json'], project);
        const remote = await spoke(['dryrun', 'echo', 'conn-1', '--input', '@input.json', '--metadata', '@metadata.json', '--checkpoint', '@checkpoint.json', '--remote'], project);
        expect(inline.stderr).toContain('in a local workerd');
        expect(remote.stderr).toContain(`on ${inject('platformUrl')}`);
        // Only the platform logs the run as an operation.
        expect(remote.stdout).toMatch(/Operation \d+: GET \/logs\/\d+\/messages/);

        for (const result of [inline, fromFiles, remote]) {
            expect(output(result)).toEqual({ input, metadata, checkpoint });
            expect(result.stderr).toContain(`Running ${INTEGRATION}/echo (action) for connection conn-1 in dev`);
            expect(result.stdout).toContain('echoing for conn-1');
            expect(result.stdout).toContain('Metadata at the end of the run');
            expect(result.stdout).toContain('"team": "platform"');
            expect(result.stdout).toContain('Checkpoint at the end of the run');
            expect(result.stdout).toContain('"updatedAfter": "2024-03-01T00:00:00Z"');
        }
        // A dry run persists nothing: the connection keeps its own metadata.
        expect(await storedMetadata()).toEqual(STORED_METADATA);
    }, 120_000);

    it('takes an input that is not JSON as a string, and leaves the stored metadata and checkpoint in place of the options not given', async () => {
        const result = await spoke(['dryrun', 'echo', 'conn-1', '--input', 'hello'], project);
        expect(output(result)).toEqual({ input: 'hello', metadata: STORED_METADATA, checkpoint: null });
        expect(result.stdout).toContain('"team": "stored"');
        expect(result.stdout).not.toContain('Checkpoint at the end of the run');
    }, 120_000);
});
