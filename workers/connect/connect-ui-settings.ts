import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { environments } from '../../schema/tables.js';
import type { Database } from '../db.js';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #rrggbb colour');

export const connectUiSettingsSchema = z
    .object({
        theme: z.object({ light: z.object({ primary: color }), dark: z.object({ primary: color }) }),
        defaultTheme: z.enum(['system', 'light', 'dark']),
        showWatermark: z.boolean()
    })
    .openapi('ConnectUISettings');

export const connectUiSettingsPatchSchema = z
    .strictObject({
        theme: z.strictObject({ light: z.strictObject({ primary: color }).optional(), dark: z.strictObject({ primary: color }).optional() }).optional(),
        defaultTheme: z.enum(['system', 'light', 'dark']).optional(),
        showWatermark: z.boolean().optional()
    })
    .openapi('ConnectUISettingsPatch');

export type ConnectUiSettings = z.infer<typeof connectUiSettingsSchema>;

const DEFAULTS: ConnectUiSettings = { theme: { light: { primary: '#4f46e5' }, dark: { primary: '#818cf8' } }, defaultTheme: 'system', showWatermark: true };

function withDefaults(stored: Record<string, unknown>): ConnectUiSettings {
    const parsed = connectUiSettingsPatchSchema.safeParse(stored);
    const s = parsed.success ? parsed.data : {};
    return {
        theme: { light: { ...DEFAULTS.theme.light, ...s.theme?.light }, dark: { ...DEFAULTS.theme.dark, ...s.theme?.dark } },
        defaultTheme: s.defaultTheme ?? DEFAULTS.defaultTheme,
        showWatermark: s.showWatermark ?? DEFAULTS.showWatermark
    };
}

export async function getConnectUiSettings(db: Database, environmentId: string): Promise<ConnectUiSettings> {
    const [row] = await db.select({ s: environments.connectUiSettings }).from(environments).where(eq(environments.id, environmentId)).limit(1);
    return withDefaults(row?.s ?? {});
}

export async function updateConnectUiSettings(db: Database, environmentId: string, patch: z.infer<typeof connectUiSettingsPatchSchema>) {
    const current = await getConnectUiSettings(db, environmentId);
    const next: ConnectUiSettings = {
        theme: { light: { ...current.theme.light, ...patch.theme?.light }, dark: { ...current.theme.dark, ...patch.theme?.dark } },
        defaultTheme: patch.defaultTheme ?? current.defaultTheme,
        showWatermark: patch.showWatermark ?? current.showWatermark
    };
    await db.update(environments).set({ connectUiSettings: next, updatedAt: Date.now() }).where(eq(environments.id, environmentId));
    return next;
}
