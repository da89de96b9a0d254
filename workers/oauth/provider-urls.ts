import type { Provider } from '../../providers/schema.js';
import { fillTemplate, type TemplateValues } from '../../providers/templates.js';
import { ApiError } from '../http/api-error.js';

/** Fills one URL template; a missing variable is the caller's (or the end user's) missing config. */
export function providerUrl(template: string, values: TemplateValues, what: string): string {
    const url = fillTemplate(template, values, { encode: true });
    if (url === null) {
        throw new ApiError(400, 'missing_connection_config', `The ${what} needs connection config that is missing (${template})`);
    }
    return url;
}

/** The provider's API root: the first base URL candidate whose variables all have values. */
export function providerBaseUrl(provider: Provider, values: TemplateValues): string {
    const candidates = provider.proxy ? (Array.isArray(provider.proxy.base_url) ? provider.proxy.base_url : [provider.proxy.base_url]) : [];
    for (const candidate of candidates) {
        const url = fillTemplate(candidate, values, { encode: true });
        if (url !== null) return url;
    }
    throw new ApiError(400, 'missing_connection_config', 'The provider has no API base URL for this connection config');
}

/** Fills a map of templated values (headers, query, params), dropping those whose variables are missing. */
export function fillMap(map: Record<string, string> | undefined, values: TemplateValues): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, template] of Object.entries(map ?? {})) {
        const value = fillTemplate(template, values, { encode: false });
        if (value !== null) out[key] = value;
    }
    return out;
}
