import { createApp } from './app.js';
import { runScheduled } from './cron/scheduled.js';
import { consumeJobs, recordDeadJobs } from './jobs/job-consumer.js';

export { ConnectionDO } from '../durable-objects/connection-do.js';

const app = createApp();

export default {
    fetch: app.fetch,
    // Dead-letter queues are named `<queue>-dlq` (wrangler.jsonc).
    queue: (batch, env) => (batch.queue.endsWith('-dlq') ? recordDeadJobs(batch, env) : consumeJobs(batch, env)),
    scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env))
} satisfies ExportedHandler<Env>;
