// Builds the browser side into public/, where the Worker serves it as static assets:
//   public/connect/  the Connect UI (index.html, app.js, app.css)
//   public/sdk/      the frontend SDK, as an ES module and as a script-tag bundle (global `Spoke`),
//                    with its TypeScript declarations (spoke-frontend.d.ts and types/)
// Both folders are build outputs (git-ignored) and are recreated from scratch on every run.
// Usage: node scripts/build-frontend.mjs
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const path = (relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));
const connectDir = path('public/connect/');
const sdkDir = path('public/sdk/');

const common = { bundle: true, minify: true, sourcemap: false, target: 'es2020', platform: 'browser', logLevel: 'warning' };

await Promise.all([rm(connectDir, { recursive: true, force: true }), rm(sdkDir, { recursive: true, force: true })]);
await Promise.all([mkdir(connectDir, { recursive: true }), mkdir(sdkDir, { recursive: true })]);

await Promise.all([
    build({ ...common, entryPoints: [path('connect-ui/src/main.ts')], outfile: `${connectDir}app.js`, format: 'iife' }),
    build({ ...common, entryPoints: [path('connect-ui/styles.css')], outfile: `${connectDir}app.css` }),
    copyFile(path('connect-ui/index.html'), `${connectDir}index.html`),
    build({
        ...common,
        entryPoints: [path('sdk/frontend/src/index.ts')],
        outfile: `${sdkDir}spoke-frontend.js`,
        format: 'esm',
        // Deno reads this directive; TypeScript finds the declarations by the file name alone.
        banner: { js: '/* @ts-self-types="./spoke-frontend.d.ts" */' }
    }),
    declarations(),
    build({
        ...common,
        entryPoints: [path('sdk/frontend/src/index.ts')],
        outfile: `${sdkDir}spoke-frontend.iife.js`,
        format: 'iife',
        globalName: 'Spoke',
        // Makes the global the class itself (`new Spoke({ host })`), with the other exports
        // (AuthError, ConnectUI, Nango) as its properties.
        footer: { js: 'Spoke=Object.assign(Spoke.default,Spoke);' }
    })
]);

/** The SDK's declarations, emitted by tsc, behind one entry named like the bundle it describes. */
async function declarations() {
    await promisify(execFile)(process.execPath, [path('node_modules/typescript/bin/tsc'), '-p', path('sdk/frontend/tsconfig.types.json')]);
    await writeFile(`${sdkDir}spoke-frontend.d.ts`, "export * from './types/index.js';\nexport { default } from './types/index.js';\n");
}
