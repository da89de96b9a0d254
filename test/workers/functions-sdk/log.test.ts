import { describe, expect, it } from 'vitest';
import { logEntry, logLevel } from '../../../functions-runtime/sandbox/log.js';
import { runFunction } from '../../../functions-runtime/sandbox/run-function.js';
import { createSync } from '../../../functions-runtime/sdk/index.js';
import { context, MemoryHost } from './memory-host.js';

const strip = ({ at: _at, ...entry }: { at: number }) => entry;

describe('nango.log arguments', () => {
    it('maps level names, unknown ones to info', () => {
        expect(['debug', 'verbose', 'silly', 'info', 'http', 'warn', 'error', 'WARN', 'fatal', undefined, 3].map(logLevel)).toEqual([
            'debug', 'debug', 'debug', 'info', 'info', 'warn', 'error', 'warn', 'info', 'info', 'info'
        ]);
    });

    it('reads the last argument as options when it has a level', () => {
        expect(strip(logEntry(['hello']))).toEqual({ level: 'info', message: 'hello' });
        expect(strip(logEntry(['hello', { level: 'error' }]))).toEqual({ level: 'error', message: 'hello' });
        expect(strip(logEntry(['hello', { a: 1 }]))).toEqual({ level: 'info', message: 'hello', payload: { a: 1 } });
        expect(strip(logEntry(['hello', { a: 1 }, { level: 'verbose' }]))).toEqual({ level: 'debug', message: 'hello', payload: { a: 1 } });
        // A lone object is the message, even with a `level` key.
        expect(strip(logEntry([{ level: 'error', x: 1 }]))).toEqual({ level: 'info', message: '{"level":"error","x":1}' });
    });

    it('stringifies non-string messages and makes payloads plain data', () => {
        expect(logEntry([42]).message).toBe('42');
        expect(logEntry([['a', 1]]).message).toBe('["a",1]');
        expect(logEntry([new Error('bad')]).message).toMatch(/^Error: bad/);
        const circular: Record<string, unknown> = {};
        circular['self'] = circular;
        expect(logEntry([circular]).message).toBe('[object Object]');
        expect(logEntry(['m', { n: 10n, fn: () => 1, e: new TypeError('t') }]).payload).toEqual({ n: '10', e: { name: 'TypeError', message: 't', stack: expect.any(String) } });
        expect(logEntry(['m']).at).toBeTypeOf('number');
    });

    it('awaits the host for each call', async () => {
        const host = new MemoryHost();
        const definition = createSync({
            description: 'd',
            frequency: 'every hour',
            models: {},
            exec: async (nango) => {
                await nango.log('one', { level: 'warn' });
                await nango.log('two', { detail: true });
            }
        });
        expect(await runFunction(definition, host, { kind: 'sync', context: context() })).toEqual({ ok: true, output: undefined });
        expect(host.logs.map(strip)).toEqual([
            { level: 'warn', message: 'one' },
            { level: 'info', message: 'two', payload: { detail: true } }
        ]);
    });

    it('records only what setLogger lets through, and stays off once off', async () => {
        const host = new MemoryHost();
        const definition = createSync({
            description: 'd',
            frequency: 'every hour',
            models: {},
            exec: async (nango) => {
                expect(nango.logger).toEqual({ level: 'debug' });
                nango.setLogger({ level: 'warn' });
                await nango.log('dropped');
                await nango.log('kept', { level: 'error' });
                nango.setLogger({ level: 'off' });
                nango.setLogger({ level: 'debug' });
                expect(nango.logger).toEqual({ level: 'off' });
                await nango.log('silenced', { level: 'error' });
                expect(() => nango.setLogger({ level: 'loud' as 'info' })).toThrow(/setLogger expects a level/);
            }
        });
        expect(await runFunction(definition, host, { kind: 'sync', context: context() })).toEqual({ ok: true, output: undefined });
        expect(host.logs.map(strip)).toEqual([{ level: 'error', message: 'kept' }]);
    });
});

describe('console calls of function code', () => {
    it('go to the run host at the matching level, each run to its own host', async () => {
        const make = (label: string) =>
            createSync({
                description: 'd',
                frequency: 'every hour',
                models: {},
                exec: async () => {
                    console.log(label, { n: 1 });
                    await new Promise((resolve) => setTimeout(resolve, 5));
                    console.info(`${label} info`);
                    console.warn(`${label} warn`);
                    console.error(`${label} error`);
                    console.debug(`${label} debug`);
                }
            });
        const [a, b] = [new MemoryHost(), new MemoryHost()];
        await Promise.all([runFunction(make('A'), a, { kind: 'sync', context: context() }), runFunction(make('B'), b, { kind: 'sync', context: context() })]);
        expect(a.logs.map(strip)).toEqual([
            { level: 'info', message: 'A {"n":1}' },
            { level: 'info', message: 'A info' },
            { level: 'warn', message: 'A warn' },
            { level: 'error', message: 'A error' },
            { level: 'debug', message: 'A debug' }
        ]);
        expect(b.logs.map((entry) => entry.message)).toEqual(['B {"n":1}', 'B info', 'B warn', 'B error', 'B debug']);
    });

    it('keep working normally outside a run', async () => {
        const host = new MemoryHost();
        await runFunction(createSync({ description: 'd', frequency: 'every hour', models: {}, exec: async () => console.log('inside') }), host, { kind: 'sync', context: context() });
        expect(() => console.log('outside a run')).not.toThrow();
        expect(host.logs.map((entry) => entry.message)).toEqual(['inside']);
    });
});
