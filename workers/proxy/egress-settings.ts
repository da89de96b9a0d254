import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { environments } from '../../schema/tables.js';
import type { Database } from '../db.js';

export const egressSettingsSchema = z
    .object({
        /** `Base-Url-Override` / `baseUrlOverride` may point calls elsewhere than the provider's API (never calls carrying credentials). */
        allow_base_url_override: z.boolean(),
        /** Requests may go to private, loopback and link-local addresses (self-hosted APIs on a private network). */
        allow_private_network: z.boolean()
    })
    .openapi('EgressSettings');

export const egressSettingsPatchSchema = egressSettingsSchema.partial().strict().openapi('EgressSettingsPatch');
export type EgressSettings = z.infer<typeof egressSettingsSchema>;

const DEFAULTS: EgressSettings = { allow_base_url_override: true, allow_private_network: false };

export async function getEgressSettings(db: Database, environmentId: string): Promise<EgressSettings> {
    const [row] = await db.select({ s: environments.egressSettings }).from(environments).where(eq(environments.id, environmentId)).limit(1);
    const parsed = egressSettingsPatchSchema.safeParse(row?.s ?? {});
    return { ...DEFAULTS, ...(parsed.success ? parsed.data : {}) };
}

export async function updateEgressSettings(db: Database, environmentId: string, patch: Partial<EgressSettings>): Promise<EgressSettings> {
    const next = { ...(await getEgressSettings(db, environmentId)), ...patch };
    await db.update(environments).set({ egressSettings: next, updatedAt: Date.now() }).where(eq(environments.id, environmentId));
    return next;
}
