import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/src/cli/args.js';
import { jsonArgument, jsonObjectArgument } from '../../cli/src/commands/json-argument.js';
import { diffFunctions } from '../../cli/src/platform/deployment-diff.js';
import { resolveTarget } from '../../cli/src/platform/target.js';
import { ReplayRecords } from '../../cli/src/testing/replay-records.js';
import { describeRequest, matches, proxyIdentity, recordedIdentity } from '../../cli/src/testing/request-matching.js';
import { queryEntries } from '../../functions-runtime/host-contract.js';
import { tempDir } from './cli-harness.js';

describe('argument parsing', () => {
    const specs = {
        env: { type: 'string', short: 'e', valueName: 'name', description: '' },
        yes: { type: 'boolean', short: 'y', description: '' },
        rollback: { type: 'string', valueName: 'version', optionalValue: /^\d+$/, description: '' }
    } as const;

    it('reads flags, values, short forms and positionals', () => {
        expect(parseArgs(['./dir', '-e', 'prod', '--yes'], specs, '')).toEqual({ positionals: ['./dir'], options: { env: 'prod', yes: true, rollback: undefined } });
        expect(parseArgs(['--env=staging', '--', '--not-a-flag'], specs, '').options.env).toBe('staging');
        expect(parseArgs(['--', '--not-a-flag'], specs, '').positionals).toEqual(['--not-a-flag']);
    });

    it('takes an optional value only when it fits', () => {
        expect(parseArgs(['--rollback', '3'], specs, '').options.rollback).toBe('3');
        expect(parseArgs(['--rollback', './dir'], specs, '')).toMatchObject({ positionals: ['./dir'], options: { rollback: true } });
    });

    it('rejects unknown options and missing values', () => {
        expect(() => parseArgs(['--force'], specs, 'See help.')).toThrow('Unknown option --force. See help.');
        expect(() => parseArgs(['--env'], specs, '')).toThrow('--env needs a value');
        expect(() => parseArgs(['--yes=1'], specs, '')).toThrow('--yes takes no value');
    });
});

describe('JSON options', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir()));
    afterEach(() => cleanup());

    it('are read inline or from @file, and an input that is not JSON is a string', async () => {
        await writeFile(join(dir, 'metadata.json'), '{"team": "platform"}');
        expect(jsonObjectArgument('{"team": "platform"}', 'metadata')).toEqual({ team: 'platform' });
        expect(jsonObjectArgument(`@${join(dir, 'metadata.json')}`, 'metadata')).toEqual({ team: 'platform' });
        expect(jsonArgument('hello', 'input', true)).toBe('hello');
        expect(jsonArgument('[1]', 'input', true)).toEqual([1]);
    });

    it('are refused with the option\'s name when they cannot be read', async () => {
        await writeFile(join(dir, 'bad.json'), 'hello');
        expect(() => jsonObjectArgument('{not json', 'metadata')).toThrow('--metadata is not valid JSON');
        expect(() => jsonObjectArgument('[1, 2]', 'checkpoint')).toThrow('--checkpoint must be a JSON object');
        expect(() => jsonObjectArgument(`@${join(dir, 'nowhere.json')}`, 'metadata')).toThrow(`--metadata: cannot read ${join(dir, 'nowhere.json')}`);
        // A file is JSON even for an input.
        expect(() => jsonArgument(`@${join(dir, 'bad.json')}`, 'input', true)).toThrow('--input is not valid JSON');
    });
});

describe('platform target', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    const saved = { ...process.env };

    beforeEach(async () => {
        ({ dir, cleanup } = await tempDir());
        for (const name of Object.keys(process.env)) if (name.startsWith('SPOKE_') || name.startsWith('NANGO_')) delete process.env[name];
    });
    afterEach(async () => {
        process.env = { ...saved };
        await cleanup();
    });

    it('reads the host and the environment\'s key from .env, the shell winning', async () => {
        await writeFile(join(dir, '.env'), ['# keys', 'SPOKE_HOST=https://spoke.example.com/', 'export SPOKE_SECRET_KEY_PROD="from-file" # prod', "SPOKE_SECRET_KEY_MY_ENV='quoted # not a comment'"].join('\n'));
        expect(await resolveTarget(dir, 'prod')).toEqual({ host: 'https://spoke.example.com', environment: 'prod', secretKey: 'from-file' });
        expect((await resolveTarget(dir, 'my-env')).secretKey).toBe('quoted # not a comment');
        process.env.SPOKE_SECRET_KEY_PROD = 'from-shell';
        expect((await resolveTarget(dir, 'prod')).secretKey).toBe('from-shell');
    });

    it('falls back to Nango\'s variable and to SPOKE_SECRET_KEY, and says which to set', async () => {
        process.env.NANGO_SECRET_KEY_DEV = 'nango-key';
        expect(await resolveTarget(dir, 'dev')).toEqual({ host: 'http://localhost:8787', environment: 'dev', secretKey: 'nango-key' });
        process.env.SPOKE_SECRET_KEY = 'any-env';
        expect((await resolveTarget(dir, 'staging')).secretKey).toBe('any-env');
        delete process.env.SPOKE_SECRET_KEY;
        await expect(resolveTarget(dir, 'staging')).rejects.toThrow('set SPOKE_SECRET_KEY_STAGING');
    });
});

