const UNITS: Record<string, number> = {
    ms: 1,
    s: 1000,
    sec: 1000,
    second: 1000,
    m: 60_000,
    min: 60_000,
    minute: 60_000,
    h: 3_600_000,
    hr: 3_600_000,
    hour: 3_600_000,
    d: 86_400_000,
    day: 86_400_000,
    w: 604_800_000,
    week: 604_800_000
};
const ALIASES: Record<string, string> = { 'half hour': '30 minutes', 'half day': '12 hours', hour: '1 hour', day: '1 day', week: '1 week', minute: '1 minute' };

export const MIN_FREQUENCY_MS = 30_000;
export const MAX_FREQUENCY_MS = 31 * 86_400_000;

/**
 * A sync frequency as Nango projects write it ("every hour", "every 5 minutes", "30m", "half day")
 * in milliseconds; null when it can't be read or is outside 30 seconds to 31 days.
 */
export function parseFrequency(text: string): number | null {
    let phrase = text.trim().toLowerCase().replace(/^every\s+/, '');
    phrase = ALIASES[phrase] ?? phrase;
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(phrase);
    if (!match) return null;
    // The word as written, then without a plural "s" ("ms" is milliseconds, not minutes).
    const word = match[2]!;
    const unit = UNITS[word] ?? (word.endsWith('s') ? UNITS[word.slice(0, -1)] : undefined);
    if (!unit) return null;
    const ms = Math.round(Number(match[1]) * unit);
    return ms >= MIN_FREQUENCY_MS && ms <= MAX_FREQUENCY_MS ? ms : null;
}

const SPOKEN: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second']
];

/** A frequency in the words `parseFrequency` reads: 3,600,000 → "every hour", 300,000 → "every 5 minutes". */
export function formatFrequency(ms: number): string {
    const [unit, name] = SPOKEN.find(([u]) => ms % u === 0) ?? [1000, 'second'];
    const n = Math.round(ms / unit);
    return n === 1 ? `every ${name}` : `every ${n} ${name}s`;
}
