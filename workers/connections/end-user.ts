import { z } from '@hono/zod-openapi';
import { tagsSchema } from './tags.js';

export const endUserInputSchema = z
    .strictObject({
        id: z.string().min(1).max(255),
        email: z.email().optional(),
        display_name: z.string().max(255).optional(),
        tags: tagsSchema.optional(),
        organization: z.strictObject({ id: z.string().min(1).max(255), display_name: z.string().max(255).optional() }).optional()
    })
    .openapi('EndUserInput');

export type EndUserInput = z.infer<typeof endUserInputSchema>;

export const endUserSchema = z
    .object({
        id: z.string(),
        display_name: z.string().nullable(),
        email: z.string().nullable(),
        tags: z.record(z.string(), z.string()).nullable(),
        organization: z.object({ id: z.string(), display_name: z.string().nullable() }).nullable()
    })
    .openapi('EndUser');

/** Columns of the connections table that describe the end user. */
export interface EndUserColumns {
    endUserId: string | null;
    endUserEmail: string | null;
    endUserDisplayName: string | null;
    endUserTags: Record<string, string> | null;
    organizationId: string | null;
    organizationDisplayName: string | null;
}

export function endUserColumns(input: EndUserInput): EndUserColumns {
    return {
        endUserId: input.id,
        endUserEmail: input.email ?? null,
        endUserDisplayName: input.display_name ?? null,
        endUserTags: input.tags ?? null,
        organizationId: input.organization?.id ?? null,
        organizationDisplayName: input.organization?.display_name ?? null
    };
}

export function toApiEndUser(row: EndUserColumns): z.infer<typeof endUserSchema> | null {
    if (!row.endUserId) return null;
    return {
        id: row.endUserId,
        display_name: row.endUserDisplayName,
        email: row.endUserEmail,
        tags: row.endUserTags,
        organization: row.organizationId ? { id: row.organizationId, display_name: row.organizationDisplayName } : null
    };
}
