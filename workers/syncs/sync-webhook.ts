import { apiTimestamp } from '../http/timestamps.js';
import type { WebhookEvent } from '../webhooks/webhook-outbox.js';

export interface ModelCounts {
    added: number;
    updated: number;
    deleted: number;
    unchanged: number;
    invalid: number;
}

export const emptyCounts = (): ModelCounts => ({ added: 0, updated: 0, deleted: 0, unchanged: 0, invalid: 0 });

export interface FinishedRun {
    integrationKey: string;
    connectionId: string;
    syncName: string;
    variant: string;
    /** INITIAL without an earlier successful run (a first run, or a reset); WEBHOOK for an `onWebhook` handler's writes. */
    syncType: 'INITIAL' | 'INCREMENTAL' | 'WEBHOOK';
    startedAt: number;
    finishedAt: number;
    checkpoints: { from: unknown; to: unknown } | null;
    urlOverride: string | null;
}

/**
 * The `sync` webhooks of a finished run, one per model, as Nango sends them. A successful model
 * with nothing changed goes out only if the environment asks for every completion.
 */
export function syncWebhooks(run: FinishedRun, counts: Record<string, ModelCounts>, error: { type: string; description: string; payload?: unknown } | null): WebhookEvent[] {
    return Object.entries(counts).map(([model, c]) => {
        const base = {
            type: 'sync',
            from: 'nango',
            connectionId: run.connectionId,
            providerConfigKey: run.integrationKey,
            syncName: run.syncName,
            syncVariant: run.variant,
            model,
            syncType: run.syncType,
            ...(run.checkpoints && { checkpoints: run.checkpoints })
        };
        const changed = c.added + c.updated + c.deleted > 0;
        return {
            type: 'sync',
            event: error ? 'error' : 'success',
            integrationKey: run.integrationKey,
            connectionId: run.connectionId,
            urlOverride: run.urlOverride,
            ...(error ? { flag: 'on_sync_error' as const } : !changed && { flag: 'on_sync_completion_always' as const }),
            payload: error
                ? { ...base, success: false, error, startedAt: apiTimestamp(run.startedAt), failedAt: apiTimestamp(run.finishedAt) }
                : {
                      ...base,
                      success: true,
                      modifiedAfter: apiTimestamp(run.startedAt),
                      responseResults: { added: c.added, updated: c.updated, deleted: c.deleted },
                      queryTimeStamp: apiTimestamp(run.finishedAt)
                  }
        };
    });
}
