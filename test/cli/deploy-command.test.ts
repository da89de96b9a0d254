import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakePlatform, type PlatformRequest, scaffold, spoke } from './cli-harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const deployment = (version: number, active: boolean, functions: unknown[] = [], message: string | null = null) => ({ version, message, active, created_at: '2024-01-01T00:00:00.000Z', functions });
const fn = (name: string, type: string, hash: string) => ({ integration: 'github', name, type, bundle_hash: hash.repeat(64), config: {} });

/** A scaffolded project whose .env points at a fake platform answering with `answer`. */
async function projectOn(answer: (request: PlatformRequest) => unknown, env = 'SPOKE_SECRET_KEY_DEV=dev-key\n') {
    const platform = await fakePlatform(answer);
    cleanups.push(platform.close);
    const { project, cleanup } = await scaffold();
    cleanups.push(cleanup);
    await writeFile(join(project, '.env'), `SPOKE_HOST=${platform.host}\n${env}`);
    return { project, requests: platform.requests };
}

const calls = (requests: PlatformRequest[]) => requests.map((r) => `${r.method} ${r.url}`);

describe('spoke deploy', () => {
    it('compares with the active deployment even when it is older than the newest ones', async () => {
        // A platform rolled back to version 3 of 30: the newest 20 deployments don't include the active one.
        const active = deployment(3, true, [fn('old-action', 'action', 'a')]);
        const newest = Array.from({ length: 20 }, (_, i) => deployment(30 - i, false));
        const { project, requests } = await projectOn(({ method, url }) =>
            method === 'GET' && url.startsWith('/functions/deployments') ? (url.includes('active=true') ? [active] : newest) : undefined
        );
        const result = await spoke(['deploy'], project);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain('- github/old-action (action)');
        expect(result.stderr).toContain('Deploying removes 1 function from dev');
        // Refused before anything was uploaded or deployed.
        expect(calls(requests)).toEqual(['GET /functions/deployments?active=true']);
    });

    it('deploys to the environment --env names, with that environment\'s key', async () => {
        const { project, requests } = await projectOn(
            ({ method, url, body }) => {
                if (method === 'GET' && url === '/functions/deployments?active=true') return [];
                if (method === 'POST' && url === '/functions/bundles/missing') return { missing: (JSON.parse(body) as { hashes: string[] }).hashes };
                if (method === 'PUT' && url.startsWith('/functions/bundles/')) return { hash: url.split('/').pop(), size: body.length };
                if (method === 'POST' && url === '/functions/deployments') return deployment(1, true, (JSON.parse(body) as { functions: unknown[] }).functions, 'first');
                return undefined;
            },
            'SPOKE_SECRET_KEY_DEV=dev-key\nSPOKE_SECRET_KEY_PROD=prod-key\n'
        );
        const result = await spoke(['deploy', '--env', 'prod', '-m', 'first'], project);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toContain('Deploying 3 functions to prod');
        expect(result.stdout).toContain('Deployed version 1 to prod.');
        for (const line of ['+ github/issues (sync)', '+ github/create-issue (action)', '+ github/choose-repositories (on-event)']) expect(result.stdout).toContain(line);
        expect(requests.every((r) => r.authorization === 'Bearer prod-key')).toBe(true);
        expect(calls(requests).filter((c) => c.startsWith('PUT /functions/bundles/'))).toHaveLength(3);
        const sent = JSON.parse(requests.find((r) => r.method === 'POST' && r.url === '/functions/deployments')!.body) as { message: string; functions: { name: string }[] };
        expect(sent.message).toBe('first');
        expect(sent.functions.map((f) => f.name).sort()).toEqual(['choose-repositories', 'create-issue', 'issues']);
    });

    it('refuses an environment without a key, naming the variable to set', async () => {
        const { project, requests } = await projectOn(() => undefined);
        const result = await spoke(['deploy', '-e', 'staging'], project);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('No secret key for the staging environment: set SPOKE_SECRET_KEY_STAGING');
        expect(requests).toEqual([]);
    });

    it('rolls back to the previous version, or to the one --rollback names', async () => {
        const current = deployment(3, true, [fn('issues', 'sync', 'c'), fn('create-issue', 'action', 'c')]);
        const versions: Record<number, ReturnType<typeof deployment>> = {
            1: deployment(1, true, [fn('issues', 'sync', 'a')], 'first'),
            2: deployment(2, true, [fn('issues', 'sync', 'b'), fn('create-issue', 'action', 'c')], 'second')
        };
        const { project, requests } = await projectOn(({ method, url, body }) => {
            if (method === 'GET' && url === '/functions/deployments?active=true') return [current];
            if (method === 'POST' && url === '/functions/deployments/rollback') return versions[(JSON.parse(body) as { version?: number }).version ?? 2];
            return undefined;
        });

        const previous = await spoke(['deploy', '--rollback', '--yes'], project);
        expect(previous.code, previous.stderr).toBe(0);
        expect(previous.stdout).toContain('Version 2 of dev is active again (second).');
        expect(previous.stdout).toContain('~ github/issues (sync)');
        expect(previous.stdout).not.toContain('create-issue');

        const named = await spoke(['deploy', '--rollback', '1', '-y'], project);
        expect(named.code, named.stderr).toBe(0);
        expect(named.stdout).toContain('Version 1 of dev is active again (first).');
        expect(named.stdout).toContain('- github/create-issue (action)');

        const rollbacks = requests.filter((r) => r.url === '/functions/deployments/rollback').map((r) => JSON.parse(r.body) as unknown);
        expect(rollbacks).toEqual([{}, { version: 1 }]);
        // A rollback compiles and uploads nothing.
        expect(calls(requests).filter((c) => c.includes('/bundles'))).toEqual([]);
        expect(requests.every((r) => r.authorization === 'Bearer dev-key')).toBe(true);
    });

    it('asks before rolling back, and without a terminal only --yes confirms', async () => {
        const { project, requests } = await projectOn(({ method, url }) => (method === 'GET' && url === '/functions/deployments?active=true' ? [deployment(3, true)] : undefined));
        const result = await spoke(['deploy', '--rollback'], project);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('Roll dev back to the version before version 3? Not asking without a terminal: run again with --yes to confirm.');
        expect(calls(requests)).toEqual(['GET /functions/deployments?active=true']);
    });
});
