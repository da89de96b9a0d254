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
                    setupFiles: ['./test/workers/apply-migrations.ts'],
                    sequence: { groupOrder: 0 }
                }
            },
            {
                test: {
                    name: 'cli',
                    include: ['test/cli/**/*.test.ts'],
                    environment: 'node',
                    // Builds the CLI once: a build per test file would rewrite it while other files run it.
                    globalSetup: ['./test/cli/global-setup.ts'],
                    testTimeout: 60_000,
                    hookTimeout: 60_000,
                    sequence: { groupOrder: 0 }
                }
            },
            {
                test: {
                    name: 'e2e',
                    include: ['test/e2e/**/*.test.ts'],
                    environment: 'node',
                    globalSetup: ['./test/e2e/global-setup.ts'],
                    // After the workers tests, not beside them: on a 2-core machine a real browser
                    // and `wrangler dev` competing with the workerd pool make timings erratic.
                    sequence: { groupOrder: 1 },
                    testTimeout: 30_000,
                    hookTimeout: 120_000
                }
            }
        ]
    }
});
