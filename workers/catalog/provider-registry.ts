import { and, eq } from 'drizzle-orm';
import { customProviders, integrations } from '../../schema/tables.js';
import { BUILT_IN_PROVIDERS } from '../../providers/catalog/index.js';
import { monogramSvg } from '../../providers/logo.js';
import { createProviderSchema, type Provider, providerSchema } from '../../providers/schema.js';
import { loopbackHttpAllowed } from '../oauth/egress.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import { validationError } from '../http/validation.js';

export interface ResolvedProvider {
    name: string;
    provider: Provider;
    custom: boolean;
}

/** Built-in entries are trusted: test/workers/provider-catalog.test.ts validates every one. */
const builtIn = BUILT_IN_PROVIDERS as Record<string, Provider>;

export function isBuiltInProvider(name: string): boolean {
    return Object.hasOwn(builtIn, name);
}

/** Finds a provider by name: built-in first, then the environment's own. */
export async function findProvider(db: Database, environmentId: string, name: string): Promise<ResolvedProvider | null> {
    if (isBuiltInProvider(name)) return { name, provider: builtIn[name]!, custom: false };
    const [row] = await db
        .select({ definition: customProviders.definition })
        .from(customProviders)
        .where(and(eq(customProviders.environmentId, environmentId), eq(customProviders.name, name)))
        .limit(1);
    return row ? { name, provider: row.definition as Provider, custom: true } : null;
}

export async function listProviders(db: Database, environmentId: string, search?: string): Promise<ResolvedProvider[]> {
    const custom = await db
        .select({ name: customProviders.name, definition: customProviders.definition })
        .from(customProviders)
        .where(eq(customProviders.environmentId, environmentId));
    const all: ResolvedProvider[] = [
        ...Object.entries(builtIn).map(([name, provider]) => ({ name, provider, custom: false })),
        ...custom.map((r) => ({ name: r.name, provider: r.definition as Provider, custom: true }))
    ];
    const needle = search?.trim().toLowerCase();
    const matches = needle
        ? all.filter((p) => p.name.includes(needle) || p.provider.display_name.toLowerCase().includes(needle))
        : all;
    return matches.sort((a, b) => a.name.localeCompare(b.name));
}

const strictSchema = providerSchema;
const loopbackSchema = createProviderSchema({ allowLoopbackHttp: true });

/** Validates an environment's provider; loopback http URLs pass only where local development allows them. */
export function parseProviderDefinition(definition: unknown, env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }): Provider {
    const parsed = (loopbackHttpAllowed(env) ? loopbackSchema : strictSchema).safeParse(definition);
    if (!parsed.success) throw validationError('json', parsed.error);
    return parsed.data;
}

/** Creates or replaces an environment's provider. Built-in names are reserved. */
export async function saveCustomProvider(db: Database, environmentId: string, name: string, provider: Provider, mode: 'create' | 'upsert') {
    if (isBuiltInProvider(name)) {
        throw new ApiError(409, 'provider_already_exists', `"${name}" is a built-in provider; register yours under another name`);
    }
    const existing = await findProvider(db, environmentId, name);
    if (existing && mode === 'create') throw new ApiError(409, 'provider_already_exists', `A provider named "${name}" already exists`);
    const now = Date.now();
    if (existing) {
        await db
            .update(customProviders)
            .set({ definition: provider, updatedAt: now })
            .where(and(eq(customProviders.environmentId, environmentId), eq(customProviders.name, name)));
    } else {
        await db.insert(customProviders).values({ environmentId, name, definition: provider, createdAt: now, updatedAt: now });
    }
    return { created: !existing };
}

export async function deleteCustomProvider(db: Database, environmentId: string, name: string): Promise<void> {
    if (isBuiltInProvider(name)) throw new ApiError(409, 'provider_read_only', `"${name}" is a built-in provider and cannot be deleted`);
    const [used] = await db
        .select({ key: integrations.uniqueKey })
        .from(integrations)
        .where(and(eq(integrations.environmentId, environmentId), eq(integrations.provider, name)))
        .limit(1);
    if (used) throw new ApiError(409, 'provider_in_use', `Integration "${used.key}" uses this provider; delete it first`);
    const result = await db
        .delete(customProviders)
        .where(and(eq(customProviders.environmentId, environmentId), eq(customProviders.name, name)));
    if (!result.meta.changes) throw new ApiError(404, 'not_found', `No custom provider named "${name}"`);
}

/**
 * Logo URL for a provider. Built-ins have static SVGs under /logos; a custom provider uses its
 * own URL, else an inline monogram (a data: URL works in <img> without any authenticated route).
 */
export function providerLogoUrl(baseUrl: string, p: ResolvedProvider): string {
    if (p.provider.logo?.url) return p.provider.logo.url;
    if (!p.custom) return `${baseUrl}/logos/${p.name}.svg`;
    return `data:image/svg+xml,${encodeURIComponent(monogramSvg(p.provider.display_name, p.provider.logo?.color))}`;
}

export function toApiProvider(baseUrl: string, p: ResolvedProvider) {
    return { name: p.name, ...p.provider, logo_url: providerLogoUrl(baseUrl, p), custom: p.custom };
}
