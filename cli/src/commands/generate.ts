import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from '../cli/command.js';
import { err, progress } from '../cli/output.js';
import { modelsFile } from '../generate/models-file.js';
import { compileProject } from '../project/compile.js';
import { PROJECT_DIR, projectDir } from './project-dir.js';

export const generateCommand = defineCommand({
    name: 'generate',
    summary: 'Write models.ts: TypeScript types of every sync model and action input and output.',
    details: [
        'For code outside the functions, such as your app reading records or calling actions. Types are named after the model (GithubIssue) or the action (CreateIssueInput, CreateIssueOutput).'
    ],
    positionals: [PROJECT_DIR],
    options: {},
    async run({ positionals }) {
        const dir = projectDir(positionals[0]);
        const compiled = await compileProject(dir, { typecheck: false });
        const file = join(dir, 'models.ts');
        await writeFile(file, modelsFile(compiled.map((c) => c.entry)));
        progress(err.green(`Wrote ${file}`));
        return 0;
    }
});
