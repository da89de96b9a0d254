import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliResult, scaffold, spoke } from '../cli/cli-harness.js';
import { createPlatformEnvironment, platformCall } from './platform-api.js';

// `spoke deploy` against a platform started by `npm run dev`, with two environments of its own:
// dev (the default) and prod, each reached with its own key from the project's .env. The tests
// run in order, each deploying on top of what the one before left.
interface Deployment {
    version: number;
    message: string | null;
    functions: { integration: string; name: string; type: string; bundle_hash: string; config: Record<string, unknown> }[];
}

const ORIGINAL_DESCRIPTION = 'Issues of the repositories listed in the connection metadata';
// Unique per run, so its bundle is new to a platform that other test files deploy the scaffold to.
const CHANGED_DESCRIPTION = `Issues, changed at ${Date.now()}`;

const keys = { dev: '', prod: '' };
let project: string;
let cleanup: () => Promise<void>;

const api = (environment: keyof typeof keys, path: string, init: { method?: string; body?: unknown } = {}) => platformCall(path, { key: keys[environment], ...init });
const deployments = async (environment: keyof typeof keys): Promise<Deployment[]> => (await api(environment, '/functions/deployments?limit=100')).data;
const active = async (environment: keyof typeof keys): Promise<Deployment | undefined> => (await api(environment, '/functions/deployments?active=true')).data[0];
const deployed = async (environment: keyof typeof keys) =>
    ((await api(environment, '/integrations/github/functions')).data as Deployment['functions']).map((f) => `${f.type}:${f.name}`).sort();
const issuesDescription = async () =>
    ((await api('dev', '/scripts/config')) as { providerConfigKey: string; syncs: { name: string; description: string }[] }[]).find((c) => c.providerConfigKey === 'github')?.syncs.find((s) => s.name === 'issues')?.description;

function expectOk(result: CliResult) {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
}

/** Takes a function out of the project: its file (every file is compiled) and its import. */
async function removeFromProject(path: string) {
    await rm(join(project, `${path}.ts`));
    const index = join(project, 'index.ts');
    await writeFile(index, (await readFile(index, 'utf8')).replace(`import './${path}.js';\n`, ''));
}

beforeAll(async () => {
    for (const environment of ['dev', 'prod'] as const) {
        keys[environment] = (await createPlatformEnvironment(`cli-deploy-${environment}`)).secretKey;
        await api(environment, '/integrations', { method: 'POST', body: { provider: 'github', unique_key: 'github' } });
    }
    ({ project, cleanup } = await scaffold());
    await writeFile(join(project, '.env'), `SPOKE_HOST=${inject('platformUrl')}\nSPOKE_SECRET_KEY_DEV=${keys.dev}\nSPOKE_SECRET_KEY_PROD=${keys.prod}\n`);
}, 120_000);

afterAll(async () => {
    await cleanup?.();
});

describe('spoke deploy --env', () => {
    it('deploys to the environment --env names, with that environment\'s key', async () => {
        expectOk(await spoke(['deploy', '-m', 'first'], project));
        const prod = await spoke(['deploy', '--env', 'prod', '-m', 'first in prod'], project);
        expectOk(prod);
        // Compared with prod's deployments, not dev's, where these functions are already active.
        expect(prod.stderr).toContain('Deploying 3 functions to prod');
        expect(prod.stdout).toContain('Deployed version 1 to prod.');
        for (const line of ['+ github/issues (sync)', '+ github/create-issue (action)', '+ github/choose-repositories (on-event)']) expect(prod.stdout).toContain(line);
        expect(await active('prod')).toMatchObject({ version: 1, message: 'first in prod' });
        expect(await deployed('prod')).toEqual(['action:create-issue', 'on-event:choose-repositories', 'sync:issues']);
        expect((await deployments('dev')).map((d) => [d.version, d.message])).toEqual([[1, 'first']]);
    }, 120_000);

    it('refuses an environment without a key, naming the variable to set', async () => {
        const result = await spoke(['deploy', '-e', 'staging'], project);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('No secret key for the staging environment: set SPOKE_SECRET_KEY_STAGING');
        expect((await deployments('dev')).length).toBe(1);
        expect((await deployments('prod')).length).toBe(1);
    });
});

