import { and, asc, desc, eq, gte, inArray, lt, lte } from 'drizzle-orm';
import { operationMessages, operations } from '../../schema/tables.js';
import { redact } from '../crypto/redact.js';
import type { Database } from '../db.js';
import type { OperationDraft, OperationStatus, OperationType } from './operation-draft.js';
import type { LogLevel } from '../../functions-runtime/host-contract.js';

export interface CompletedOperation extends OperationDraft {
    environmentId: string;
    status: OperationStatus;
    requestId?: string;
    method?: string;
    path?: string;
    httpStatus?: number;
    error?: { code: string; message: string };
    /** The operation this one is part of (a function run, for its HTTP calls). */
    parentId?: number;
    startedAt: number;
    endedAt: number;
}

/** Writes an operation and returns its id (as the API shows it). */
export async function recordOperation(db: Database, op: CompletedOperation): Promise<string> {
    const [row] = await db.insert(operations).values({
        environmentId: op.environmentId,
        type: op.type,
        action: op.action,
        status: op.status,
        integrationKey: op.integrationKey ?? null,
        connectionId: op.connectionId ?? null,
        requestId: op.requestId ?? null,
        method: op.method ?? null,
        path: op.path ?? null,
        httpStatus: op.httpStatus ?? null,
        errorCode: op.error?.code ?? null,
        errorMessage: op.error?.message ?? null,
        meta: op.meta ? (redact(op.meta) as Record<string, unknown>) : null,
        parentId: op.parentId ?? null,
        startedAt: op.startedAt,
        endedAt: op.endedAt,
        durationMs: op.endedAt - op.startedAt
    }).returning({ id: operations.id });
    return String(row!.id);
}

type StartedOperation = OperationDraft & { environmentId: string; parentId?: number; startedAt: number };

/** Starts an operation that takes time (a function run); `finishOperation` closes it. Returns its id. */
export async function startOperation(db: Database, op: StartedOperation): Promise<number> {
    const [row] = await startOperationStatement(db, op);
    return row!.id;
}

/** The insert of `startOperation`, for a `db.batch` that writes the operation with what it logs. */
export function startOperationStatement(db: Database, op: StartedOperation) {
    return db
        .insert(operations)
        .values({
            environmentId: op.environmentId,
            type: op.type,
            action: op.action,
            status: 'running',
            integrationKey: op.integrationKey ?? null,
            connectionId: op.connectionId ?? null,
            meta: op.meta ? (redact(op.meta) as Record<string, unknown>) : null,
            parentId: op.parentId ?? null,
            startedAt: op.startedAt
        })
        .returning({ id: operations.id });
}

export interface OperationOutcome {
    status: 'success' | 'failed';
    error?: { code: string; message: string };
    meta?: Record<string, unknown>;
    startedAt: number;
}

export async function finishOperation(db: Database, id: number, outcome: OperationOutcome): Promise<void> {
    await finishOperationStatement(db, id, outcome);
}

/** The update of `finishOperation`, for a `db.batch` that records the operation's end with its effects. */
export function finishOperationStatement(db: Database, id: number, outcome: OperationOutcome) {
    const endedAt = Date.now();
    return db
        .update(operations)
        .set({
            status: outcome.status,
            errorCode: outcome.error?.code ?? null,
            errorMessage: outcome.error?.message ?? null,
            ...(outcome.meta && { meta: redact(outcome.meta) as Record<string, unknown> }),
            endedAt,
            durationMs: endedAt - outcome.startedAt
        })
        .where(eq(operations.id, id));
}

/** A log line a function wrote during its run. */
export async function recordMessage(db: Database, m: { operationId: number; environmentId: string; level: LogLevel; message: string; payload?: unknown; at: number }): Promise<void> {
    await db.insert(operationMessages).values({
        operationId: m.operationId,
        environmentId: m.environmentId,
        level: m.level,
        // Long lines are cut, not refused: logging must never fail a run.
        message: m.message.slice(0, 10_000),
        payload: m.payload === undefined ? null : redact(m.payload),
        createdAt: m.at
    });
}

export async function listMessages(db: Database, environmentId: string, operationId: number, limit: number) {
    return db
        .select()
        .from(operationMessages)
        .where(and(eq(operationMessages.environmentId, environmentId), eq(operationMessages.operationId, operationId)))
        .orderBy(asc(operationMessages.createdAt), asc(operationMessages.id))
        .limit(limit);
}

export interface OperationFilters {
    connectionId?: string;
    integrationKey?: string;
    types?: OperationType[];
    status?: OperationStatus;
    from?: number;
    to?: number;
    /** Return operations older than this id (keyset pagination, newest first). */
    beforeId?: number;
    /** Only the operations of one run (its HTTP calls). */
    parentId?: number;
    limit: number;
}

export async function listOperations(db: Database, environmentId: string, f: OperationFilters) {
    const rows = await db
        .select()
        .from(operations)
        .where(
            and(
                eq(operations.environmentId, environmentId),
                f.connectionId !== undefined ? eq(operations.connectionId, f.connectionId) : undefined,
                f.integrationKey !== undefined ? eq(operations.integrationKey, f.integrationKey) : undefined,
                f.types?.length ? inArray(operations.type, f.types) : undefined,
                f.status !== undefined ? eq(operations.status, f.status) : undefined,
                f.from !== undefined ? gte(operations.startedAt, f.from) : undefined,
                f.to !== undefined ? lte(operations.startedAt, f.to) : undefined,
                f.beforeId !== undefined ? lt(operations.id, f.beforeId) : undefined,
                f.parentId !== undefined ? eq(operations.parentId, f.parentId) : undefined
            )
        )
        .orderBy(desc(operations.id))
        .limit(f.limit + 1);
    const page = rows.slice(0, f.limit);
    return { rows: page, hasMore: rows.length > f.limit };
}

/** Retention sweep: drops operations that started before the cutoff, and their log lines. */
export async function pruneOperations(db: Database, startedBefore: number): Promise<number> {
    const [result] = await db.batch([
        db.delete(operations).where(lt(operations.startedAt, startedBefore)),
        db.delete(operationMessages).where(lt(operationMessages.createdAt, startedBefore))
    ]);
    return result.meta.changes ?? 0;
}
