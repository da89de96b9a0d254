import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { environments } from '../../schema/tables.js';
import type { Database } from '../db.js';

export const webhookUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);

const flags = {
    /** Connection created (success or failure). */
    on_auth_creation: z.boolean(),
    /** Token refresh failed. */
    on_auth_refresh_error: z.boolean(),
    on_sync_error: z.boolean(),
    /** When false, successful syncs without changes send nothing. */
    on_sync_completion_always: z.boolean(),
    on_async_action_completion: z.boolean()
};

export const webhookSettingsSchema = z
    .object({
        primary_url: webhookUrlSchema.nullable(),
        secondary_url: webhookUrlSchema.nullable(),
        ...flags
    })
    .openapi('WebhookSettings');

// "" clears a URL, as in Nango's dashboard.
const clearableUrl = z.union([webhookUrlSchema, z.literal('')]).nullable().optional();

export const webhookSettingsPatchSchema = z
    .object(flags)
    .partial()
    .extend({ primary_url: clearableUrl, secondary_url: clearableUrl })
    .strict()
    .openapi('WebhookSettingsPatch');

export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;
export type WebhookFlag = keyof typeof flags;

// A new environment sends every kind of webhook once a URL is set, as a new Nango environment
// does; turning `on_sync_completion_always` off silences sync runs that changed nothing.
const DEFAULTS: WebhookSettings = {
    primary_url: null,
    secondary_url: null,
    on_auth_creation: true,
    on_auth_refresh_error: true,
    on_sync_error: true,
    on_sync_completion_always: true,
    on_async_action_completion: true
};

function withDefaults(stored: Record<string, unknown>): WebhookSettings {
    const parsed = webhookSettingsSchema.partial().safeParse(stored);
    return { ...DEFAULTS, ...(parsed.success ? parsed.data : {}) };
}

export async function getWebhookSettings(db: Database, environmentId: string): Promise<WebhookSettings> {
    const [row] = await db.select({ settings: environments.webhookSettings }).from(environments).where(eq(environments.id, environmentId)).limit(1);
    return withDefaults(row?.settings ?? {});
}

export async function updateWebhookSettings(
    db: Database,
    environmentId: string,
    patch: z.infer<typeof webhookSettingsPatchSchema>
): Promise<WebhookSettings> {
    const current = await getWebhookSettings(db, environmentId);
    const normalized = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === '' ? null : v]));
    const next = { ...current, ...normalized } as WebhookSettings;
    await db.update(environments).set({ webhookSettings: next, updatedAt: Date.now() }).where(eq(environments.id, environmentId));
    return next;
}
