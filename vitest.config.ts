import { defineConfig } from 'vitest/config';
import { workersPool } from './test/support/workers-pool.js';

export default defineConfig({
    test: {
        projects: [
            {
                plugins: [workersPool()],
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
