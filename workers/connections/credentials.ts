import { z } from '@hono/zod-openapi';

/**
 * Credentials as the API accepts them on import and returns them, per auth mode. They are stored
 * only inside the connection's Durable Object, encrypted.
 */
const isoDate = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-21T10:00:00.000Z' });
const raw = z.record(z.string(), z.unknown());

export const oauth2CredentialsSchema = z.strictObject({
    type: z.literal('OAUTH2'),
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
    expires_at: isoDate.optional(),
    raw: raw.optional(),
    config_override: z.strictObject({ client_id: z.string().optional(), client_secret: z.string().optional() }).optional()
});

export const oauth2ClientCredentialsSchema = z.strictObject({
    type: z.literal('OAUTH2_CC'),
    token: z.string().min(1),
    expires_at: isoDate.optional(),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    client_certificate: z.string().optional(),
    client_private_key: z.string().optional(),
    raw: raw.optional()
});

export const oauth1CredentialsSchema = z.strictObject({
    type: z.literal('OAUTH1'),
    oauth_token: z.string().min(1),
    oauth_token_secret: z.string().min(1),
    raw: raw.optional()
});

/** A GitHub App installation token; the platform mints a new one from the app's key before it expires. */
export const appCredentialsSchema = z.strictObject({
    type: z.literal('APP'),
    access_token: z.string().min(1),
    expires_at: isoDate.optional(),
    raw: raw.optional()
});

/** NetSuite token-based auth: the end user's token, signed with the integration's (or this override's) consumer. */
export const tbaCredentialsSchema = z.strictObject({
    type: z.literal('TBA'),
    token_id: z.string().min(1),
    token_secret: z.string().min(1),
    config_override: z.strictObject({ client_id: z.string().min(1), client_secret: z.string().min(1) }).optional()
});

// Key-based credentials may carry more fields the provider declares (Datadog's `appKey` beside `apiKey`).
export const apiKeyCredentialsSchema = z.object({ type: z.literal('API_KEY'), apiKey: z.string().min(1) }).catchall(z.string());

// Some APIs take an API key as the username and an empty password.
export const basicCredentialsSchema = z.object({ type: z.literal('BASIC'), username: z.string().min(1), password: z.string() }).catchall(z.string());

export const noCredentialsSchema = z.strictObject({ type: z.literal('NONE') });

export const credentialsSchema = z
    .discriminatedUnion('type', [
        oauth2CredentialsSchema,
        oauth2ClientCredentialsSchema,
        oauth1CredentialsSchema,
        appCredentialsSchema,
        tbaCredentialsSchema,
        apiKeyCredentialsSchema,
        basicCredentialsSchema,
        noCredentialsSchema
    ])
    .openapi('Credentials');

export type Credentials = z.infer<typeof credentialsSchema>;
export type CredentialsType = Credentials['type'];

/** What a ConnectionDO keeps encrypted: the credentials and the secret part of the connection config. */
export interface ConnectionSecrets {
    credentials: Credentials;
    secretConfig: Record<string, unknown>;
}

/** Refresh tokens leave the platform only when the caller asks for them, also inside `raw`. */
export function withoutRefreshToken(credentials: Credentials): Credentials {
    if (credentials.type !== 'OAUTH2') return credentials;
    const { refresh_token: _dropped, ...rest } = credentials;
    if (!rest.raw) return rest;
    const { refresh_token: _alsoDropped, ...raw } = rest.raw;
    return { ...rest, raw };
}

/** What a ConnectionDO answers for fresh credentials; an error carries the API status and code. */
export type CredentialsResult =
    /** `rateLimitedUntil`: the provider asked this connection's callers to wait until then (Unix ms; 0 = no wait). */
    | { ok: true; secrets: ConnectionSecrets; refreshed: boolean; rateLimitedUntil: number }
    | { ok: false; error: { status: 424 | 500; code: string; message: string } };
