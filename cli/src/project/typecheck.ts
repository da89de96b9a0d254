import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli/errors.js';
import { progress } from '../cli/output.js';
import { spokePaths } from './spoke-paths.js';
import { EXCLUDED_FROM_TYPECHECK, functionsCompilerOptions } from './tsconfig.js';

/**
 * Type-checks the project with Spoke's TypeScript, under the project's tsconfig.json. A project
 * without one (as Nango projects often are) is checked under the options `spoke init` writes.
 */
export async function typeCheck(projectDir: string, distDir: string): Promise<void> {
    if (!existsSync(spokePaths.tsc)) throw new CliError(`TypeScript is missing from ${spokePaths.nodeModules}; run \`npm install\` in the Spoke checkout`);
    const ownConfig = join(projectDir, 'tsconfig.json');
    const config = existsSync(ownConfig) ? ownConfig : await writeDefaultConfig(projectDir, distDir);
    const pretty = process.stderr.isTTY === true && !process.env.NO_COLOR;
    const { code, output } = await run(process.execPath, [spokePaths.tsc, '-p', config, '--noEmit', '--pretty', String(pretty)], projectDir);
    if (code === 0) return;
    progress(output.trimEnd());
    throw new CliError('Type-checking failed: fix the errors above and compile again.');
}

async function writeDefaultConfig(projectDir: string, distDir: string): Promise<string> {
    await mkdir(distDir, { recursive: true });
    const file = join(distDir, 'tsconfig.spoke.json');
    const config = {
        compilerOptions: functionsCompilerOptions(projectDir),
        include: [`${projectDir}/**/*.ts`],
        exclude: EXCLUDED_FROM_TYPECHECK.map((pattern) => `${projectDir}/${pattern}`)
    };
    await writeFile(file, `${JSON.stringify(config, null, 4)}\n`);
    return file;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, output }));
    });
}
