import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { errorMessage } from '../cli/errors.js';
import { fromNangoMock, isNangoMock } from './nango-mock.js';
import { type TestFile, testFileSchema } from './test-file.js';

const SUFFIX = '.test.json';

export interface TestFileLocation {
    file: string;
    /** Relative to the project, for messages. */
    path: string;
    integration: string;
    /** The function it tests: the file's name without `.test.json`. */
    name: string;
}

/** Every `<integration>/tests/<function>.test.json` of the project. */
export async function findTestFiles(projectDir: string): Promise<TestFileLocation[]> {
    const found: TestFileLocation[] = [];
    for (const entry of await readdir(projectDir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
        const dir = join(projectDir, entry.name, 'tests');
        if (!existsSync(dir)) continue;
        for (const test of await readdir(dir)) {
            if (!test.endsWith(SUFFIX)) continue;
            const file = join(dir, test);
            found.push({ file, path: relative(projectDir, file).split(sep).join('/'), integration: entry.name, name: test.slice(0, -SUFFIX.length) });
        }
    }
    return found.sort((a, b) => a.path.localeCompare(b.path));
}

export type ParsedTestFile = { format: 'spoke' | 'nango'; raw: Record<string, unknown>; test: TestFile } | { problem: string };

/** Reads a test file in Spoke's format, or in Nango's unified mock format (recognised by its `api` key). */
export async function readTestFile(file: string): Promise<ParsedTestFile> {
    let raw: unknown;
    try {
        raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (error) {
        return { problem: `not valid JSON: ${errorMessage(error)}` };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: 'a test file holds a JSON object' };
    const record = raw as Record<string, unknown>;
    if (isNangoMock(record)) {
        try {
            return { format: 'nango', raw: record, test: fromNangoMock(record) };
        } catch (error) {
            return { problem: `not a valid Nango mock file: ${errorMessage(error)}` };
        }
    }
    const parsed = testFileSchema.safeParse(record);
    if (!parsed.success) return { problem: `not a valid test file:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n')}` };
    return { format: 'spoke', raw: record, test: parsed.data };
}
