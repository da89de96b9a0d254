import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fakeUpstreams } from './fake-upstreams.js';
import { TEST_ADMIN_SECRET, TEST_ENCRYPTION_KEYS } from './test-secrets.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Runs test files inside workerd with the Worker's real bindings, its migrations (control plane and
 * records) and test secrets.
 * Every outbound fetch goes to the fake third parties (fake-upstreams.ts); webhook retries are
 * immediate and give up after 3 attempts, and proxy backoff starts at 10 ms, so retry paths run in seconds.
 * Actions time out after 3 s and async retries don't wait; a sync invocation's budget is 400 ms, so
 * checkpointed syncs get continued. The sandbox runtime is rebuilt first,
 * so tests always run the current sources.
 */
export function workersPool(extraBindings: () => Promise<Record<string, string>> = async () => ({})) {
    return cloudflareTest(async () => {
        await import(pathToFileURL(path.join(root, 'scripts/build-sandbox.mjs')).href);
        return {
            wrangler: { configPath: path.join(root, 'wrangler.jsonc') },
            miniflare: {
                outboundService: fakeUpstreams,
                bindings: {
                    TEST_MIGRATIONS: await readD1Migrations(path.join(root, 'schema/migrations')),
                    TEST_RECORDS_MIGRATIONS: await readD1Migrations(path.join(root, 'schema/records-migrations')),
                    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
                    SPOKE_ADMIN_SECRET: TEST_ADMIN_SECRET,
                    WEBHOOK_RETRY_BASE_SECONDS: '0',
                    WEBHOOK_MAX_ATTEMPTS: '3',
                    PROXY_RETRY_BASE_MS: '10',
                    ACTION_TIMEOUT_SECONDS: '3',
                    ACTION_RETRY_BASE_SECONDS: '0',
                    SYNC_TIME_BUDGET_MS: '400',
                    ...(await extraBindings())
                }
            }
        };
    });
}