describe('queries', () => {
    it('are read as the platform sends them', () => {
        expect(queryEntries({ a: [1, 'x'], b: true, c: undefined, d: null as never, page: 2 }, 'page=1&z=0')).toEqual([
            ['page', '2'],
            ['z', '0'],
            ['a', '1,x'],
            ['b', 'true'],
            ['d', 'null']
        ]);
        expect(queryEntries('?tag=a&tag=b', 'tag=0')).toEqual([
            ['tag', '0'],
            ['tag', 'a'],
            ['tag', 'b']
        ]);
        expect(queryEntries(undefined)).toEqual([]);
    });

    it('identify requests in spoke test the same way', () => {
        const actual = proxyIdentity({ method: 'GET', endpoint: '/items?tag=a', params: 'tag=b&page=2' });
        expect(actual.params).toEqual({ page: '2', tag: ['a', 'b'] });
        expect(describeRequest(actual)).toBe('GET items?page=2&tag=a&tag=b');
        const recorded = (params: Record<string, unknown>) => recordedIdentity({ method: 'GET', endpoint: '/items', params } as never);
        expect(matches(recorded({ tag: ['a', 'b'], page: 2 }), actual, false)).toBe(false);
        expect(matches(recorded({ since: null }), proxyIdentity({ method: 'GET', endpoint: 'items', params: { since: null as never } }), false)).toBe(true);
        expect(matches(recorded({}), proxyIdentity({ method: 'GET', endpoint: 'items', params: { since: null as never } }), false)).toBe(false);
    });
});

describe('deployment changes', () => {
    const fn = (name: string, hash: string, config: Record<string, unknown> = { a: 1, b: 2 }) => ({ integration: 'github', name, type: 'action', bundle_hash: hash, config });

    it('matches functions by integration and name and compares code and config', () => {
        const previous = [fn('same', 'h1'), fn('new-code', 'h2'), fn('new-config', 'h3'), fn('gone', 'h4')];
        const next = [fn('same', 'h1', { b: 2, a: 1 }), fn('new-code', 'h2b'), fn('new-config', 'h3', { a: 2 }), fn('added', 'h5')];
        const changes = diffFunctions(previous, next);
        expect(changes.added.map((f) => f.name)).toEqual(['added']);
        expect(changes.updated.map((f) => f.name)).toEqual(['new-code', 'new-config']);
        expect(changes.removed.map((f) => f.name)).toEqual(['gone']);
    });
});

describe('the records spoke test reads', () => {
    it('lists stored then saved records in modification order, a page at a time, without deleted ones', () => {
        const records = new ReplayRecords({ Label: [{ id: 'a', _nango_metadata: { cursor: 'from Nango' } }, { id: 'b' }, { id: 'c' }] });
        records.save('Label', [{ id: 'a', v: 2 }, { id: 'd' }]);
        records.delete('Label', [{ id: 'c' }]);
        const first = records.list('Label', { limit: 2 });
        expect(first.records.map((record) => record.id)).toEqual(['b', 'a']);
        expect(first.records[0]?._nango_metadata).toMatchObject({ first_seen_at: '2024-01-01T00:00:00.000Z', last_action: 'ADDED', deleted_at: null });
        expect(first.records[1]).toMatchObject({ v: 2, _nango_metadata: { first_seen_at: '2024-01-01T00:00:00.000Z', last_action: 'UPDATED' } });
        expect(first.nextCursor).toBe(first.records[1]?._nango_metadata.cursor);
        const second = records.list('Label', { cursor: first.nextCursor!, limit: 2 });
        expect([second.records.map((record) => record.id), second.nextCursor]).toEqual([['d'], null]);
        expect(records.byIds('Label', ['a', 'c', 'missing'])).toEqual([{ id: 'a', v: 2 }]);
        expect(records.list('Other', {})).toEqual({ records: [], nextCursor: null });
    });

    it('deletes at trackEnd the records not saved since trackStart, and refuses trackEnd without a start', () => {
        const records = new ReplayRecords({ Label: [{ id: 1 }, { id: 2 }] });
        records.save('Label', [{ id: 3 }]);
        records.trackStart('Label');
        records.save('Label', [{ id: '1' }]);
        records.trackStart('Label');
        expect(records.trackEnd('Label')).toEqual([2, 3]);
        expect(records.byIds('Label', [1, 2, 3])).toEqual([{ id: '1' }]);
        expect(() => records.trackEnd('Label')).toThrow(/^track_deletes_not_started: trackDeletesEnd\("Label"\)/);
    });
});
