// `nango.paginate()`: the provider's default paginator merged with the call's, then one of three
// strategies (cursor, link, offset) yielding each page's items.
import type { HttpResponse, PaginationConfig, ProxyConfiguration } from '../sdk/http.js';
import { linkWithRel } from './link-header.js';
import { getPath, setPath } from './object-path.js';
import { SdkError } from './sdk-error.js';

export type PageRequest = (config: ProxyConfiguration) => Promise<HttpResponse>;
type Settings = PaginationConfig & { type: 'cursor' | 'link' | 'offset' };

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Where pagination parameters are written: the query or the body (where keys may be dot paths). */
class Placement {
    constructor(readonly inBody: boolean) {}

    write(config: ProxyConfiguration, name: string, value: string | number): ProxyConfiguration {
        if (!this.inBody) return { ...config, params: { ...queryObject(config.params), [name]: value } };
        if (config.data !== undefined && (typeof config.data !== 'object' || config.data === null || Array.isArray(config.data))) {
            throw new SdkError('invalid_paginate_config', 'Pagination parameters go in the body, so `data` must be an object');
        }
        return { ...config, data: setPath((config.data ?? {}) as Record<string, unknown>, name, value) };
    }
}

function queryObject(params: ProxyConfiguration['params']): Exclude<ProxyConfiguration['params'], string> {
    return typeof params === 'string' ? Object.fromEntries(new URLSearchParams(params)) : { ...params };
}

function required(settings: Settings, field: keyof PaginationConfig): string {
    const value = settings[field];
    if (typeof value !== 'string' || value === '') throw new SdkError('invalid_paginate_config', `${settings.type} pagination needs \`${field}\``);
    return value;
}

function settingsOf(providerDefault: Record<string, unknown> | undefined, explicit: PaginationConfig | undefined): Settings {
    const settings = { ...providerDefault, ...explicit } as PaginationConfig;
    if (!settings.type) {
        throw new SdkError('invalid_paginate_config', 'paginate needs a `type` (cursor, link or offset): the call gives none and the provider has no default paginator');
    }
    if (settings.type !== 'cursor' && settings.type !== 'link' && settings.type !== 'offset') {
        throw new SdkError('invalid_paginate_config', `Unknown pagination type "${settings.type}"; use cursor, link or offset`);
    }
    return settings as Settings;
}

/** The page's items; anything but an array counts as an empty page. */
function itemsOf(response: HttpResponse, settings: Settings): unknown[] {
    const items = settings.response_path ? getPath(response.data, settings.response_path) : response.data;
    return Array.isArray(items) ? items : [];
}

export async function* paginate<T>(request: PageRequest, providerDefault: Record<string, unknown> | undefined, config: ProxyConfiguration): AsyncGenerator<T[], undefined, void> {
    const settings = settingsOf(providerDefault, config.paginate);
    const placement = new Placement(settings.in_body ?? BODY_METHODS.has((config.method ?? 'GET').toUpperCase()));
    let first = config;
    if (settings.limit !== undefined) {
        if (!settings.limit_name_in_request) throw new SdkError('invalid_paginate_config', '`limit` needs `limit_name_in_request`');
        first = placement.write(first, settings.limit_name_in_request, settings.limit);
    }
    const pages = settings.type === 'cursor' ? cursorPages(request, settings, placement, first) : settings.type === 'link' ? linkPages(request, settings, first) : offsetPages(request, settings, placement, first);
    return yield* pages as AsyncGenerator<T[], undefined, void>;
}

async function* cursorPages(request: PageRequest, settings: Settings, placement: Placement, first: ProxyConfiguration): AsyncGenerator<unknown[], undefined, void> {
    const cursorPath = required(settings, 'cursor_path_in_response');
    const cursorName = required(settings, 'cursor_name_in_request');
    let config = first;
    for (;;) {
        const response = await request(config);
        const items = itemsOf(response, settings);
        if (items.length === 0) return undefined;
        const cursor = usableCursor(getPath(response.data, cursorPath));
        yield items;
        await settings.on_page?.({ nextPageParam: cursor, response });
        if (cursor === undefined) return undefined;
        config = placement.write(config, cursorName, cursor);
    }
}

/** A next cursor worth sending: a non-blank string or a finite number. */
function usableCursor(value: unknown): string | number | undefined {
    if (typeof value === 'string') return value.trim() === '' ? undefined : value;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

async function* linkPages(request: PageRequest, settings: Settings, first: ProxyConfiguration): AsyncGenerator<unknown[], undefined, void> {
    if (!settings.link_rel_in_response_header && !settings.link_path_in_response_body) {
        throw new SdkError('invalid_paginate_config', 'link pagination needs `link_rel_in_response_header` or `link_path_in_response_body`');
    }
    const followed = new Set<string>();
    let config = first;
    for (;;) {
        const response = await request(config);
        // Unlike the other strategies, an empty page does not end the iteration: the link does.
        yield itemsOf(response, settings);
        const next = nextLink(response, settings);
        await settings.on_page?.({ nextPageParam: next, response });
        if (next === undefined || followed.has(next)) return undefined;
        followed.add(next);
        config = followLink(config, next);
    }
}

function nextLink(response: HttpResponse, settings: Settings): string | undefined {
    const fromHeader = settings.link_rel_in_response_header ? linkWithRel(response.headers['link'], settings.link_rel_in_response_header) : undefined;
    if (fromHeader) return fromHeader;
    const fromBody = settings.link_path_in_response_body ? getPath(response.data, settings.link_path_in_response_body) : undefined;
    return typeof fromBody === 'string' && fromBody.trim() !== '' ? fromBody : undefined;
}

/** The link carries every parameter, so the first request's params are dropped. */
function followLink(config: ProxyConfiguration, link: string): ProxyConfiguration {
    const { params: _dropped, ...rest } = config;
    if (!/^https?:\/\//i.test(link)) return { ...rest, endpoint: link };
    const url = new URL(link);
    return { ...rest, baseUrlOverride: url.origin, endpoint: url.pathname + url.search };
}

async function* offsetPages(request: PageRequest, settings: Settings, placement: Placement, first: ProxyConfiguration): AsyncGenerator<unknown[], undefined, void> {
    const offsetName = required(settings, 'offset_name_in_request');
    const perPage = settings.offset_calculation_method === 'per-page';
    const limit = settings.limit === undefined ? undefined : Number(settings.limit);
    let offset = Number(settings.offset_start_value ?? 0);
    for (;;) {
        // Query values are strings on the wire; in a JSON body the offset stays a number.
        const response = await request(placement.write(first, offsetName, placement.inBody ? offset : String(offset)));
        const items = itemsOf(response, settings);
        if (items.length === 0) return undefined;
        offset = perPage ? offset + 1 : offset + items.length;
        yield items;
        await settings.on_page?.({ nextPageParam: offset, response });
        if (limit !== undefined && items.length < limit) return undefined;
    }
}
