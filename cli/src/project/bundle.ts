import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build, formatMessages, type Message, type Plugin } from 'esbuild';
import { CliError } from '../cli/errors.js';
import type { FunctionSource } from './discover.js';
import { SDK_MODULES, spokePaths } from './spoke-paths.js';

/** Node modules the sandbox provides (Workers' nodejs_compat); any `node:`-prefixed module is left to it too. */
const ALLOWED_BUILTINS = ['crypto', 'url', 'buffer'];

/** Where the bundle of a function is written, relative to the output folder. */
export function bundlePath(source: Pick<FunctionSource, 'integration' | 'name'>): string {
    return `${source.integration}/${source.name}.mjs`;
}

/**
 * Bundles each function into one self-contained ES module whose default export is its
 * definition. npm dependencies are bundled, from the project's node_modules or else Spoke's.
 */
export async function bundleFunctions(projectDir: string, sources: FunctionSource[], outDir: string): Promise<void> {
    try {
        await build({
            absWorkingDir: projectDir,
            entryPoints: sources.map((source) => ({ in: source.file, out: bundlePath(source).replace(/\.mjs$/, '') })),
            outdir: outDir,
            outExtension: { '.js': '.mjs' },
            bundle: true,
            format: 'esm',
            platform: 'neutral',
            target: 'es2022',
            // Neutral platform reads no package.json entry field by default; npm packages need these.
            mainFields: ['module', 'main'],
            alias: Object.fromEntries(SDK_MODULES.map((name) => [name, spokePaths.sdkEntry])),
            nodePaths: [join(projectDir, 'node_modules'), spokePaths.nodeModules],
            plugins: [nodeBuiltins()],
            // Readable names keep the function's stack traces useful; whitespace and syntax are minified.
            minifyWhitespace: true,
            minifySyntax: true,
            legalComments: 'none',
            logLevel: 'silent',
            write: true
        });
    } catch (error) {
        const errors = (error as { errors?: Message[] }).errors;
        if (!errors?.length) throw error;
        const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
        const formatted = await formatMessages(errors, { kind: 'error', color });
        throw new CliError(`Bundling failed:\n\n${formatted.join('').trimEnd()}`);
    }
}

function nodeBuiltins(): Plugin {
    const names = builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));
    const filter = new RegExp(`^(${names.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?$`);
    return {
        name: 'spoke-node-builtins',
        setup(build) {
            build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, external: true }));
            build.onResolve({ filter }, (args) => {
                if (ALLOWED_BUILTINS.includes(args.path)) return { path: args.path, external: true };
                return {
                    errors: [
                        {
                            text: `"${args.path}" is a Node.js module that functions cannot use. Functions run in a sandbox without it; they may import ${ALLOWED_BUILTINS.join(', ')} and node:-prefixed modules of the Workers runtime.`
                        }
                    ]
                };
            });
        }
    };
}
