import { z } from '@hono/zod-openapi';

// Tag keys and values follow Nango's limits so tags round-trip between the two.
export const TAG_KEY = /^[a-zA-Z][a-zA-Z0-9_\-./]*$/;
const MAX_TAGS = 10;

export const tagsSchema = z
    .record(z.string().max(64).regex(TAG_KEY, 'tag keys start with a letter and use letters, digits and _-./'), z.string().min(1).max(255))
    .refine((tags) => Object.keys(tags).length <= MAX_TAGS, `at most ${MAX_TAGS} tags`)
    .transform((tags) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v])))
    .openapi('Tags', { example: { plan: 'enterprise' } });

export type Tags = Record<string, string>;

export interface EndUserFields {
    id: string;
    email?: string | undefined;
    display_name?: string | undefined;
    organization?: { id: string; display_name?: string | undefined } | undefined;
}

/** Tags derived from the end user, so connections can be filtered by them; explicit tags win. */
export function tagsWithEndUser(endUser: EndUserFields | undefined, tags: Tags | undefined): Tags {
    const auto: Tags = {};
    if (endUser) {
        auto['end_user_id'] = endUser.id;
        if (endUser.email) auto['end_user_email'] = endUser.email;
        if (endUser.display_name) auto['end_user_display_name'] = endUser.display_name;
        if (endUser.organization) {
            auto['organization_id'] = endUser.organization.id;
            if (endUser.organization.display_name) auto['organization_display_name'] = endUser.organization.display_name;
        }
    }
    return { ...auto, ...tags };
}
