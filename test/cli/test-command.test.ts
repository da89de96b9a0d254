import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson, scaffoldForTest, spoke, writeJson } from './cli-harness.js';

const issue = (id: number, title: string, extra: Record<string, unknown> = {}) => ({
    id,
    number: id - 1000,
    title,
    state: 'open',
    user: { login: 'octocat' },
    labels: [{ name: 'bug' }],
    html_url: `https://github.com/octo-org/hello-world/issues/${id - 1000}`,
    created_at: '2024-03-01T10:00:00Z',
    updated_at: '2024-03-02T10:00:00Z',
    ...extra
});

const record = (id: number, title: string) => ({
    id: String(id),
    repository: 'octo-org/hello-world',
    number: id - 1000,
    title,
    state: 'open',
    author: 'octocat',
    labels: ['bug'],
    url: `https://github.com/octo-org/hello-world/issues/${id - 1000}`,
    created_at: '2024-03-01T10:00:00Z',
    updated_at: '2024-03-02T10:00:00Z'
});

const PAGE_2 = 'https://api.github.com/repositories/1296269/issues?state=all&sort=updated&direction=asc&per_page=100&page=2';

/** The scaffold's issues sync, recorded in Nango's unified mock format: two pages, the first with a pull request to skip. */
function nangoSyncMock() {
    const headers = { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999' };
    return {
        nango: {
            getConnection: {},
            getMetadata: { repositories: ['octo-org/hello-world'] },
            batchSave: { GithubIssue: [record(1001, 'First'), record(1003, 'Third')] },
            batchDelete: { GithubIssue: [] }
        },
        api: {
            get: {
                '/repos/octo-org/hello-world/issues': {
                    response: [issue(1001, 'First'), issue(1002, 'A pull request', { pull_request: {} })],
                    status: 200,
                    headers: { ...headers, link: `<${PAGE_2}>; rel="next"` },
                    hash: 'a'.repeat(40),
                    request: { params: { direction: 'asc', per_page: '100', sort: 'updated', state: 'all' } }
                },
                '/repositories/1296269/issues': [
                    {
                        response: [issue(1003, 'Third')],
                        status: 200,
                        headers,
                        hash: 'b'.repeat(40),
                        request: { params: { direction: 'asc', page: '2', per_page: '100', sort: 'updated', state: 'all' } }
                    }
                ]
            }
        }
    };
}

describe('spoke test', () => {
    it('passes the scaffold\'s recorded tests', async () => {
        const dir = await scaffoldForTest();
        const result = await spoke(['test'], dir);
        expect(result.stdout).toContain('✓ github/create-issue');
        expect(result.stdout).toContain('✓ github/issues');
        expect(result.stdout).toContain('✓ github/choose-repositories');
        expect(result.stdout).toContain('3 tests: 3 passed, 0 failed');
        expect(result.code).toBe(0);
    });

    it('fails with a diff when the records differ from the expectations', async () => {
        const dir = await scaffoldForTest();
        const file = join(dir, 'github/tests/issues.test.json');
        const test = await readJson<any>(file);
        test.expect.records.GithubIssue[1].title = 'Something else';
        test.expect.records.GithubIssue.push({ id: '9' });
        await writeJson(file, test);
        const result = await spoke(['test'], dir);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('✗ github/issues');
        expect(result.stdout).toContain('records.GithubIssue: expected 3 items, got 2');
        expect(result.stdout).toContain('records.GithubIssue[1].title: expected "Something else", got "Typo in the docs"');
        expect(result.stdout).toContain('records.GithubIssue[2]: missing, expected {"id":"9"}');
        expect(result.stdout).toContain('3 tests: 2 passed, 1 failed');
    });

    it('fails on a request the file does not record, showing how the recordings differ', async () => {
        const dir = await scaffoldForTest();
        const file = join(dir, 'github/tests/issues.test.json');
        const test = await readJson<any>(file);
        test.requests[1].params.per_page = '50';
        await writeJson(file, test);
        const result = await spoke(['test', '--function', 'issues'], dir);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('Unrecorded request: GET repositories/1296269/issues?direction=asc&page=2&per_page=100&sort=updated&state=all was not recorded.');
        expect(result.stdout).toContain('params.per_page: expected "50", got "100"');
        expect(result.stdout).toContain('1 test: 0 passed, 1 failed');
    });

    it('checks an expected failure', async () => {
        const dir = await scaffoldForTest();
        const file = join(dir, 'github/tests/create-issue.test.json');
        const test = await readJson<any>(file);
        test.requests[0].response = { status: 410, body: { message: 'Issues are disabled for this repo' } };
        await writeJson(file, test);
        const unexpected = await spoke(['test', '-f', 'create-issue'], dir);
        expect(unexpected.code).toBe(1);
        expect(unexpected.stdout).toContain('The function failed: action_error: Issues are disabled in this repository');

        test.expect = { error: { type: 'action_error', payload: { message: 'Issues are disabled in this repository', repository: 'octo-org/hello-world' } } };
        await writeJson(file, test);
        expect((await spoke(['test', '-f', 'create-issue'], dir)).code).toBe(0);
    });

    it('reads Nango unified mock files as they are', async () => {
        const dir = await scaffoldForTest();
        await writeJson(join(dir, 'github/tests/issues.test.json'), nangoSyncMock());
        await writeJson(join(dir, 'github/tests/create-issue.test.json'), {
            input: { repository: 'octo-org/hello-world', title: 'Broken link' },
            output: { id: '2001', number: 42, url: 'https://github.com/octo-org/hello-world/issues/42' },
            nango: {},
            api: {
                post: {
                    '/repos/octo-org/hello-world/issues': {
                        response: { id: 2001, number: 42, html_url: 'https://github.com/octo-org/hello-world/issues/42' },
                        status: 201,
                        headers: { 'content-type': 'application/json', 'content-length': '120' },
                        hash: 'c'.repeat(40),
                        request: { data: { title: 'Broken link' } }
                    }
                }
            }
        });
        const passing = await spoke(['test'], dir);
        expect(passing.stdout).toContain('3 tests: 3 passed, 0 failed');
        expect(passing.code).toBe(0);

        const mock = nangoSyncMock();
        mock.nango.batchSave.GithubIssue[0]!.title = 'Renamed';
        await writeJson(join(dir, 'github/tests/issues.test.json'), mock);
        const failing = await spoke(['test', '-f', 'issues'], dir);
        expect(failing.code).toBe(1);
        expect(failing.stdout).toContain('records.GithubIssue[0].title: expected "Renamed", got "First"');
    });

    it('--update rewrites the expectations, in the file\'s own format', async () => {
        const dir = await scaffoldForTest();
        const spokeFile = join(dir, 'github/tests/create-issue.test.json');
        const test = await readJson<any>(spokeFile);
        test.expect.output.number = 7;
        await writeJson(spokeFile, test);
        const mock = nangoSyncMock();
        mock.nango.batchSave.GithubIssue = [];
        const nangoFile = join(dir, 'github/tests/issues.test.json');
        await writeJson(nangoFile, mock);
        expect((await spoke(['test'], dir)).code).toBe(1);

        const updated = await spoke(['test', '--update'], dir);
        expect(updated.code).toBe(0);
        expect(updated.stdout).toContain('↻ github/create-issue expectations updated');
        expect((await readJson<any>(spokeFile)).expect).toEqual({ output: { id: '2001', number: 42, url: 'https://github.com/octo-org/hello-world/issues/42' } });
        const rewritten = await readJson<any>(nangoFile);
        expect(rewritten.api).toEqual(mock.api);
        expect(rewritten.nango.batchSave).toEqual(nangoSyncMock().nango.batchSave);
        expect(rewritten.nango.getMetadata).toEqual({ repositories: ['octo-org/hello-world'] });
        expect((await spoke(['test'], dir)).code).toBe(0);
    });

    it('--import converts a Nango mock file into Spoke\'s format', async () => {
        const dir = await scaffoldForTest();
        const nangoFile = join(dir, 'issues.nango.json');
        await writeJson(nangoFile, nangoSyncMock());
        const printed = await spoke(['test', '--import', nangoFile], dir);
        expect(printed.code).toBe(0);
        const converted = JSON.parse(printed.stdout) as any;
        expect(converted.metadata).toEqual({ repositories: ['octo-org/hello-world'] });
        expect(converted.connection).toEqual({});
        expect(converted.requests).toHaveLength(2);
        expect(converted.requests[0]).toMatchObject({
            method: 'GET',
            endpoint: '/repos/octo-org/hello-world/issues',
            params: { direction: 'asc', per_page: '100', sort: 'updated', state: 'all' },
            response: { status: 200, headers: { link: `<${PAGE_2}>; rel="next"` } }
        });
        expect(converted.expect).toEqual({ records: nangoSyncMock().nango.batchSave, deletes: { GithubIssue: [] } });

        const written = await spoke(['test', '--import', nangoFile, '--out', 'github/tests/issues.test.json'], dir);
        expect(written.code).toBe(0);
        expect(await readFile(join(dir, 'github/tests/issues.test.json'), 'utf8')).toBe(printed.stdout);
        expect((await spoke(['test', '-f', 'issues'], dir)).code).toBe(0);

        const again = await spoke(['test', '--import', 'github/tests/issues.test.json'], dir);
        expect(again.code).toBe(1);
        expect(again.stderr).toContain("already in Spoke's format");
    });

    it('reads stored records, tracks deletes and checks saved records against their model', async () => {
        const dir = await scaffoldForTest();
        await writeFile(join(dir, 'index.ts'), `${await readFile(join(dir, 'index.ts'), 'utf8')}import './github/syncs/labels.js';\n`);
        const sync = (trackStart: string) => `
import { createSync } from 'nango';
import { z } from 'zod';

export default createSync({
    description: 'Labels of the repository',
    frequency: 'every day',
    models: { GithubLabel: z.object({ id: z.string(), name: z.string(), color: z.string() }) },
    exec: async (nango) => {
        const known: string[] = [];
        for await (const label of nango.listRecords<{ name: string }>('GithubLabel')) known.push(label.name);
        ${trackStart}
        const { data } = await nango.get<{ id: number; name: string; color?: string }[]>({ endpoint: '/repos/octo-org/hello-world/labels' });
        await nango.batchSave(data.map((label) => ({ id: String(label.id), name: label.name, color: label.color })), 'GithubLabel');
        const { deletedKeys } = await nango.trackDeletesEnd('GithubLabel');
        const readable = await nango.getRecordsByIds(deletedKeys, 'GithubLabel');
        await nango.saveCheckpoint({ known: known.join(','), deleted: deletedKeys.join(','), readable: readable.size });
    }
});
`;
        await writeFile(join(dir, 'github/syncs/labels.ts'), sync("await nango.trackDeletesStart('GithubLabel');"));
        await writeJson(join(dir, 'github/tests/labels.test.json'), {
            stored_records: { GithubLabel: [{ id: '1', name: 'bug', color: 'red' }, { id: '2', name: 'wontfix', color: 'grey' }, { id: '3', name: 'old', color: 'blue' }] },
            requests: [
                {
                    method: 'GET',
                    endpoint: '/repos/octo-org/hello-world/labels',
                    // Label 2 has lost its color: it fails the model, so it is not saved, and so it is deleted.
                    response: { body: [{ id: 1, name: 'bug', color: 'red' }, { id: 2, name: 'wontfix' }, { id: 4, name: 'new', color: 'green' }] }
                }
            ],
            expect: {
                records: { GithubLabel: [{ id: '1', name: 'bug', color: 'red' }, { id: '4', name: 'new', color: 'green' }] },
                deletes: { GithubLabel: [{ id: '2' }, { id: '3' }] },
                checkpoint: { known: 'bug,wontfix,old', deleted: '2,3', readable: 0 }
            }
        });
        const passing = await spoke(['test', '-f', 'labels', '--verbose'], dir);
        expect(passing.stdout).toContain('✓ github/labels');
        expect(passing.stdout).toContain('batchSave: 1 invalid record(s) of model "GithubLabel" were left out: "2" (color: ');
        expect(passing.code).toBe(0);

        await writeFile(join(dir, 'github/syncs/labels.ts'), sync(''));
        const failing = await spoke(['test', '-f', 'labels'], dir);
        expect(failing.code).toBe(1);
        expect(failing.stdout).toContain('The function failed: runtime_error: track_deletes_not_started: trackDeletesEnd("GithubLabel") was called without trackDeletesStart("GithubLabel")');
    });

    it('reports a test file without a function, and an invalid test file', async () => {
        const dir = await scaffoldForTest();
        await writeFile(join(dir, 'github/tests/missing.test.json'), '{"requests": []}');
        await writeFile(join(dir, 'github/tests/issues.test.json'), '{"requests": [], "expects": {}}');
        const result = await spoke(['test'], dir);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('github/tests/missing.test.json has no function: expected github/{syncs,actions,on-events}/missing.ts');
        expect(result.stdout).toContain('github/tests/issues.test.json is not a valid test file');
        expect(result.stdout).toContain('4 tests: 2 passed, 2 failed');
    });
});
