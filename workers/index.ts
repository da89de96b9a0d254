import { createApp } from './app.js';
import { runScheduled } from './cron/scheduled.js';
import { consumeJobs, recordDeadJobs } from './jobs/job-consumer.js';
import { consumeWebhooks, recordDeadWebhooks } from './webhooks/webhook-consumer.js';

export { AuthSocketDO } from '../durable-objects/auth-socket-do.js';
export { ConnectionDO } from '../durable-objects/connection-do.js';
export { FunctionHost } from '../functions-runtime/host/function-host.js';

const app = createApp();

/**
 * Queues are told apart by name (wrangler.jsonc): `…webhooks…` carry webhook deliveries, `…-dlq`
 * are dead-letter queues. Matching on these parts keeps renamed queues (per stage) working.
 */
function queueConsumer(name: string) {
    const dead = name.endsWith('-dlq');
    if (name.includes('webhooks')) return dead ? recordDeadWebhooks : consumeWebhooks;
    return dead ? recordDeadJobs : consumeJobs;
}

export default {
    fetch: app.fetch,
    queue: (batch, env, ctx) => queueConsumer(batch.queue)(batch, env, ctx),
    scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env))
} satisfies ExportedHandler<Env>;
