import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { TEST_ADMIN_SECRET, TEST_ENCRYPTION_KEYS } from './test-secrets.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs test files inside workerd with the Worker's real bindings, its migrations and test secrets. */
export function workersPool() {
    return cloudflareTest(async () => ({
        wrangler: { configPath: path.join(root, 'wrangler.jsonc') },
        miniflare: {
            bindings: {
                TEST_MIGRATIONS: await readD1Migrations(path.join(root, 'schema/migrations')),
                ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
                SPOKE_ADMIN_SECRET: TEST_ADMIN_SECRET
            }
        }
    }));
}
