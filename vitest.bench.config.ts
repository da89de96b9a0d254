import { defineConfig } from 'vitest/config';
import { workersPool } from './test/support/workers-pool.js';

// Benchmarks run inside workerd like the tests, and report ratios of side-by-side measurements.
export default defineConfig({
    plugins: [workersPool()],
    test: {
        include: ['bench/workers/**/*.bench.ts'],
        setupFiles: ['./test/workers/apply-migrations.ts'],
        testTimeout: 300_000
    }
});
