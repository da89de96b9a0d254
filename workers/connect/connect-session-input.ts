import { z } from '@hono/zod-openapi';
import { endUserInputSchema } from '../connections/end-user.js';
import { tagsSchema } from '../connections/tags.js';
import { webhookUrlSchema } from '../webhooks/webhook-settings.js';

const integrationDefaultsSchema = z
    .strictObject({
        /** Slack-style user scopes, comma-separated. */
        user_scopes: z.string().optional(),
        authorization_params: z.record(z.string(), z.string()).optional(),
        /** Prefilled (and hidden) connection config; `oauth_scopes_override` replaces the scopes. */
        connection_config: z.record(z.string(), z.unknown()).optional()
    })
    .openapi('IntegrationConfigDefaults');

const organizationSchema = z.strictObject({ id: z.string().min(1).max(255), display_name: z.string().max(255).optional() });

/** The fields a connect session shares with a reconnect session (reference §2.1). */
export const sessionFields = {
    end_user: endUserInputSchema.optional(),
    organization: organizationSchema.optional(),
    tags: tagsSchema.optional(),
    integrations_config_defaults: z.record(z.string(), integrationDefaultsSchema).optional(),
    overrides: z.record(z.string(), z.strictObject({ docs_connect: z.url({ protocol: /^https$/ }).optional() })).optional(),
    // "" means no override, as in Nango's API.
    webhook_url_override: z.union([webhookUrlSchema, z.literal('')]).optional()
};

export const createSessionBody = z
    .strictObject({ ...sessionFields, allowed_integrations: z.array(z.string().min(1)).max(100).optional() })
    .refine((b) => b.end_user || b.tags, { message: 'end_user is required unless tags are given', path: ['end_user'] })
    .openapi('ConnectSessionInput');

export const reconnectSessionBody = z
    .strictObject({ ...sessionFields, connection_id: z.string().min(1), integration_id: z.string().min(1) })
    .openapi('ReconnectSessionInput');

export type SessionInput = z.infer<typeof createSessionBody>;
export type IntegrationDefaults = z.infer<typeof integrationDefaultsSchema>;
