import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineCommand } from '../cli/command.js';
import { CliError } from '../cli/errors.js';
import { formatLogLine } from '../cli/log-line.js';
import { count, err, out, print, progress } from '../cli/output.js';
import { type CompiledFunction, compileProject } from '../project/compile.js';
import type { FunctionType } from '../project/discover.js';
import { actualOf, expectationsFrom, failuresOf } from '../testing/expectations.js';
import { describeRequest } from '../testing/request-matching.js';
import { updateNangoMock } from '../testing/nango-mock.js';
import { runTest, type TestRun } from '../testing/run-test.js';
import { findTestFiles, type ParsedTestFile, readTestFile, type TestFileLocation } from '../testing/test-files.js';
import { PROJECT_DIR, projectDir } from './project-dir.js';

const TIMEOUT_MS = 30_000;

export const testCommand = defineCommand({
    name: 'test',
    summary: 'Replay recorded upstream traffic against functions, locally, and compare the results.',
    details: [
        'Each <integration>/tests/<function>.test.json runs its function in Node through the sandbox runtime: upstream calls are answered from the file, and the output (actions) or saved records (syncs) must equal the file\'s expectations. Files in Nango\'s unified mock format are read as they are. See docs/functions-testing.md.',
        'Functions are bundled but not type-checked: `spoke compile` does that.'
    ],
    positionals: [PROJECT_DIR],
    options: {
        function: { type: 'string', short: 'f', valueName: 'name', description: 'Only the tests of this function' },
        update: { type: 'boolean', short: 'u', description: 'Rewrite each file\'s expectations from what the run produced' },
        verbose: { type: 'boolean', short: 'v', description: 'Show the functions\' logs and the recorded requests they did not use' },
        import: { type: 'string', valueName: 'nango-file', description: 'Convert a Nango mock file to Spoke\'s format instead of testing' },
        out: { type: 'string', short: 'o', valueName: 'file', description: 'Where --import writes (default: stdout)' }
    },
    async run({ positionals, options }) {
        if (options.import !== undefined) return importNangoFile(options.import, options.out);
        if (options.out !== undefined) throw new CliError('--out goes with --import');
        const dir = projectDir(positionals[0]);
        const locations = (await findTestFiles(dir)).filter((l) => options.function === undefined || l.name === options.function);
        if (locations.length === 0) {
            const which = options.function === undefined ? '' : ` for "${options.function}"`;
            throw new CliError(`No test files${which} in ${dir}: tests are <integration>/tests/<function>.test.json`);
        }
        const tested = new Set(locations.map((l) => `${l.integration}/${l.name}`));
        const compiled = await compileProject(dir, { typecheck: false, select: (sources) => sources.filter((s) => tested.has(`${s.integration}/${s.name}`)) });
        const byKey = new Map(compiled.map((c) => [`${c.entry.integration}/${c.entry.name}`, c]));
        progress(`Running ${count(locations.length, 'test')}…`);
        let failed = 0;
        for (const location of locations) {
            const passed = await runOne(location, byKey.get(`${location.integration}/${location.name}`), { update: options.update, verbose: options.verbose });
            if (!passed) failed++;
        }
        print();
        const summary = `${count(locations.length, 'test')}: ${locations.length - failed} passed, ${failed} failed`;
        print(failed ? out.red(summary) : out.green(summary));
        return failed ? 1 : 0;
    }
});

async function runOne(location: TestFileLocation, compiled: CompiledFunction | undefined, options: { update: boolean; verbose: boolean }): Promise<boolean> {
    const label = `${location.integration}/${location.name}`;
    if (!compiled) return fail(label, [`${location.path} has no function: expected ${location.integration}/{syncs,actions,on-events}/${location.name}.ts`]);
    const parsed = await readTestFile(location.file);
    if ('problem' in parsed) return fail(label, [`${location.path} is ${parsed.problem}`]);
    const started = Date.now();
    const run = await runTest({ ...compiled.entry, definition: compiled.definition }, parsed.test, TIMEOUT_MS);
    const elapsed = out.gray(`(${Date.now() - started} ms)`);
    const details = options.verbose
        ? [...run.host.logs.map((entry) => formatLogLine(entry, out)), ...run.traffic.unused().map((unused) => out.gray(`unused recording: ${describeRequest(unused)}`))]
        : [];
    if (options.update) return update(label, location, parsed, run, compiled.entry.type, elapsed, details);
    const failures = failuresOf(parsed.test.expect, run);
    if (failures.length) return fail(label, [...details, ...failures]);
    return pass(`${out.green('✓')} ${label} ${elapsed}`, details);
}

async function update(label: string, location: TestFileLocation, parsed: Extract<ParsedTestFile, { raw: unknown }>, run: TestRun, type: FunctionType, elapsed: string, details: string[]): Promise<boolean> {
    if (run.traffic.misses.length) return fail(label, [...details, ...run.traffic.misses.map((miss) => `Unrecorded request: ${miss}`), 'Not updated: record these requests first.']);
    const actual = actualOf(run);
    let next: Record<string, unknown>;
    if (parsed.format === 'nango') {
        if (actual.error) return fail(label, [...details, `The run failed (${actual.error.type}: ${actual.error.message}); a Nango mock file cannot expect a failure. Convert it with --import to record one.`]);
        next = updateNangoMock(parsed.raw, { type, ...actual });
    } else {
        next = { ...parsed.raw, expect: expectationsFrom(actual, type, parsed.test.expect) };
    }
    await writeFile(location.file, `${JSON.stringify(next, null, 2)}\n`);
    return pass(`${out.cyan('↻')} ${label} ${out.gray('expectations updated')} ${elapsed}`, details);
}

function pass(line: string, details: string[]): true {
    print(line);
    for (const detail of details) print(`    ${detail}`);
    return true;
}

function fail(label: string, lines: string[]): false {
    print(`${out.red('✗')} ${label}`);
    for (const line of lines) print(line.replace(/^/gm, '    '));
    return false;
}

async function importNangoFile(source: string, target: string | undefined): Promise<number> {
    const parsed = await readTestFile(resolve(source));
    if ('problem' in parsed) throw new CliError(`${source} is ${parsed.problem}`);
    if (parsed.format !== 'nango') throw new CliError(`${source} is already in Spoke's format`);
    const converted = `${JSON.stringify(parsed.test, null, 2)}\n`;
    if (target === undefined) {
        process.stdout.write(converted);
        return 0;
    }
    await writeFile(resolve(target), converted);
    progress(err.green(`Wrote ${target}`));
    return 0;
}
