import { z } from 'zod';

/** Every message on the JOBS queue. */
export const jobMessageSchema = z.discriminatedUnion('type', [
    z.object({ type: z.literal('purge_connections'), environmentId: z.string() }),
    /** Refresh one connection's token if it is due (sent by the refresh sweep). */
    z.object({ type: z.literal('refresh_connection'), environmentId: z.string(), uid: z.string() }),
    /** Run the `post-connection-creation` functions of a new connection. */
    z.object({ type: z.literal('connection_created'), environmentId: z.string(), integrationKey: z.string(), connectionId: z.string(), uid: z.string() }),
    /** Run an async action (POST /action/trigger with X-Async). */
    z.object({ type: z.literal('run_action'), environmentId: z.string(), runId: z.string() })
]);

export type JobMessage = z.infer<typeof jobMessageSchema>;
