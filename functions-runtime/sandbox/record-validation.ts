// Records are checked against the sync's own models before they reach the host. As in Nango, an
// invalid record is left out, counted and logged; it does not fail the run. The runtime never
// imports zod: it calls the function's own schemas, seen structurally.
import type { LogEntry, SyncRecord } from '../host-contract.js';
import { isSchema, type Schema } from './definition.js';

/** A D1 row holds at most 2 MB, and the record's JSON shares it with the row's other columns. */
export const MAX_RECORD_BYTES = 1_900_000;
/** Enough invalid records to see the cause; the count says how many there were. */
const REJECTIONS_LOGGED = 10;

export type CheckedOperation = 'batchSave' | 'batchUpdate';

export interface Issue {
    /** Dot-joined; empty for the record as a whole. */
    path: string;
    message: string;
}

export interface Rejection {
    id: string | number;
    issues: Issue[];
}

export interface CheckedRecords {
    valid: SyncRecord[];
    rejected: number;
    /** The first rejected records, with why. */
    examples: Rejection[];
}

export class ModelSchemas {
    readonly names: ReadonlySet<string>;
    readonly #models: Record<string, unknown>;
    readonly #partials = new Map<string, Schema | undefined>();

    constructor(models: Record<string, unknown>) {
        this.#models = models;
        this.names = new Set(Object.keys(models));
    }

    /**
     * Saves are checked against the model's schema, updates against its `partial()`. Valid records
     * go on as given, not as parsed, so a schema's transforms and defaults don't change them.
     */
    check(operation: CheckedOperation, model: string, records: SyncRecord[]): CheckedRecords {
        const schema = operation === 'batchSave' ? this.#schema(model) : this.#partial(model);
        const checked: CheckedRecords = { valid: [], rejected: 0, examples: [] };
        for (const record of records) {
            const issues = schemaIssues(schema, record) ?? sizeIssues(record);
            if (!issues) {
                checked.valid.push(record);
                continue;
            }
            checked.rejected += 1;
            if (checked.examples.length < REJECTIONS_LOGGED) checked.examples.push({ id: record.id, issues });
        }
        return checked;
    }

    /** Models that are not schemas (hand-written bundles) are not checked. */
    #schema(model: string): Schema | undefined {
        const schema = this.#models[model];
        return isSchema(schema) ? schema : undefined;
    }

    #partial(model: string): Schema | undefined {
        if (!this.#partials.has(model)) this.#partials.set(model, partialOf(this.#schema(model)));
        return this.#partials.get(model);
    }
}

/** Only schemas with a `partial()` (zod objects) can check updates; zod refuses it on objects with refinements. */
function partialOf(schema: Schema | undefined): Schema | undefined {
    if (typeof schema?.partial !== 'function') return undefined;
    try {
        const partial = schema.partial();
        return isSchema(partial) ? partial : undefined;
    } catch {
        return undefined;
    }
}

function schemaIssues(schema: Schema | undefined, record: SyncRecord): Issue[] | undefined {
    const result = schema?.safeParse(record);
    if (!result || result.success) return undefined;
    return result.error.issues.map((issue) => {
        const { path, message } = issue as { path?: unknown; message?: unknown };
        return { path: Array.isArray(path) ? path.map(String).join('.') : '', message: typeof message === 'string' ? message : 'Invalid value' };
    });
}

/** The platform stores records as JSON, in one D1 row each. */
function sizeIssues(record: SyncRecord): Issue[] | undefined {
    let json: string;
    try {
        json = JSON.stringify(record);
    } catch (error) {
        return [{ path: '', message: `The record is not JSON-serialisable: ${(error as Error).message}` }];
    }
    // UTF-8 takes at most 3 bytes per UTF-16 code unit, so shorter JSON needs no counting.
    if (json.length * 3 <= MAX_RECORD_BYTES) return undefined;
    const bytes = new TextEncoder().encode(json).byteLength;
    if (bytes <= MAX_RECORD_BYTES) return undefined;
    return [{ path: '', message: `The record is ${bytes} bytes of JSON; a stored record holds at most ${MAX_RECORD_BYTES}` }];
}

/** The one error a call with rejected records logs. */
export function rejectionsLog(operation: CheckedOperation, model: string, checked: CheckedRecords): LogEntry {
    const described = checked.examples.map(({ id, issues }) => `${JSON.stringify(id)} (${issues.map(issueText).join('; ')})`);
    const more = checked.rejected - checked.examples.length;
    return {
        level: 'error',
        message: `${operation}: ${checked.rejected} invalid record(s) of model "${model}" were left out: ${described.join(', ')}${more > 0 ? `, and ${more} more` : ''}`,
        payload: { model, rejected: checked.rejected, records: checked.examples },
        at: Date.now()
    };
}

function issueText({ path, message }: Issue): string {
    return path ? `${path}: ${message}` : message;
}
