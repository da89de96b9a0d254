import type { Palette } from './output.js';

interface LogEntryLike {
    level: 'debug' | 'info' | 'warn' | 'error';
    message: string;
    payload?: unknown;
    at: number;
}

/** `12:00:01.123 warn  message {"payload":…}`, the level coloured. */
export function formatLogLine(entry: LogEntryLike, palette: Palette): string {
    const colour = { debug: palette.gray, info: palette.blue, warn: palette.yellow, error: palette.red }[entry.level];
    const time = new Date(entry.at).toISOString().slice(11, 23);
    const payload = entry.payload === undefined ? '' : ` ${palette.gray(JSON.stringify(entry.payload))}`;
    return `${palette.gray(time)} ${colour(entry.level.padEnd(5))} ${entry.message}${payload}`;
}
