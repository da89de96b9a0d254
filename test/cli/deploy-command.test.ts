import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scaffold, spoke } from './cli-harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const deployment = (version: number, active: boolean, functions: unknown[] = []) => ({ version, message: null, active, created_at: '2024-01-01T00:00:00.000Z', functions });

/** A platform rolled back to version 3 of 30: the newest 20 deployments don't include the active one. */
async function rolledBackPlatform(): Promise<{ host: string; requests: string[] }> {
    const requests: string[] = [];
    const active = deployment(3, true, [{ integration: 'github', name: 'old-action', type: 'action', bundle_hash: 'a'.repeat(64), config: {} }]);
    const newest = Array.from({ length: 20 }, (_, i) => deployment(30 - i, false));
    const server = createServer((request, response) => {
        requests.push(`${request.method} ${request.url}`);
        const url = new URL(request.url ?? '/', 'http://platform');
        response.setHeader('content-type', 'application/json');
        if (request.method === 'GET' && url.pathname === '/functions/deployments') {
            response.end(JSON.stringify({ data: url.searchParams.get('active') === 'true' ? [active] : newest }));
        } else {
            response.statusCode = 500;
            response.end(JSON.stringify({ error: { code: 'unexpected', message: 'not expected in this test' } }));
        }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('spoke deploy', () => {
    it('compares with the active deployment even when it is older than the newest ones', async () => {
        const { host, requests } = await rolledBackPlatform();
        const { project, cleanup } = await scaffold();
        cleanups.push(cleanup);
        await writeFile(join(project, '.env'), `SPOKE_HOST=${host}\nSPOKE_SECRET_KEY_DEV=test-key\n`);
        const result = await spoke(['deploy'], project);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain('- github/old-action (action)');
        expect(result.stderr).toContain('Deploying removes 1 function from dev');
        // Refused before anything was uploaded or deployed.
        expect(requests).toEqual(['GET /functions/deployments?active=true']);
    });
});
