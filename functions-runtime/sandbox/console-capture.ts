// Routes the console calls function code makes during a run to that run's host log, so they show
// up in the operation log. Runs may overlap in one isolate, hence the async context; console calls
// made outside any run keep going to the original console.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FunctionHost, LogLevel } from '../host-contract.js';
import { consoleEntry } from './log.js';

interface Capture {
    host: FunctionHost;
    /** Console methods are synchronous, so their host calls are collected and awaited when the run ends. */
    pending: Promise<unknown>[];
}

const METHODS: [keyof Console & ('log' | 'info' | 'warn' | 'error' | 'debug'), LogLevel][] = [
    ['log', 'info'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['debug', 'debug']
];

const captures = new AsyncLocalStorage<Capture>();
let installed = false;

function install(): void {
    installed = true;
    for (const [method, level] of METHODS) {
        const original = console[method].bind(console);
        console[method] = (...args: unknown[]) => {
            const capture = captures.getStore();
            if (!capture) return original(...args);
            // A failed log write must not fail the run, nor surface as an unhandled rejection.
            capture.pending.push(Promise.resolve(capture.host.log(consoleEntry(level, args))).catch(() => undefined));
        };
    }
}

export async function withConsoleCapture<T>(host: FunctionHost, run: () => Promise<T>): Promise<T> {
    if (!installed) install();
    const capture: Capture = { host, pending: [] };
    try {
        return await captures.run(capture, run);
    } finally {
        await Promise.all(capture.pending);
    }
}
