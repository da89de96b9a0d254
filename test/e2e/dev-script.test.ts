import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type DevPlatform, startDevPlatform } from '../support/dev-platform.js';

// `npm run dev` twice on one state folder, as a developer restarting it would, with the cron
// trigger fired every 2 s so a run can be seen.
const stateDir = mkdtempSync(path.join(tmpdir(), 'spoke-dev-restart-'));
const options = { stateDir, secretKey: null, env: { SPOKE_CRON_INTERVAL_MS: '2000' } };
let running: DevPlatform | undefined;

afterAll(async () => {
    await running?.stop();
    rmSync(stateDir, { recursive: true, force: true });
});

async function api(platform: DevPlatform, key: string, pathname: string, init: { method?: string; body?: unknown } = {}) {
    const res = await fetch(platform.url + pathname, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${key}`, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body)
    });
    return { status: res.status, json: (await res.json()) as any };
}

describe('npm run dev, restarted', () => {
    it('keeps the dev environment and its key, and drives the cron handler', { timeout: 400_000 }, async () => {
        running = await startDevPlatform(options);
        const first = running;
        const key = first.secretKey;
        expect(first.output()).toContain(`Secret key           ${key}`);
        expect(first.output()).toContain('fired by this script every 2000 ms');
        expect((await api(first, key, '/integrations', { method: 'POST', body: { provider: 'openai', unique_key: 'kept' } })).status).toBe(200);
        // The script fires the cron trigger on its own, and the Worker's scheduled handler answers.
        await vi.waitFor(() => expect(first.output()).toMatch(/spoke dev: cron "\* \* \* \* \*" ran at /), { timeout: 30_000, interval: 250 });
        expect(first.output()).not.toContain('could not be triggered');
        await first.stop();

        running = await startDevPlatform(options);
        const second = running;
        expect(second.secretKey).toBe(key);
        expect(second.output()).toContain(`Secret key           ${key}`);
        const integrations = await api(second, key, '/integrations');
        expect(integrations.status).toBe(200);
        expect(integrations.json.data.map((i: { unique_key: string }) => i.unique_key)).toEqual(['kept']);

        const environments = (await api(second, second.adminSecret, '/admin/environments')).json.data;
        expect(environments.filter((e: { name: string }) => e.name === 'dev')).toHaveLength(1);
        expect((await api(second, second.adminSecret, '/admin/environments/dev/keys')).json.data).toHaveLength(1);
    });
});
