export const OPERATION_TYPES = ['environment', 'integration', 'connection', 'provider', 'auth', 'proxy', 'sync', 'action', 'event', 'webhook', 'job', 'deployment'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

export const OPERATION_STATUSES = ['running', 'success', 'failed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** What a handler tells the log about the operation it is performing; the middleware adds the rest. */
export interface OperationDraft {
    type: OperationType;
    action: string;
    integrationKey?: string;
    connectionId?: string;
    /** Extra details. Redacted before it is written. */
    meta?: Record<string, unknown>;
}
