import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { onTestFinished } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'cli/bin/spoke.mjs');

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs `spoke <args>` as a user would, without colours and without a Spoke key in the environment. */
export async function spoke(args: string[], cwd: string): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const name of Object.keys(env)) if (name.startsWith('SPOKE_') || name.startsWith('NANGO_')) delete env[name];
    try {
        const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env, timeout: 60_000 });
        return { code: 0, stdout, stderr };
    } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        if (typeof failed.code !== 'number') throw error;
        return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'spoke-cli-'));
    return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `spoke init` into a new directory, for tests that start from the scaffold. */
export async function scaffold(): Promise<{ project: string; cleanup: () => Promise<void> }> {
    const { dir, cleanup } = await tempDir();
    const project = join(dir, 'functions');
    const result = await spoke(['init', project], dir);
    if (result.code !== 0) throw new Error(`spoke init failed: ${result.stderr}`);
    return { project, cleanup };
}

/** A fresh temporary directory, removed when the current test finishes. */
export async function tempDirForTest(): Promise<string> {
    const { dir, cleanup } = await tempDir();
    onTestFinished(cleanup);
    return dir;
}

/** `spoke init` into a new directory, removed when the current test finishes. */
export async function scaffoldForTest(): Promise<string> {
    const { project, cleanup } = await scaffold();
    onTestFinished(cleanup);
    return project;
}

export async function readJson<T>(file: string): Promise<T> {
    return JSON.parse(await readFile(file, 'utf8')) as T;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
    await writeFile(file, JSON.stringify(value, null, 2));
}
