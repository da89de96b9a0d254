import { describe, expect, it } from 'vitest';
import { Interruption } from '../../../functions-runtime/sandbox/interruption.js';
import { SandboxNangoAction } from '../../../functions-runtime/sandbox/nango-action.js';
import { context, MemoryHost } from './memory-host.js';

function action() {
    const host = new MemoryHost();
    return { host, nango: new SandboxNangoAction(host, context(), new Interruption()) };
}

describe('checkpoints', () => {
    it('saves flat checkpoints, with Dates as ISO strings, and reads and clears them', async () => {
        const { host, nango } = action();
        expect(await nango.getCheckpoint()).toBeNull();
        await nango.saveCheckpoint({ since: new Date('2026-03-01T10:00:00Z'), page: 3, done: false, cursor: 'abc' });
        expect(host.checkpoint).toEqual({ since: '2026-03-01T10:00:00.000Z', page: 3, done: false, cursor: 'abc' });
        expect(await nango.getCheckpoint()).toEqual(host.checkpoint);
        await nango.clearCheckpoint();
        expect(await nango.getCheckpoint()).toBeNull();
    });

    it('accepts the limits exactly', async () => {
        const { host, nango } = action();
        const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]));
        await nango.saveCheckpoint(sixteen);
        await nango.saveCheckpoint({ ['k'.repeat(255)]: 's'.repeat(4000) });
        expect(Object.keys(host.checkpoint ?? {})).toEqual(['k'.repeat(255)]);
    });

    it('refuses anything else with a clear reason, saving nothing', async () => {
        const { host, nango } = action();
        const cases: [unknown, RegExp][] = [
            [null, /flat object/],
            [[1], /flat object/],
            ['since', /flat object/],
            [Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i])), /17 keys; at most 16/],
            [{ ['k'.repeat(256)]: 1 }, /longer than 255/],
            [{ s: 's'.repeat(4001) }, /"s" is longer than 4000/],
            [{ nested: { a: 1 } }, /"nested" must be a string, a number, a boolean or a Date/],
            [{ list: [1] }, /"list" must be/],
            [{ nothing: null }, /"nothing" must be/],
            [{ n: Number.POSITIVE_INFINITY }, /finite number/],
            [{ d: new Date('nope') }, /invalid Date/]
        ];
        for (const [checkpoint, reason] of cases) {
            await expect(nango.saveCheckpoint(checkpoint as never)).rejects.toMatchObject({ code: 'invalid_checkpoint', message: expect.stringMatching(reason) });
        }
        expect(host.checkpoint).toBeNull();
    });
});
