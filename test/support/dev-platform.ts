import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface DevPlatform {
    url: string;
    secretKey: string;
    adminSecret: string;
    output: () => string;
    stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolve(port));
        });
    });
}

export interface DevPlatformOptions {
    /** A state folder to reuse; it is kept on stop. By default a throwaway one, removed on stop. */
    stateDir?: string;
    /** The dev key to fix with SPOKE_DEV_SECRET_KEY; `null` lets the script choose or reuse one. A random one by default. */
    secretKey?: string | null;
    /** More environment variables for the script. */
    env?: Record<string, string>;
}

/**
 * Starts the platform exactly as `npm run dev` does, on a free port, and resolves once the script
 * reports it ready.
 */
export async function startDevPlatform(options: DevPlatformOptions = {}): Promise<DevPlatform> {
    const port = await freePort();
    const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'spoke-e2e-'));
    const fixedKey = options.secretKey === undefined ? randomUUID() : options.secretKey;
    const child: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts/dev.mjs')], {
        cwd: root,
        env: { ...process.env, PORT: String(port), SPOKE_STATE_DIR: stateDir, SPOKE_DEV_SECRET_KEY: fixedKey ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));

    const stop = async () => {
        if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGINT');
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
            if (child.exitCode === null) child.kill('SIGKILL');
        }
        if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    };

    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`platform not ready after 120 s:\n${output}`)), 120_000);
        child.stdout!.on('data', () => {
            if (output.includes('Spoke is ready')) {
                clearTimeout(timer);
                resolve();
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`npm run dev exited with ${code}:\n${output}`));
        });
    }).catch(async (error) => {
        await stop();
        throw error;
    });

    const saved = JSON.parse(readFileSync(path.join(stateDir, 'spoke-dev.json'), 'utf8')) as { SPOKE_ADMIN_SECRET: string; devSecretKey: string };
    return { url: `http://localhost:${port}`, secretKey: saved.devSecretKey, adminSecret: saved.SPOKE_ADMIN_SECRET, output: () => output, stop };
}
