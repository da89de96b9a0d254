import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJson, scaffoldForTest, spoke, tempDirForTest } from './cli-harness.js';

interface Manifest {
    functions: { integration: string; name: string; type: string; bundle_hash: string; bundle_file: string; config: Record<string, any> }[];
}

describe('spoke init', () => {
    it('scaffolds a zero-yaml project whose tsconfig points at Spoke\'s SDK', async () => {
        const dir = await scaffoldForTest();
        for (const file of ['index.ts', 'github/syncs/issues.ts', 'github/actions/create-issue.ts', 'github/on-events/choose-repositories.ts', '.env.example', '.gitignore', 'tsconfig.json', 'package.json']) {
            expect(existsSync(join(dir, file)), file).toBe(true);
        }
        const index = await readFile(join(dir, 'index.ts'), 'utf8');
        for (const file of ['syncs/issues', 'actions/create-issue', 'on-events/choose-repositories']) expect(index).toContain(`import './github/${file}.js';`);
        const tsconfig = await readJson<{ compilerOptions: { strict: boolean; paths: Record<string, string[]> } }>(join(dir, 'tsconfig.json'));
        expect(tsconfig.compilerOptions.strict).toBe(true);
        const sdk = tsconfig.compilerOptions.paths.nango![0]!;
        expect(sdk).toMatch(/functions-runtime\/sdk\/index\.ts$/);
        expect(existsSync(sdk)).toBe(true);
        expect(tsconfig.compilerOptions.paths['@spoke/functions']).toEqual([sdk]);
        const pkg = await readJson<{ private: boolean; type: string; dependencies: Record<string, string> }>(join(dir, 'package.json'));
        expect(pkg).toMatchObject({ private: true, type: 'module' });
        expect(pkg.dependencies.zod).toMatch(/^\^4\./);
        expect(await readFile(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
        expect(await readFile(join(dir, '.env.example'), 'utf8')).toContain('SPOKE_SECRET_KEY_DEV=');
    });

    it('refuses a directory that is not empty', async () => {
        const dir = await tempDirForTest();
        await writeFile(join(dir, 'notes.txt'), 'mine');
        const result = await spoke(['init', dir], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('is not empty');
        expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    });
});

describe('spoke compile', () => {
    it('bundles each function of the scaffold and writes its manifest', async () => {
        const dir = await scaffoldForTest();
        const result = await spoke(['compile'], dir);
        expect(result.stderr).toContain('Compiled 3 functions');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/github\/issues\s+sync/);
        expect(result.stdout).toMatch(/github\/create-issue\s+action/);
        expect(result.stdout).toMatch(/github\/choose-repositories\s+on-event/);

        const manifest = await readJson<Manifest>(join(dir, 'dist/manifest.json'));
        const issues = manifest.functions.find((f) => f.name === 'issues')!;
        expect(issues).toMatchObject({ integration: 'github', type: 'sync', bundle_file: 'github/issues.mjs' });
        expect(issues.config).toMatchObject({ frequency: 'every hour', auto_start: true, sync_type: 'full', track_deletes: false, version: '1.0.0' });
        expect(issues.config.models.GithubIssue).toMatchObject({ type: 'object', required: expect.arrayContaining(['id', 'title']) });
        expect(issues.config.models.GithubIssue.properties.state).toEqual({ type: 'string', enum: ['open', 'closed'] });
        expect(issues.config.checkpoint).toMatchObject({ type: 'object', properties: { updatedAfter: { type: 'string' } } });
        expect(issues.config.metadata.properties.repositories.type).toBe('array');

        const action = manifest.functions.find((f) => f.name === 'create-issue')!;
        expect(action.config.input.required).toEqual(['repository', 'title']);
        expect(action.config.output.properties.number).toEqual({ type: 'number' });
        expect(action.config.scopes).toEqual(['repo']);

        const onEvent = manifest.functions.find((f) => f.name === 'choose-repositories')!;
        expect(onEvent).toMatchObject({ integration: 'github', type: 'on-event', bundle_file: 'github/choose-repositories.mjs', config: { event: 'post-connection-creation', version: '1.0.0' } });

        const code = await readFile(join(dir, 'dist', action.bundle_file), 'utf8');
        expect(action.bundle_hash).toBe(createHash('sha256').update(code).digest('hex'));
        expect(code).not.toMatch(/from ["']nango["']/);
        const loaded = (await import(pathToFileURL(join(dir, 'dist', issues.bundle_file)).href)) as { default: { type: string; exec: unknown } };
        expect(loaded.default.type).toBe('sync');
        expect(typeof loaded.default.exec).toBe('function');
    });

    it('reports type errors from tsc and fails', async () => {
        const dir = await scaffoldForTest();
        const file = join(dir, 'github/actions/create-issue.ts');
        await writeFile(file, (await readFile(file, 'utf8')).replace('number: data.number,', 'number: String(data.number),'));
        const result = await spoke(['compile'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/create-issue\.ts\(\d+,\d+\): error TS/);
        expect(result.stderr).toContain('Type-checking failed');
    });

    it('checks definitions as Nango does: model names, frequency, default export', async () => {
        const dir = await scaffoldForTest();
        const sync = join(dir, 'github/syncs/issues.ts');
        await writeFile(
            sync,
            (await readFile(sync, 'utf8'))
                .replace('models: { GithubIssue }', 'models: { githubIssue: GithubIssue }')
                .replace("'GithubIssue')", "'githubIssue')")
                .replace("frequency: 'every hour'", "frequency: 'every 10 seconds'")
        );
        await writeFile(join(dir, 'github/actions/helper.ts'), 'export const perPage = 100;\n');
        const result = await spoke(['compile'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('github/syncs/issues.ts: models.githubIssue: model names start with a capital letter');
        expect(result.stderr).toContain('github/syncs/issues.ts: frequency: "every 10 seconds" is not a frequency between 30 seconds and 31 days');
        expect(result.stderr).toContain('github/actions/helper.ts: the default export must be a function definition');
    });

    it('refuses Node built-in modules the sandbox does not provide', async () => {
        const dir = await scaffoldForTest();
        await mkdir(join(dir, 'github/on-events'), { recursive: true });
        await writeFile(
            join(dir, 'github/on-events/setup.ts'),
            [
                "import { createOnEvent } from 'nango';",
                "import { createHash } from 'crypto';",
                "import { readFileSync } from 'fs';",
                "export default createOnEvent({ description: 'Setup', event: 'post-connection-creation', exec: async () => { createHash('sha256').update(readFileSync('x')); } });",
                ''
            ].join('\n')
        );
        const result = await spoke(['compile'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('"fs" is a Node.js module that functions cannot use');
        expect(result.stderr).toContain('github/on-events/setup.ts');
        expect(result.stderr).not.toContain('"crypto"');
    });

    it('validates an on-event function\'s event and compiles a valid one', async () => {
        const dir = await scaffoldForTest();
        await mkdir(join(dir, 'github/on-events'), { recursive: true });
        const file = join(dir, 'github/on-events/setup.ts');
        const source = (event: string) =>
            `import { createOnEvent } from 'nango';\nexport default createOnEvent({ description: 'Setup', event: ${event}, exec: async (nango) => { await nango.log('connected'); } });\n`;
        await writeFile(file, source("'post-connection-deletion' as never"));
        const bad = await spoke(['compile'], dir);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toContain('github/on-events/setup.ts: event: one of post-connection-creation, pre-connection-deletion, validate-connection');

        await writeFile(file, source("'validate-connection'"));
        expect((await spoke(['compile'], dir)).code).toBe(0);
        const manifest = await readJson<Manifest>(join(dir, 'dist/manifest.json'));
        expect(manifest.functions.find((f) => f.name === 'setup')).toMatchObject({ type: 'on-event', config: { description: 'Setup', event: 'validate-connection' } });
    });

    it('type-checks code using the whole nango object as Nango types it', async () => {
        const dir = await scaffoldForTest();
        await writeFile(
            join(dir, 'github/actions/coordinate.ts'),
            [
                "import { createAction } from 'nango';",
                "import { z } from 'zod';",
                'export default createAction({',
                "    description: 'Uses the platform',",
                '    input: z.object({}),',
                '    output: z.object({ webhook: z.string().optional(), held: z.boolean() }),',
                '    exec: async (nango) => {',
                "        const integration = await nango.getIntegration({ include: ['webhook', 'credentials'] });",
                '        const webhook = (await nango.getWebhookURL()) ?? integration.webhook_url;',
                "        await nango.triggerSync(nango.providerConfigKey, nango.connectionId, { name: 'issues', variant: 'base' }, { reset: true, emptyCache: false });",
                "        await nango.triggerSync(nango.providerConfigKey, nango.connectionId, 'issues', 'full_refresh');",
                "        await nango.startSync(nango.providerConfigKey, ['issues'], nango.connectionId);",
                "        const held = await nango.tryAcquireLock({ key: 'export', ttlMs: 60_000 });",
                "        await nango.releaseLock({ key: 'export' });",
                '        await nango.releaseAllLocks();',
                '        const mapping = await nango.getFieldMapping();',
                '        await nango.setFieldMapping({ ...mapping, title: String(mapping.title) });',
                "        await nango.getConnection(undefined, undefined, { refreshToken: true, refreshGithubAppJwtToken: true });",
                "        await nango.get({ endpoint: '/user', retries: 2, retryHeader: { at: 'x-ratelimit-reset' }, forwardHeadersOnRedirect: true });",
                "        const context: string[] = [nango.scriptType, String(nango.isCLI), String(nango.accountId), String(nango.nangoConnectionId), nango.syncId ?? '', nango.syncJobId ?? '', nango.syncConfig?.sync_name ?? '', String(nango.runnerFlags.validateActionInput)];",
                "        await nango.log(context.join(','));",
                '        return { webhook, held };',
                '    }',
                '});',
                ''
            ].join('\n')
        );
        const sync = join(dir, 'github/syncs/issues.ts');
        await writeFile(sync, (await readFile(sync, 'utf8')).replace('exec: async (nango) => {', 'exec: async (nango) => {\n        if (nango.emptyCache || nango.track_deletes) nango.getFlowAttributes<{ repo: string }>();'));
        const result = await spoke(['compile'], dir);
        // The scaffold's three, and this one.
        expect(result.stderr).toContain('Compiled 4 functions');
        expect(result.code).toBe(0);
    });
});
