import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { TEST_ADMIN_SECRET, TEST_ENCRYPTION_KEYS } from './test/support/test-secrets.js';

// Benchmarks run inside workerd like the tests, and report ratios of side-by-side measurements.
export default defineConfig({
    plugins: [
        cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.jsonc' },
            miniflare: {
                bindings: {
                    TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, 'schema/migrations')),
                    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
                    SPOKE_ADMIN_SECRET: TEST_ADMIN_SECRET
                }
            }
        }))
    ],
    test: {
        include: ['bench/workers/**/*.bench.ts'],
        setupFiles: ['./test/workers/apply-migrations.ts'],
        testTimeout: 300_000
    }
});