describe('spoke deploy', () => {
    it('asks before removing functions, and without a terminal only --yes confirms', async () => {
        await removeFromProject('github/on-events/choose-repositories');
        const refused = await spoke(['deploy', '-m', 'second'], project);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('- github/choose-repositories (on-event)');
        expect(refused.stderr).toContain('Deploying removes 1 function from dev, and stops their schedules. Continue? Not asking without a terminal: run again with --yes to confirm.');
        expect(await active('dev')).toMatchObject({ version: 1 });

        const confirmed = await spoke(['deploy', '-m', 'second', '--yes'], project);
        expectOk(confirmed);
        expect(confirmed.stdout).toContain('Deployed version 2 to dev.');
        expect(confirmed.stdout).toContain('- github/choose-repositories (on-event)');
        expect(await deployed('dev')).toEqual(['action:create-issue', 'sync:issues']);
    }, 120_000);

    it('uploads only the bundles the platform lacks and lists what changed', async () => {
        const file = join(project, 'github/syncs/issues.ts');
        await writeFile(file, (await readFile(file, 'utf8')).replace(ORIGINAL_DESCRIPTION, CHANGED_DESCRIPTION));
        const result = await spoke(['deploy', '-m', 'third'], project);
        expectOk(result);
        expect(result.stderr).toContain('Uploading 1 bundle (');
        expect(result.stderr).toContain('Deploying 2 functions to dev');
        expect(result.stdout).toContain('Deployed version 3 to dev.');
        expect(result.stdout).toContain('~ github/issues (sync)');
        expect(result.stdout).not.toContain('create-issue');
        expect(await issuesDescription()).toBe(CHANGED_DESCRIPTION);
    }, 120_000);
});

describe('spoke deploy --rollback', () => {
    it('asks first, and without a terminal only --yes confirms', async () => {
        const result = await spoke(['deploy', '--rollback'], project);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('Roll dev back to the version before version 3? Not asking without a terminal: run again with --yes to confirm.');
        expect(await active('dev')).toMatchObject({ version: 3 });
    });

    it('re-activates the previous version', async () => {
        const result = await spoke(['deploy', '--rollback', '--yes'], project);
        expectOk(result);
        expect(result.stdout).toContain('Version 2 of dev is active again (second).');
        expect(result.stdout).toContain('~ github/issues (sync)');
        expect(result.stdout).not.toContain('create-issue');
        expect(await active('dev')).toMatchObject({ version: 2 });
        expect(await issuesDescription()).toBe(ORIGINAL_DESCRIPTION);
    });

    it('re-activates the version it names, then compares deployments with it though newer ones outnumber a listing', async () => {
        // Twenty versions newer than version 1, so the newest deployments a plain listing answers leave it out.
        const third = (await deployments('dev')).find((d) => d.version === 3)!;
        const functions = third.functions.map(({ integration, name, type, bundle_hash, config }) => ({ integration, name, type, bundle_hash, config }));
        for (let i = 0; i < 20; i++) await api('dev', '/functions/deployments', { method: 'POST', body: { message: `again ${i}`, functions } });

        const named = await spoke(['deploy', '--rollback', '1', '-y'], project);
        expectOk(named);
        expect(named.stdout).toContain('Version 1 of dev is active again (first).');
        expect(named.stdout).toContain('+ github/choose-repositories (on-event)');
        expect(named.stdout).toContain('~ github/issues (sync)');
        expect(await deployed('dev')).toEqual(['action:create-issue', 'on-event:choose-repositories', 'sync:issues']);
        expect(await issuesDescription()).toBe(ORIGINAL_DESCRIPTION);

        // The project still has version 3's functions: deploying them removes what version 1 adds.
        const refused = await spoke(['deploy'], project);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('- github/choose-repositories (on-event)');
        expect(refused.stderr).toContain('Deploying removes 1 function from dev');
        expect(await active('dev')).toMatchObject({ version: 1 });
    }, 120_000);
});
