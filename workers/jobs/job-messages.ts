import { z } from 'zod';

/** Every message on the JOBS queue. Later issues add sync runs, async actions and webhook deliveries. */
export const jobMessageSchema = z.discriminatedUnion('type', [
    z.object({ type: z.literal('purge_connections'), environmentId: z.string() }),
    /** Refresh one connection's token if it is due (sent by the refresh sweep). */
    z.object({ type: z.literal('refresh_connection'), environmentId: z.string(), uid: z.string() })
]);

export type JobMessage = z.infer<typeof jobMessageSchema>;
