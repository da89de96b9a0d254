import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { defineCommand } from '../cli/command.js';
import { CliError } from '../cli/errors.js';
import { err, out, print, progress } from '../cli/output.js';
import { spokePaths } from '../project/spoke-paths.js';
import { EXCLUDED_FROM_TYPECHECK, functionsCompilerOptions } from '../project/tsconfig.js';

// Template files stored under another name, so they don't act on Spoke's own checkout.
const RENAMED = { gitignore: '.gitignore', 'env.example': '.env.example' };

export const initCommand = defineCommand({
    name: 'init',
    summary: 'Create a function project with an example sync, action and event function.',
    details: [
        'The layout is Nango\'s: index.ts imports every function, and each integration has a folder (its unique key) with syncs/, actions/ and on-events/. The tsconfig.json points `nango` and `@spoke/functions` at Spoke\'s SDK, so editors and tsc type-check function code.'
    ],
    positionals: [{ name: 'dir', description: 'Where to create it (default: ./spoke-functions); must be empty or absent' }],
    options: {},
    async run({ positionals }) {
        const dir = resolve(positionals[0] ?? 'spoke-functions');
        if (existsSync(dir) && (await readdir(dir)).length > 0) throw new CliError(`${dir} is not empty; choose a new or empty directory`);
        await mkdir(dir, { recursive: true });
        await cp(spokePaths.templates, dir, { recursive: true });
        for (const [stored, name] of Object.entries(RENAMED)) await rename(join(dir, stored), join(dir, name));
        await writeJson(join(dir, 'tsconfig.json'), {
            compilerOptions: functionsCompilerOptions('.'),
            include: ['**/*.ts'],
            exclude: EXCLUDED_FROM_TYPECHECK
        });
        await writeJson(join(dir, 'package.json'), {
            name: packageName(dir),
            private: true,
            type: 'module',
            dependencies: { zod: `^${zodVersion()}` }
        });
        progress(err.green(`Created a function project in ${dir}`));
        const fromHere = relative(process.cwd(), dir);
        const shown = fromHere.startsWith('..') ? dir : fromHere || '.';
        print();
        print(out.bold('Next:'));
        print(`  cd ${shown}`);
        print('  cp .env.example .env      # then set SPOKE_SECRET_KEY_DEV');
        print('  spoke compile             # type-check and bundle');
        print('  spoke test                # replay github/tests/*.test.json');
        print('  spoke dryrun issues <connection-id> --metadata \'{"repositories":["owner/repo"]}\'');
        print('  spoke deploy');
        return 0;
    }
});

async function writeJson(file: string, value: unknown): Promise<void> {
    await writeFile(file, `${JSON.stringify(value, null, 4)}\n`);
}

function packageName(dir: string): string {
    return basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'spoke-functions';
}

/** The zod the CLI reads schemas with; projects get the same major. */
function zodVersion(): string {
    const manifest = JSON.parse(readFileSync(join(spokePaths.nodeModules, 'zod', 'package.json'), 'utf8')) as { version: string };
    return manifest.version;
}
