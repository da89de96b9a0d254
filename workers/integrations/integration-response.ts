import { z } from '@hono/zod-openapi';
import { providerLogoUrl, type ResolvedProvider } from '../catalog/provider-registry.js';
import { apiTimestamp } from '../http/timestamps.js';
import { integrationCredentialsResponseSchema, toApiIntegrationCredentials, type IntegrationCredentials } from './integration-credentials.js';
import type { IntegrationRow } from './integrations.js';

export const integrationSchema = z
    .object({
        unique_key: z.string(),
        provider: z.string(),
        display_name: z.string(),
        logo: z.string(),
        forward_webhooks: z.boolean(),
        integration_config: z.record(z.string(), z.string()).nullable(),
        created_at: z.string(),
        updated_at: z.string(),
        webhook_url: z.string().optional().openapi({ description: 'With `include=webhook`: where the provider sends webhooks' }),
        credentials: integrationCredentialsResponseSchema.nullable().optional().openapi({ description: 'With `include=credentials`' })
    })
    .openapi('Integration');

export interface IntegrationIncludes {
    webhookUrl?: string;
    /** null = the integration has none; undefined = not asked for. */
    credentials?: IntegrationCredentials | null;
}

export function toApiIntegration(row: IntegrationRow, provider: ResolvedProvider, baseUrl: string, include: IntegrationIncludes = {}) {
    return {
        unique_key: row.uniqueKey,
        provider: row.provider,
        display_name: row.displayName ?? provider.provider.display_name,
        logo: providerLogoUrl(baseUrl, provider),
        forward_webhooks: row.forwardWebhooks,
        integration_config: row.integrationConfig ?? null,
        created_at: apiTimestamp(row.createdAt),
        updated_at: apiTimestamp(row.updatedAt),
        ...(include.webhookUrl !== undefined && { webhook_url: include.webhookUrl }),
        ...(include.credentials !== undefined && { credentials: include.credentials && toApiIntegrationCredentials(include.credentials) })
    };
}

/** Where a provider posts webhooks for this integration (served by the ingress route). */
export function integrationWebhookUrl(baseUrl: string, row: IntegrationRow): string {
    return `${baseUrl}/webhook/${row.environmentId}/${encodeURIComponent(row.uniqueKey)}`;
}
