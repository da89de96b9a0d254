import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// cli/dist/spoke.mjs is built once for all test files: they run in parallel and spawn it, and a
// build per file would rewrite it under them.
export default async function setup(): Promise<void> {
    await promisify(execFile)(process.execPath, [fileURLToPath(new URL('../../scripts/build-cli.mjs', import.meta.url))]);
}
