import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spoke, tempDir } from './cli-harness.js';

// Each command's usage line and the options it documents.
const COMMANDS: Record<string, { usage: string; options: string[] }> = {
    init: { usage: 'spoke init [dir]', options: [] },
    compile: { usage: 'spoke compile [dir]', options: [] },
    generate: { usage: 'spoke generate [dir]', options: [] },
    test: { usage: 'spoke test [dir] [options]', options: ['-f, --function <name>', '-u, --update', '-v, --verbose', '--import <nango-file>', '-o, --out <file>'] },
    dryrun: { usage: 'spoke dryrun <function> <connection-id> [dir] [options]', options: ['-e, --env <name>', '--integration <key>', '--input <json|@file>', '--metadata <json|@file>', '--checkpoint <json|@file>', '--remote', '--timeout <seconds>'] },
    deploy: { usage: 'spoke deploy [dir] [options]', options: ['-e, --env <name>', '-m, --message <text>', '--rollback [version]', '-y, --yes'] }
};

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('--help', () => {
    it('lists every command at the top level', async () => {
        for (const args of [['--help'], ['-h'], ['help']]) {
            const result = await spoke(args, dir);
            expect(result.code, args.join(' ')).toBe(0);
            expect(result.stdout).toContain('Usage: spoke <command> [arguments] [options]');
            for (const name of Object.keys(COMMANDS)) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
        }
        // Without a command it shows the same overview, but as a failure.
        const bare = await spoke([], dir);
        expect(bare.code).toBe(1);
        expect(bare.stdout).toContain('Usage: spoke <command>');
    });

    for (const [name, { usage, options }] of Object.entries(COMMANDS)) {
        it(`explains spoke ${name} without running it`, async () => {
            for (const flag of ['--help', '-h']) {
                // Required arguments are not required for help, and nothing is created or called.
                const result = await spoke([name, flag], dir);
                expect(result.code, result.stderr).toBe(0);
                expect(result.stderr).toBe('');
                expect(result.stdout).toContain(`Usage: ${usage}`);
                for (const option of [...options, '-h, --help']) expect(result.stdout).toContain(option);
            }
        });
    }

    it('points at the help when a command is unknown or misused', async () => {
        const unknown = await spoke(['deplyo'], dir);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain('Unknown command "deplyo"');
        expect(unknown.stderr).toContain('See `spoke --help`');
        const misused = await spoke(['deploy', '--nope'], dir);
        expect(misused.code).toBe(1);
        expect(misused.stderr).toContain('Unknown option --nope. See `spoke deploy --help`.');
    });
});
