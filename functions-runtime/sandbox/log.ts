// `nango.log(message, payload?, { level }?)` and the console calls of function code, as host log entries.
import type { LogEntry, LogLevel } from '../host-contract.js';
import { toPlainData } from './plain-data.js';
import { SdkError } from './sdk-error.js';

const LEVELS: Record<string, LogLevel> = {
    debug: 'debug',
    verbose: 'debug',
    silly: 'debug',
    info: 'info',
    http: 'info',
    warn: 'warn',
    error: 'error'
};

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Unknown names fall back to info rather than failing the run over a log call. */
export function logLevel(name: unknown): LogLevel {
    return (typeof name === 'string' && LEVELS[name.toLowerCase()]) || 'info';
}

export function messageText(value: unknown): string {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
    const plain = toPlainData(value);
    return typeof plain === 'string' ? plain : JSON.stringify(plain) ?? String(value);
}

function isOptions(value: unknown): value is { level?: unknown } {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'level' in value;
}

/** `nango.log`'s arguments: the last one is options when it has a `level` and is not the message itself. */
export function logEntry(args: unknown[]): LogEntry {
    const last = args.at(-1);
    const options = args.length > 1 && isOptions(last) ? last : undefined;
    const [message, payload] = options ? args.slice(0, -1) : args;
    const entry: LogEntry = { level: logLevel(options?.level), message: messageText(message), at: Date.now() };
    if (payload !== undefined) entry.payload = toPlainData(payload);
    return entry;
}

/** A console call: its arguments joined by spaces, like Node's console does. */
export function consoleEntry(level: LogLevel, args: unknown[]): LogEntry {
    return { level, message: args.map(messageText).join(' '), at: Date.now() };
}

/** `setLogger`'s level: a known level name or `off`. A typo is an error, as it would silence logs unnoticed. */
export function loggerThreshold(name: unknown): LogLevel | 'off' {
    if (name === 'off') return 'off';
    const level = typeof name === 'string' && LEVELS[name.toLowerCase()];
    if (!level) throw new SdkError('invalid_logger_level', `setLogger expects a level of debug, info, warn, error or off, not ${JSON.stringify(name)}`);
    return level;
}

export function isRecorded(entry: LogEntry, threshold: LogLevel | 'off'): boolean {
    return threshold !== 'off' && RANK[entry.level] >= RANK[threshold];
}
