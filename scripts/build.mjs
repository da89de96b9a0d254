// Builds everything that is generated from sources, each part by its own script:
//   build-frontend.mjs  the Connect UI and the frontend SDK, into public/
//   build-sandbox.mjs   the functions sandbox runtime, into functions-runtime/dist/
//   build-cli.mjs       the `spoke` CLI, into cli/dist/
// Run by `npm install` (prepare), `wrangler dev` and `wrangler deploy` (the build step), and the tests.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

for (const part of ['build-frontend.mjs', 'build-sandbox.mjs', 'build-cli.mjs']) {
    const script = fileURLToPath(new URL(part, import.meta.url));
    if (existsSync(script)) await import(script);
}
