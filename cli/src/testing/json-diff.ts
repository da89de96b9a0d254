/**
 * The differences between two JSON values, one line each: `[2].title: expected "a", got "b"`.
 * Object keys compare in any order; arrays compare item by item.
 */
export function jsonDiff(expected: unknown, actual: unknown, path = ''): string[] {
    if (Object.is(expected, actual)) return [];
    const at = path || '(root)';
    if (Array.isArray(expected) && Array.isArray(actual)) {
        const lines: string[] = [];
        if (expected.length !== actual.length) lines.push(`${at}: expected ${expected.length} items, got ${actual.length}`);
        const common = Math.min(expected.length, actual.length);
        for (let i = 0; i < common; i++) lines.push(...jsonDiff(expected[i], actual[i], `${path}[${i}]`));
        for (let i = common; i < expected.length; i++) lines.push(`${path}[${i}]: missing, expected ${preview(expected[i])}`);
        for (let i = common; i < actual.length; i++) lines.push(`${path}[${i}]: unexpected ${preview(actual[i])}`);
        return lines;
    }
    if (isObject(expected) && isObject(actual)) {
        const lines: string[] = [];
        for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
            const child = path ? `${path}.${key}` : key;
            if (!(key in actual)) lines.push(`${child}: missing, expected ${preview(expected[key])}`);
            else if (!(key in expected)) lines.push(`${child}: unexpected ${preview(actual[key])}`);
            else lines.push(...jsonDiff(expected[key], actual[key], child));
        }
        return lines;
    }
    return [`${at}: expected ${preview(expected)}, got ${preview(actual)}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value in one short line. */
export function preview(value: unknown): string {
    const text = value === undefined ? 'nothing' : JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The value as JSON would carry it: undefined fields dropped, dates as strings. */
export function jsonRoundTrip(value: unknown): unknown {
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
