import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const host = inject('platformUrl');

/** A TypeScript project that downloaded the SDK from the platform into `vendor/`, as docs/connect-ui.md tells it to. */
describe('The frontend SDK as a TypeScript consumer downloads it', () => {
    let dir: string;
    let bundle: string;
    const served = new Map<string, Response>();

    /** Fetches a file under /sdk/ and, for declarations, every declaration file it imports. */
    async function download(file: string): Promise<void> {
        if (served.has(file)) return;
        const res = await fetch(`${host}/sdk/${file}`);
        expect(res.status, file).toBe(200);
        served.set(file, res.clone());
        const text = await res.text();
        await mkdir(path.dirname(path.join(dir, 'vendor', file)), { recursive: true });
        await writeFile(path.join(dir, 'vendor', file), text);
        if (!file.endsWith('.d.ts')) return;
        for (const [, spec] of text.matchAll(/from '(\.\/[^']+)\.js'/g)) await download(path.posix.join(path.posix.dirname(file), `${spec}.d.ts`));
    }

    async function typecheck(source: string): Promise<string> {
        await writeFile(path.join(dir, 'app.ts'), source);
        const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
        const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--types', '', 'app.ts'];
        try {
            await promisify(execFile)(process.execPath, [tsc, ...args], { cwd: dir });
            return '';
        } catch (error) {
            return (error as { stdout: string }).stdout;
        }
    }

    beforeAll(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'spoke-sdk-consumer-'));
        await download('spoke-frontend.js');
        await download('spoke-frontend.d.ts');
        bundle = await served.get('spoke-frontend.js')!.text();
    });

    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('is one small module that imports nothing and can be loaded from any origin', () => {
        expect(bundle).not.toMatch(/\bimport\s*[("'{*\w]/);
        expect(gzipSync(bundle).length).toBeLessThan(4096);
        expect(served.get('spoke-frontend.js')!.headers.get('access-control-allow-origin')).toBe('*');
        expect([...served.keys()]).toEqual(expect.arrayContaining(['spoke-frontend.d.ts', 'types/index.d.ts', 'types/types.d.ts']));
        for (const [file, res] of served) if (file.endsWith('.d.ts')) expect(res.headers.get('content-type'), file).toMatch(/^application\/typescript/);
    });

    it('types the public API next to the bundle', async () => {
        const ok = `import Spoke, { AuthError, type AuthResult, type ConnectUIEvent } from './vendor/spoke-frontend.js';
const spoke = new Spoke({ host: 'https://spoke.example.com', connectSessionToken: 'token' });
const ui = spoke.openConnectUI({ themeOverride: 'dark', onEvent: (event: ConnectUIEvent) => { if (event.type === 'connect') console.log(event.payload.connectionId); } });
ui.setSessionToken('next');
const result: Promise<AuthResult> = spoke.auth('github', { credentials: { apiKey: 'key' }, params: { subdomain: 'acme' } });
result.catch((error: unknown) => { if (error instanceof AuthError) console.log(error.type); });
`;
        expect(await typecheck(ok)).toBe('');

        const wrong = `import Spoke from './vendor/spoke-frontend.js';
const spoke = new Spoke({ host: 'https://spoke.example.com' });
spoke.openConnectUI({ themeOverride: 'blue' });
spoke.auth('github').then((result) => result.connectionID);
`;
        const errors = await typecheck(wrong);
        // An unknown theme, and a misspelt result field.
        expect(errors).toMatch(/^app\.ts\(3,\d+\): error TS2322: Type '"blue"'/m);
        expect(errors).toMatch(/^app\.ts\(4,\d+\): error TS2551: Property 'connectionID' does not exist on type 'AuthResult'/m);
    });
});
