import { z } from 'zod';

/** A sync run that is over, as its Durable Object and its last invocation know it. */
const endedRun = {
    environmentId: z.string(),
    uid: z.string(),
    syncName: z.string(),
    variant: z.string(),
    integrationKey: z.string(),
    runId: z.string(),
    runStartedAt: z.number(),
    flags: z.object({ reset: z.boolean().optional(), emptyCache: z.boolean().optional() }),
    /** No successful run before this one (or it reset). */
    initial: z.boolean(),
    operationId: z.number().nullable(),
    checkpointFrom: z.string().nullable(),
    /** Absent from messages sent before it existed. */
    checkpointTo: z.string().nullable().default(null),
    nextRunAt: z.number().nullable()
};

/** Every message on the JOBS queue. */
export const jobMessageSchema = z.discriminatedUnion('type', [
    z.object({ type: z.literal('purge_connections'), environmentId: z.string() }),
    /** Refresh one connection's token if it is due (sent by the refresh sweep). */
    z.object({ type: z.literal('refresh_connection'), environmentId: z.string(), uid: z.string() }),
    /** Run the `post-connection-creation` functions of a new connection. */
    z.object({ type: z.literal('connection_created'), environmentId: z.string(), integrationKey: z.string(), connectionId: z.string(), uid: z.string() }),
    /** One invocation of a sync run (sent by the connection's Durable Object). */
    z.object({ type: z.literal('run_sync'), environmentId: z.string(), uid: z.string(), syncName: z.string(), variant: z.string(), runId: z.string(), invocation: z.number().int().positive() }),
    /** A sync run whose invocation never reported back: record its failure. */
    z.object({ type: z.literal('sync_run_lost'), ...endedRun }),
    /** A sync run whose end could not be recorded when it ended: record it. */
    z.object({
        type: z.literal('sync_run_end'),
        ...endedRun,
        invocations: z.number().int().positive(),
        outcome: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.object({ type: z.string(), message: z.string(), payload: z.unknown().optional() }) })])
    }),
    /** Hand connections' Durable Objects their schedules: these connections, or every connection of the environment page by page. */
    z.object({ type: z.literal('apply_schedules'), environmentId: z.string(), uids: z.array(z.string()).optional(), afterUid: z.string().optional() }),
    /** Trigger sync runs on many connections. */
    z.object({
        type: z.literal('trigger_syncs'),
        environmentId: z.string(),
        targets: z.array(z.object({ uid: z.string(), syncName: z.string(), variant: z.string() })),
        flags: z.object({ reset: z.boolean().optional(), emptyCache: z.boolean().optional() })
    }),
    /** Process a provider's webhook that the ingress verified and stored. */
    z.object({ type: z.literal('process_webhook'), environmentId: z.string(), incomingId: z.string() }),
    /** Run an async action (POST /action/trigger with X-Async). */
    z.object({ type: z.literal('run_action'), environmentId: z.string(), runId: z.string() })
]);

export type JobMessage = z.infer<typeof jobMessageSchema>;
