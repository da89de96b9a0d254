import { stripVTControlCharacters } from 'node:util';

type Style = (text: string) => string;

export interface Palette {
    bold: Style;
    dim: Style;
    red: Style;
    green: Style;
    yellow: Style;
    blue: Style;
    cyan: Style;
    gray: Style;
}

const CODES: Record<keyof Palette, [number, number]> = {
    bold: [1, 22],
    dim: [2, 22],
    red: [31, 39],
    green: [32, 39],
    yellow: [33, 39],
    blue: [34, 39],
    cyan: [36, 39],
    gray: [90, 39]
};

// Colours only for a terminal, so piped output and files stay plain; NO_COLOR is the common opt-out.
function palette(stream: NodeJS.WriteStream): Palette {
    const enabled = stream.isTTY === true && !process.env.NO_COLOR;
    const entries = Object.entries(CODES).map(([name, [open, close]]) => [name, enabled ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text]);
    return Object.fromEntries(entries) as Palette;
}

/** Styles for what goes to stdout (results) and to stderr (progress, warnings, errors). */
export const out = palette(process.stdout);
export const err = palette(process.stderr);

/** Results: what a command produces. */
export function print(text = ''): void {
    process.stdout.write(`${text}\n`);
}

/** Progress and diagnostics, on stderr so stdout can be piped. */
export function progress(text: string): void {
    process.stderr.write(`${text}\n`);
}

export function warn(text: string): void {
    process.stderr.write(`${err.yellow('warning')} ${text}\n`);
}

/** Left-aligned columns; cells may hold colour codes, which don't count towards the width. */
export function table(rows: string[][], header?: string[]): string[] {
    const all = header ? [header, ...rows] : rows;
    const widths: number[] = [];
    for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
    const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)))).join('  ');
    return all.map(line);
}

function visibleLength(text: string): number {
    return stripVTControlCharacters(text).length;
}

export function formatBytes(bytes: number): string {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** "1 function", "3 functions". */
export function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
