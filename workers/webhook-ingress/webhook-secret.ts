import type { ProviderWebhooks } from '../../providers/webhook-schema.js';
import { type IntegrationRow, openCredentials, openCustom } from '../integrations/integrations.js';

/**
 * The secret that verifies the integration's incoming webhooks: its OAuth client secret where the
 * provider signs with it, else its webhook secret (`credentials.webhook_secret`, or
 * `custom.webhookSecret` for integrations without OAuth app credentials). Null when not set.
 */
export async function webhookSecretOf(env: Env, row: IntegrationRow, which: ProviderWebhooks['secret']): Promise<string | null> {
    const credentials = await openCredentials(env, row);
    const oauth = credentials && credentials.type !== 'APP' ? credentials : null;
    if (which === 'client_secret') return oauth?.client_secret ?? null;
    if (oauth?.webhook_secret) return oauth.webhook_secret;
    return (await openCustom(env, row))?.['webhookSecret'] ?? null;
}
