import { z } from 'zod';
import { database } from '../db.js';
import { attemptDelivery, markDead } from './webhook-delivery.js';

const messageSchema = z.object({ deliveryId: z.string() });

/** Consumer of the webhooks queue: one attempt per message, then ack, back off, or dead-letter. */
export async function consumeWebhooks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    const db = database(env);
    await Promise.all(
        batch.messages.map(async (message) => {
            const parsed = messageSchema.safeParse(message.body);
            if (!parsed.success) {
                console.error(`webhook message ${message.id}: unreadable, dropped`);
                return message.ack();
            }
            try {
                const outcome = await attemptDelivery(db, env, parsed.data.deliveryId);
                if (outcome.kind === 'retry') return message.retry({ delaySeconds: outcome.delaySeconds });
                if (outcome.kind === 'exhausted') await env.WEBHOOKS_DLQ.send(parsed.data);
                message.ack();
            } catch (error) {
                // Our own failure (D1, the keyring): try again soon; the queue's max_retries bounds it.
                console.error(`webhook delivery ${parsed.data.deliveryId} could not be attempted`, error);
                message.retry({ delaySeconds: 30 });
            }
        })
    );
}

/** Consumer of the webhooks dead-letter queue. */
export async function recordDeadWebhooks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    const db = database(env);
    for (const message of batch.messages) {
        const parsed = messageSchema.safeParse(message.body);
        if (parsed.success) await markDead(db, parsed.data.deliveryId);
        message.ack();
    }
}
