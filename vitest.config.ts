import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { TEST_ADMIN_SECRET, TEST_ENCRYPTION_KEYS } from './test/support/test-secrets.js';

export default defineConfig({
    test: {
        projects: [
            {
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
                    name: 'workers',
                    include: ['test/workers/**/*.test.ts'],
                    setupFiles: ['./test/workers/apply-migrations.ts']
                }
            },
            {
                test: {
                    name: 'e2e',
                    include: ['test/e2e/**/*.test.ts'],
                    environment: 'node',
                    globalSetup: ['./test/e2e/global-setup.ts'],
                    testTimeout: 30_000,
                    hookTimeout: 120_000
                }
            }
        ]
    }
});
