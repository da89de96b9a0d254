import type { RunError } from '../../../functions-runtime/host-contract.js';
import type { FunctionType } from '../project/discover.js';
import { jsonDiff, jsonRoundTrip, preview } from './json-diff.js';
import type { RecordsByModel } from './replay-records.js';
import type { TestRun } from './run-test.js';
import type { Expectation } from './test-file.js';

/** What the run produced, in the shape of a test file's expectations. */
export interface Actual {
    output: unknown;
    records: RecordsByModel;
    deletes: RecordsByModel;
    updates: RecordsByModel;
    metadata: Record<string, unknown> | null;
    checkpoint: Record<string, unknown> | null;
    error: RunError | undefined;
}

export function actualOf(run: TestRun): Actual {
    return {
        output: run.result.ok ? jsonRoundTrip(run.result.output) : undefined,
        records: recordsOf(run.host.saved),
        deletes: recordsOf(run.host.deleted),
        updates: recordsOf(run.host.updated),
        metadata: run.host.metadata,
        checkpoint: run.host.checkpoint,
        error: run.result.ok ? undefined : run.result.error
    };
}

/**
 * Why the run does not meet the expectations, one line each; empty when it passes. Requests the
 * file does not record fail the test first: what follows from them would only be noise.
 */
export function failuresOf(expect: Expectation, run: TestRun): string[] {
    if (run.traffic.misses.length) return run.traffic.misses.map((miss) => `Unrecorded request: ${miss}`);
    const actual = actualOf(run);
    const failures: string[] = [];
    if (run.timedOut) failures.push(actual.error!.message);
    else if (expect.error) failures.push(...errorFailures(expect.error, actual.error));
    else if (actual.error) failures.push(describeError(actual.error));
    if ('output' in expect) failures.push(...jsonDiff(jsonRoundTrip(expect.output), actual.output, 'output'));
    for (const key of ['records', 'deletes', 'updates'] as const) {
        const expected = expect[key];
        if (expected) failures.push(...jsonDiff(nonEmpty(jsonRoundTrip(expected) as RecordsByModel), actual[key], key));
    }
    if (expect.metadata !== undefined) failures.push(...jsonDiff(expect.metadata, jsonRoundTrip(actual.metadata), 'metadata'));
    if (expect.checkpoint !== undefined) failures.push(...jsonDiff(expect.checkpoint, jsonRoundTrip(actual.checkpoint), 'checkpoint'));
    return failures;
}

function errorFailures(expected: NonNullable<Expectation['error']>, actual: RunError | undefined): string[] {
    if (!actual) return [`expected the run to fail with ${expected.type}, but it succeeded`];
    const failures = jsonDiff(expected.type, actual.type, 'error.type');
    if (expected.message !== undefined) failures.push(...jsonDiff(expected.message, actual.message, 'error.message'));
    if ('payload' in expected) failures.push(...jsonDiff(jsonRoundTrip(expected.payload), jsonRoundTrip(actual.payload), 'error.payload'));
    return failures;
}

function describeError(error: RunError): string {
    const lines = [`The function failed: ${error.type}: ${error.message}`];
    if (error.upstream) lines.push(`  upstream answered ${error.upstream.status}: ${preview(error.upstream.data)}`);
    if (error.payload !== undefined) lines.push(`  payload: ${preview(error.payload)}`);
    if (error.stack) lines.push(...error.stack.split('\n').slice(1, 6).map((line) => `  ${line.trim()}`));
    return lines.join('\n');
}

/** Expectations that the run meets, for `--update`; metadata and checkpoint are kept only where the file already checked them. */
export function expectationsFrom(actual: Actual, type: FunctionType, previous: Expectation): Expectation {
    const next: Expectation = {};
    if (actual.error) {
        next.error = { type: actual.error.type, message: actual.error.message, ...(actual.error.payload !== undefined && { payload: jsonRoundTrip(actual.error.payload) }) };
    } else if (type === 'action' && actual.output !== undefined) {
        next.output = actual.output;
    }
    if (type === 'sync') next.records = actual.records;
    if (Object.keys(actual.deletes).length || previous.deletes) next.deletes = actual.deletes;
    if (Object.keys(actual.updates).length || previous.updates) next.updates = actual.updates;
    if (previous.metadata !== undefined) next.metadata = jsonRoundTrip(actual.metadata) as Actual['metadata'];
    if (previous.checkpoint !== undefined) next.checkpoint = jsonRoundTrip(actual.checkpoint) as Actual['checkpoint'];
    return next;
}

function recordsOf(byModel: RecordsByModel): RecordsByModel {
    return nonEmpty(jsonRoundTrip(byModel) as RecordsByModel);
}

function nonEmpty(byModel: RecordsByModel): RecordsByModel {
    return Object.fromEntries(Object.entries(byModel).filter(([, records]) => records.length > 0));
}
