import { describe, expect, it } from 'vitest';
import { Interruption } from '../../../functions-runtime/sandbox/interruption.js';
import { SandboxNangoAction } from '../../../functions-runtime/sandbox/nango-action.js';
import type { HostProxyRequest } from '../../../functions-runtime/host-contract.js';
import { collect, context, MemoryHost, respond, type Responder } from './memory-host.js';

function nango(responder: Responder, providerPaginate?: Record<string, unknown>) {
    const host = new MemoryHost(responder);
    return { host, nango: new SandboxNangoAction(host, context(providerPaginate ? { paginate: providerPaginate } : {}), new Interruption()) };
}

/** Answers the n-th request with the n-th body (and headers). */
function pages(...answers: { body: unknown; headers?: Record<string, string> }[]): Responder {
    return (_request, index) => {
        const answer = answers[index];
        if (!answer) throw new Error(`unexpected request ${index}`);
        return respond(answer.body, { headers: answer.headers ?? {} });
    };
}

describe('paginate configuration', () => {
    it('uses the provider default, overridden field by field by the call', async () => {
        const { host, nango: n } = nango(pages({ body: { items: [1], next: '' } }), {
            type: 'cursor',
            cursor_path_in_response: 'next',
            cursor_name_in_request: 'cursor',
            response_path: 'data'
        });
        expect(await collect(n.paginate({ endpoint: '/x', paginate: { response_path: 'items', limit: 5, limit_name_in_request: 'per_page' } }))).toEqual([[1]]);
        expect(host.requests[0]?.params).toEqual({ per_page: 5 });
    });

    it('refuses a call without a type when the provider has no default', async () => {
        const { nango: n } = nango(pages());
        await expect(collect(n.paginate({ endpoint: '/x', paginate: { limit: 10 } }))).rejects.toMatchObject({ code: 'invalid_paginate_config', message: expect.stringMatching(/needs a `type`/) });
    });

    it('refuses unknown types and missing required fields', async () => {
        const { nango: n } = nango(pages());
        await expect(collect(n.paginate({ endpoint: '/x', paginate: { type: 'page' } }))).rejects.toMatchObject({ code: 'invalid_paginate_config' });
        await expect(collect(n.paginate({ endpoint: '/x', paginate: { type: 'cursor', cursor_name_in_request: 'c' } }))).rejects.toThrow(/cursor_path_in_response/);
        await expect(collect(n.paginate({ endpoint: '/x', paginate: { type: 'link' } }))).rejects.toThrow(/link_rel_in_response_header/);
        await expect(collect(n.paginate({ endpoint: '/x', paginate: { type: 'offset', offset_name_in_request: 'o', limit: 5 } }))).rejects.toThrow(/limit_name_in_request/);
    });
});

