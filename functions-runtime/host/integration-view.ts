import type { IntegrationInclude, IntegrationView } from '../host-contract.js';
import type { ResolvedProvider } from '../../workers/catalog/provider-registry.js';
import { toApiIntegrationCredentials } from '../../workers/integrations/integration-credentials.js';
import { integrationWebhookUrl, toApiIntegration } from '../../workers/integrations/integration-response.js';
import { type IntegrationRow, openCredentials } from '../../workers/integrations/integrations.js';
import { integrationCredentialsView } from './credentials-view.js';

/**
 * `nango.getIntegration()`: the integration as `GET /integrations/:key` answers it, except that
 * the app's secrets (client secret, webhook secret, private key) are placeholders, which the
 * platform never fills: the sandbox holds no credentials, and the platform runs the flows that
 * need them. `publicUrl` null: the platform's URL is unknown, so the webhook URL can't be given
 * and the logo is a path.
 */
export async function integrationView(env: Env, row: IntegrationRow, provider: ResolvedProvider, publicUrl: string | null, include: IntegrationInclude[]): Promise<IntegrationView> {
    const wanted = new Set(include);
    let webhookUrl: string | undefined;
    if (wanted.has('webhook')) {
        if (publicUrl === null) throw new Error('public_url_unknown: the webhook URL needs the platform URL; set SPOKE_SERVER_URL');
        webhookUrl = integrationWebhookUrl(publicUrl, row);
    }
    const view: IntegrationView = toApiIntegration(row, provider, publicUrl ?? '', webhookUrl === undefined ? {} : { webhookUrl });
    if (wanted.has('credentials')) {
        const credentials = await openCredentials(env, row);
        view.credentials = credentials && integrationCredentialsView(toApiIntegrationCredentials(credentials));
    }
    return view;
}
