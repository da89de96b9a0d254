import { describe, expect, it } from 'vitest';
import { formatFrequency, parseFrequency } from '../../../workers/functions/frequency.js';

describe('sync frequencies', () => {
    it('read the ways Nango projects write them', () => {
        expect(parseFrequency('every hour')).toBe(3_600_000);
        expect(parseFrequency('every 5 minutes')).toBe(300_000);
        expect(parseFrequency('30m')).toBe(1_800_000);
        expect(parseFrequency('half day')).toBe(43_200_000);
        expect(parseFrequency('every day')).toBe(86_400_000);
        expect(parseFrequency('1.5h')).toBe(5_400_000);
        expect(parseFrequency('2 weeks')).toBe(1_209_600_000);
        expect(parseFrequency('every 30 seconds')).toBe(30_000);
    });

    it('refuse what is unreadable or outside 30 seconds to 31 days', () => {
        for (const text of ['often', 'every 5 fortnights', '5ms', '500ms', '10 seconds', '32 days', '']) expect(parseFrequency(text), text).toBeNull();
        expect(parseFrequency('30000ms')).toBe(30_000);
    });

    it('are written back in words that read the same', () => {
        for (const ms of [30_000, 60_000, 300_000, 3_600_000, 86_400_000, 90_000]) expect(parseFrequency(formatFrequency(ms))).toBe(ms);
        expect(formatFrequency(3_600_000)).toBe('every hour');
    });
});
