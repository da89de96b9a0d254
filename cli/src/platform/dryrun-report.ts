import { formatLogLine } from '../cli/log-line.js';
import { count, out, print, table } from '../cli/output.js';
import type { DryrunReport } from './api-types.js';

/** How many records of each model are shown in full. */
const SHOWN_RECORDS = 3;

/** Prints a dry run's report: logs, upstream calls, records, state changes, then the outcome. */
export function printDryrunReport(report: DryrunReport): void {
    if (report.logs.length) {
        heading(`Logs (${report.logs.length})`);
        for (const entry of report.logs) print(`  ${formatLogLine(entry, out)}`);
    }
    if (report.http.length) {
        heading(`Upstream calls (${report.http.length})`);
        const rows = report.http.map((call) => [call.method, call.status === 0 ? out.red('no answer') : statusColour(call.status)(String(call.status)), out.gray(`${call.duration_ms} ms`), call.url]);
        for (const line of table(rows)) print(`  ${line}`);
    }
    printRecords('Saved', report.records);
    printRecords('Deleted', report.deletes);
    if (report.metadata !== null && Object.keys(report.metadata).length > 0) {
        heading('Metadata at the end of the run');
        print(indent(pretty(report.metadata)));
    }
    if (report.checkpoint !== null) {
        heading('Checkpoint at the end of the run');
        print(indent(pretty(report.checkpoint)));
    }
    print();
    const result = report.result;
    if (report.operation_id) print(out.gray(`Operation ${report.operation_id}: GET /logs/${report.operation_id}/messages has its log`));
    if (result.ok) {
        print(out.green(out.bold('✓ Succeeded')));
        if (result.output !== undefined) print(indent(pretty(result.output)));
        return;
    }
    const { error } = result;
    print(out.red(out.bold(`✗ Failed: ${error.type}`)) + ` ${error.message}`);
    if (error.upstream) {
        print(`  Upstream answered ${statusColour(error.upstream.status)(String(error.upstream.status))}:`);
        print(indent(pretty(error.upstream.data), 4));
    }
    if (error.payload !== undefined) {
        print('  Payload:');
        print(indent(pretty(error.payload), 4));
    }
    if (error.stack) print(out.gray(indent(error.stack)));
}

function printRecords(verb: string, byModel: Record<string, unknown[]>): void {
    for (const [model, records] of Object.entries(byModel)) {
        if (records.length === 0) continue;
        heading(`${verb} ${model}: ${count(records.length, 'record')}`);
        for (const record of records.slice(0, SHOWN_RECORDS)) print(indent(pretty(record)));
        if (records.length > SHOWN_RECORDS) print(out.gray(`  … and ${records.length - SHOWN_RECORDS} more`));
    }
}

function heading(text: string): void {
    print();
    print(out.bold(text));
}

function statusColour(status: number) {
    return status >= 500 ? out.red : status >= 400 ? out.yellow : out.green;
}

function pretty(value: unknown): string {
    return JSON.stringify(value, null, 2) ?? 'undefined';
}

function indent(text: string, spaces = 2): string {
    return text.replace(/^/gm, ' '.repeat(spaces));
}
