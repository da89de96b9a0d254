#!/usr/bin/env node
// The CLI is bundled from cli/src by scripts/build-cli.mjs; this file only finds the bundle.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/spoke.mjs', import.meta.url);
if (!existsSync(bundle)) {
    console.error('The spoke CLI is not built. Run `npm run build` first.');
    process.exit(1);
}
await import(bundle.href);
