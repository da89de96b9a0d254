import { and, desc, eq, gte, inArray, lt, lte } from 'drizzle-orm';
import { operations } from '../../schema/tables.js';
import { redact } from '../crypto/redact.js';
import type { Database } from '../db.js';
import type { OperationDraft, OperationStatus, OperationType } from './operation-draft.js';

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

export interface OperationFilters {
    connectionId?: string;
    integrationKey?: string;
    types?: OperationType[];
    status?: OperationStatus;
    from?: number;
    to?: number;
    /** Return operations older than this id (keyset pagination, newest first). */
    beforeId?: number;
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
                f.beforeId !== undefined ? lt(operations.id, f.beforeId) : undefined
            )
        )
        .orderBy(desc(operations.id))
        .limit(f.limit + 1);
    const page = rows.slice(0, f.limit);
    return { rows: page, hasMore: rows.length > f.limit };
}

/** Retention sweep: drops operations that started before the cutoff. */
export async function pruneOperations(db: Database, startedBefore: number): Promise<number> {
    const result = await db.delete(operations).where(lt(operations.startedAt, startedBefore));
    return result.meta.changes ?? 0;
}