describe('cursor pagination', () => {
    const cursor = { type: 'cursor', cursor_path_in_response: 'meta.next', cursor_name_in_request: 'after', response_path: 'data' } as const;

    it('follows the cursor in the query of a GET, keeping the other params, and awaits on_page', async () => {
        const seen: unknown[] = [];
        const { host, nango: n } = nango(pages({ body: { data: [1, 2], meta: { next: 'c2' } } }, { body: { data: [3], meta: { next: 7 } } }, { body: { data: [4], meta: {} } }));
        const result = await collect(
            n.paginate({
                endpoint: '/items',
                params: { q: 'x' },
                paginate: {
                    ...cursor,
                    on_page: async ({ nextPageParam, response }) => {
                        await Promise.resolve();
                        seen.push([nextPageParam, response.status]);
                    }
                }
            })
        );
        expect(result).toEqual([[1, 2], [3], [4]]);
        expect(host.requests.map((r) => r.params)).toEqual([{ q: 'x' }, { q: 'x', after: 'c2' }, { q: 'x', after: 7 }]);
        expect(seen).toEqual([['c2', 200], [7, 200], [undefined, 200]]);
    });

    it('stops on an empty page without yielding it', async () => {
        const { host, nango: n } = nango(pages({ body: { data: [1], meta: { next: 'c2' } } }, { body: { data: [], meta: { next: 'c3' } } }));
        expect(await collect(n.paginate({ endpoint: '/items', paginate: cursor }))).toEqual([[1]]);
        expect(host.requests).toHaveLength(2);
    });

    it('stops when the page is missing from the response', async () => {
        const { nango: n } = nango(pages({ body: { meta: { next: 'c2' } } }));
        expect(await collect(n.paginate({ endpoint: '/items', paginate: cursor }))).toEqual([]);
    });

    it('stops when the next cursor is missing, blank or not a string or number', async () => {
        for (const next of [undefined, '', '   ', null, { id: 1 }]) {
            const { host, nango: n } = nango(pages({ body: { data: [1], meta: { next } } }));
            expect(await collect(n.paginate({ endpoint: '/items', paginate: cursor }))).toEqual([[1]]);
            expect(host.requests).toHaveLength(1);
        }
    });

    it('writes the cursor and the limit in the body of a POST, at dotted paths', async () => {
        const { host, nango: n } = nango(pages({ body: { data: [1], meta: { next: 'c2' } } }, { body: { data: [2], meta: {} } }));
        const data = { query: 'q', variables: { first: 1 } };
        await collect(n.paginate({ endpoint: '/graphql', method: 'POST', data, paginate: { ...cursor, cursor_name_in_request: 'variables.after', limit: 50, limit_name_in_request: 'variables.first' } }));
        expect(host.requests.map((r) => r.data)).toEqual([
            { query: 'q', variables: { first: 50 } },
            { query: 'q', variables: { first: 50, after: 'c2' } }
        ]);
        expect(host.requests[0]?.params).toBeUndefined();
        expect(data).toEqual({ query: 'q', variables: { first: 1 } });
    });

    it('honours in_body both ways', async () => {
        const post = nango(pages({ body: { data: [1], meta: { next: 'c2' } } }, { body: { data: [], meta: {} } }));
        await collect(post.nango.paginate({ endpoint: '/s', method: 'POST', paginate: { ...cursor, in_body: false } }));
        expect(post.host.requests[1]).toMatchObject({ params: { after: 'c2' } });
        expect(post.host.requests[1]?.data).toBeUndefined();

        const get = nango(pages({ body: { data: [1], meta: { next: 'c2' } } }, { body: { data: [], meta: {} } }));
        await collect(get.nango.paginate({ endpoint: '/s', paginate: { ...cursor, in_body: true } }));
        expect(get.host.requests[1]).toMatchObject({ data: { after: 'c2' } });
    });

    it('turns a raw query string into params it can add to', async () => {
        const { host, nango: n } = nango(pages({ body: { data: [1], meta: { next: 'c2' } } }, { body: { data: [], meta: {} } }));
        await collect(n.paginate({ endpoint: '/s', params: 'a=1&b=two', paginate: cursor }));
        expect(host.requests[1]?.params).toEqual({ a: '1', b: 'two', after: 'c2' });
    });
});

describe('link pagination', () => {
    it('follows the Link header rel, yielding empty pages too, and drops the params after page 1', async () => {
        const { host, nango: n } = nango(
            pages(
                { body: [1, 2], headers: { link: '<https://api.example.com/v3/items?page=2&per_page=2>; rel="next", <https://api.example.com/v3/items?page=9>; rel="last"' } },
                { body: [], headers: { link: '</v3/items?page=3&per_page=2>; rel="next"' } },
                { body: [3], headers: { link: '<https://api.example.com/v3/items?page=1>; rel="first"' } }
            )
        );
        const result = await collect(n.paginate({ endpoint: '/items', params: { per_page: 2 }, paginate: { type: 'link', link_rel_in_response_header: 'next', limit: 2, limit_name_in_request: 'per_page' } }));
        expect(result).toEqual([[1, 2], [], [3]]);
        expect(host.requests.map(({ endpoint, baseUrlOverride, params }) => ({ endpoint, baseUrlOverride, params }))).toEqual([
            { endpoint: '/items', baseUrlOverride: undefined, params: { per_page: 2 } },
            { endpoint: '/v3/items?page=2&per_page=2', baseUrlOverride: 'https://api.example.com', params: undefined },
            { endpoint: '/v3/items?page=3&per_page=2', baseUrlOverride: 'https://api.example.com', params: undefined }
        ]);
    });

    it('matches one of several space-separated rel values', async () => {
        const { host, nango: n } = nango(pages({ body: [1], headers: { link: '</p2>; rel="prev next"' } }, { body: [2] }));
        expect(await collect(n.paginate({ endpoint: '/p1', paginate: { type: 'link', link_rel_in_response_header: 'next' } }))).toEqual([[1], [2]]);
        expect(host.requests[1]?.endpoint).toBe('/p2');
    });

    it('follows a link found at a body path, relative to the base URL', async () => {
        const seen: unknown[] = [];
        const { host, nango: n } = nango(pages({ body: { results: [1], paging: { next: '/items?cursor=b' } } }, { body: { results: [2], paging: { next: null } } }));
        const result = await collect(
            n.paginate({ endpoint: '/items', paginate: { type: 'link', link_path_in_response_body: 'paging.next', response_path: 'results', on_page: ({ nextPageParam }) => void seen.push(nextPageParam) } })
        );
        expect(result).toEqual([[1], [2]]);
        expect(host.requests[1]).toMatchObject({ endpoint: '/items?cursor=b' });
        expect(host.requests[1]?.baseUrlOverride).toBeUndefined();
        expect(seen).toEqual(['/items?cursor=b', undefined]);
    });

    it('stops when the link repeats', async () => {
        const { host, nango: n } = nango(pages({ body: { r: [1], next: '/b' } }, { body: { r: [2], next: '/c' } }, { body: { r: [3], next: '/b' } }));
        expect(await collect(n.paginate({ endpoint: '/a', paginate: { type: 'link', link_path_in_response_body: 'next', response_path: 'r' } }))).toEqual([[1], [2], [3]]);
        expect(host.requests.map((r) => r.endpoint)).toEqual(['/a', '/b', '/c']);
    });
});

