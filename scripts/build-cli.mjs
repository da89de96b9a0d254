// Bundles the `spoke` CLI (cli/src/main.ts) into cli/dist/spoke.mjs, which cli/bin/spoke.mjs loads.
// npm packages stay external: the CLI runs from this checkout, beside its node_modules. Spoke's
// own sources it imports (the sandbox runtime, the provider catalog) are bundled in.
// Usage: node scripts/build-cli.mjs (also imported by scripts/build.mjs)
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const path = (relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

await build({
    entryPoints: [path('cli/src/main.ts')],
    outfile: path('cli/dist/spoke.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning'
});
