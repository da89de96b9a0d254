import { relative } from 'node:path';
import { defineCommand } from '../cli/command.js';
import { count, err, formatBytes, out, print, progress, table } from '../cli/output.js';
import { type CompiledFunction, compileProject } from '../project/compile.js';
import { PROJECT_DIR, projectDir } from './project-dir.js';

export const compileCommand = defineCommand({
    name: 'compile',
    summary: 'Type-check the project and bundle each function into dist/, checking its definition.',
    details: [
        'Functions are <integration>/syncs/*.ts, <integration>/actions/*.ts and <integration>/on-events/*.ts, plus what index.ts imports. Each is bundled with its npm dependencies into dist/<integration>/<name>.mjs; dist/manifest.json lists what a deployment would contain.'
    ],
    positionals: [PROJECT_DIR],
    options: {},
    async run({ positionals }) {
        const dir = projectDir(positionals[0]);
        const compiled = await compileProject(dir, { typecheck: true });
        printSummary(compiled, dir);
        return 0;
    }
});

function printSummary(compiled: CompiledFunction[], dir: string): void {
    const rows = compiled.map((c) => [`${c.entry.integration}/${c.entry.name}`, c.entry.type, formatBytes(c.size), out.gray(relative(dir, c.bundleFile))]);
    for (const line of table(rows, ['Function', 'Type', 'Size', 'Bundle'].map(out.bold))) print(line);
    progress(err.green(`Compiled ${count(compiled.length, 'function')}.`));
}