describe('offset pagination', () => {
    it('counts items (by-response-size), sends the offset as a string in the query and stops on a short page', async () => {
        const onPage: unknown[] = [];
        const { host, nango: n } = nango(pages({ body: { rows: [1, 2] } }, { body: { rows: [3, 4] } }, { body: { rows: [5] } }));
        const result = await collect(
            n.paginate({
                endpoint: '/rows',
                params: { sort: 'id' },
                paginate: { type: 'offset', offset_name_in_request: 'offset', response_path: 'rows', limit: 2, limit_name_in_request: 'limit', on_page: ({ nextPageParam }) => void onPage.push(nextPageParam) }
            })
        );
        expect(result).toEqual([[1, 2], [3, 4], [5]]);
        expect(host.requests.map((r) => r.params)).toEqual([
            { sort: 'id', limit: 2, offset: '0' },
            { sort: 'id', limit: 2, offset: '2' },
            { sort: 'id', limit: 2, offset: '4' }
        ]);
        expect(onPage).toEqual([2, 4, 5]);
    });

    it('counts pages (per-page) from offset_start_value and stops on an empty page', async () => {
        const { host, nango: n } = nango(pages({ body: [1, 2] }, { body: [3] }, { body: [] }));
        expect(await collect(n.paginate({ endpoint: '/p', paginate: { type: 'offset', offset_name_in_request: 'page', offset_start_value: 1, offset_calculation_method: 'per-page' } }))).toEqual([[1, 2], [3]]);
        expect(host.requests.map((r) => (r.params as Record<string, unknown>)['page'])).toEqual(['1', '2', '3']);
    });

    it('writes the offset as a number in the body, the limit once, at dotted paths', async () => {
        const { host, nango: n } = nango(pages({ body: [1, 2] }, { body: [3] }));
        await collect(n.paginate({ endpoint: '/search', method: 'POST', data: { filter: { a: 1 } }, paginate: { type: 'offset', offset_name_in_request: 'page.offset', limit: 2, limit_name_in_request: 'page.size' } }));
        expect(host.requests.map((r: HostProxyRequest) => r.data)).toEqual([
            { filter: { a: 1 }, page: { size: 2, offset: 0 } },
            { filter: { a: 1 }, page: { size: 2, offset: 2 } }
        ]);
    });

    it('keeps going while pages are full when no limit is given', async () => {
        const { host, nango: n } = nango(pages({ body: [1, 2, 3] }, { body: [4] }, { body: [] }));
        expect(await collect(n.paginate({ endpoint: '/p', paginate: { type: 'offset', offset_name_in_request: 'skip' } }))).toEqual([[1, 2, 3], [4]]);
        expect(host.requests.map((r) => (r.params as Record<string, unknown>)['skip'])).toEqual(['0', '3', '4']);
    });
});

it('propagates an upstream error from any page', async () => {
    const { nango: n } = nango((_request, index) => (index === 0 ? respond({ data: [1], next: 'b' }) : respond({ error: 'rate' }, { status: 500 })));
    const pagesSeen: unknown[] = [];
    await expect(
        (async () => {
            for await (const page of n.paginate({ endpoint: '/x', paginate: { type: 'cursor', cursor_path_in_response: 'next', cursor_name_in_request: 'c', response_path: 'data' } })) pagesSeen.push(page);
        })()
    ).rejects.toMatchObject({ isAxiosError: true, status: 500 });
    expect(pagesSeen).toEqual([[1]]);
});
