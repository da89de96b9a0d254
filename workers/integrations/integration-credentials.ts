import { z } from '@hono/zod-openapi';
import type { AuthMode } from '../../providers/schema.js';
import { isPrivateKeyPem } from '../crypto/rs256-jwt.js';

/** Developer-level app credentials, per Nango's `POST /integrations` body. Stored encrypted. */
const oauthApp = (type: 'OAUTH1' | 'OAUTH2' | 'TBA') =>
    z.strictObject({
        type: z.literal(type),
        client_id: z.string().min(1),
        client_secret: z.string().min(1),
        /** Comma-separated, as in Nango's API. */
        scopes: z.string().optional(),
        webhook_secret: z.string().optional()
    });

export const integrationCredentialsSchema = z
    .discriminatedUnion('type', [
        oauthApp('OAUTH2'),
        oauthApp('OAUTH1'),
        // NetSuite's consumer key and secret, which sign every request with the end user's token.
        oauthApp('TBA'),
        z.strictObject({
            type: z.literal('APP'),
            app_id: z.string().min(1),
            app_link: z.url(),
            private_key: z.string().refine(isPrivateKeyPem, 'must be a PEM RSA private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)')
        })
    ])
    .openapi('IntegrationCredentials');

export type IntegrationCredentials = z.infer<typeof integrationCredentialsSchema>;

/** Auth modes whose integrations need the developer's own app: OAuth client credentials or app keys. */
export function needsOwnApp(mode: AuthMode): boolean {
    return integrationCredentialsSchema.options.some((option) => option.shape.type.value === mode);
}

/** Which credential types a provider's auth mode accepts at the integration level. */
export function acceptsIntegrationCredentials(mode: AuthMode, type: IntegrationCredentials['type']): boolean {
    return mode === type;
}

export const integrationCredentialsResponseSchema = z
    .union([
        z.object({
            type: z.enum(['OAUTH1', 'OAUTH2', 'TBA']),
            client_id: z.string(),
            client_secret: z.string(),
            scopes: z.string().nullable(),
            webhook_secret: z.string().nullable()
        }),
        z.object({ type: z.literal('APP'), app_id: z.string(), app_link: z.string(), private_key: z.string() })
    ])
    .openapi('IntegrationCredentialsResponse');

/** The `credentials` object of `GET /integrations/:key?include=credentials`. */
export function toApiIntegrationCredentials(c: IntegrationCredentials): z.infer<typeof integrationCredentialsResponseSchema> {
    if (c.type === 'APP') return { type: c.type, app_id: c.app_id, app_link: c.app_link, private_key: c.private_key };
    return { type: c.type, client_id: c.client_id, client_secret: c.client_secret, scopes: c.scopes ?? null, webhook_secret: c.webhook_secret ?? null };
}
