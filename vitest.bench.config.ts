import path from 'node:path';
import { build } from 'esbuild';
import { defineConfig } from 'vitest/config';
import { workersPool } from './test/support/workers-pool.js';

/** The benchmark's function bundle, built the way `spoke compile` builds one (zod included). */
async function zodActionBundle(): Promise<string> {
    const result = await build({
        entryPoints: [path.resolve(import.meta.dirname, 'bench/fixtures/zod-action.ts')],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        mainFields: ['module', 'main'],
        minifyWhitespace: true,
        minifySyntax: true,
        write: false
    });
    return result.outputFiles[0]!.text;
}

// Benchmarks run inside workerd like the tests, and report ratios of side-by-side measurements.
// Syncs get production's time budget back (the test pool's 400 ms one forces continuations),
// so the records benchmark measures one invocation per run, not queue round trips.
export default defineConfig({
    plugins: [workersPool(async () => ({ BENCH_ACTION_BUNDLE: await zodActionBundle(), SYNC_TIME_BUDGET_MS: '300000' }))],
    test: {
        include: ['bench/workers/**/*.bench.ts'],
        setupFiles: ['./test/workers/apply-migrations.ts'],
        testTimeout: 300_000
    }
});
