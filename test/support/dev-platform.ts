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

/**
 * Starts the platform exactly as `npm run dev` does, on a free port with a throwaway state folder,
 * and resolves once the script reports it ready.
 */
export async function startDevPlatform(): Promise<DevPlatform> {
    const port = await freePort();
    const stateDir = mkdtempSync(path.join(tmpdir(), 'spoke-e2e-'));
    const secretKey = randomUUID();
    const child: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts/dev.mjs')], {
        cwd: root,
        env: { ...process.env, PORT: String(port), SPOKE_STATE_DIR: stateDir, SPOKE_DEV_SECRET_KEY: secretKey },
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
        rmSync(stateDir, { recursive: true, force: true });
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

    const saved = JSON.parse(readFileSync(path.join(stateDir, 'spoke-dev.json'), 'utf8')) as { SPOKE_ADMIN_SECRET: string };
    return { url: `http://localhost:${port}`, secretKey, adminSecret: saved.SPOKE_ADMIN_SECRET, output: () => output, stop };
}
