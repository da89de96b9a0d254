import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { Interruption } from '../../../functions-runtime/sandbox/interruption.js';
import { SandboxNangoAction } from '../../../functions-runtime/sandbox/nango-action.js';
import type { HttpError } from '../../../functions-runtime/sdk/http.js';
import { context, MemoryHost, respond, type Responder } from './memory-host.js';

function nango(responder: Responder) {
    const host = new MemoryHost(responder);
    return { host, nango: new SandboxNangoAction(host, context(), new Interruption()) };
}

async function thrown(promise: Promise<unknown>): Promise<HttpError> {
    try {
        await promise;
    } catch (error) {
        return error as HttpError;
    }
    throw new Error('expected a rejection');
}

describe('proxy requests', () => {
    it('sends plain-data host requests, with the verb forced by get/post/put/patch/delete', async () => {
        const { host, nango: n } = nango(() => respond({ ok: true }));
        await n.proxy({
            endpoint: '/a',
            method: 'patch',
            params: { ids: [1, 2] },
            headers: { 'x-n': 1 },
            data: { a: 1 },
            retries: 3,
            retryOn: [409],
            retryHeader: { at: 'x-reset', after: 'x-wait' },
            forwardHeadersOnRedirect: true,
            baseUrlOverride: 'https://other.example.com',
            decompress: true,
            providerConfigKey: 'gh2',
            connectionId: 'c2'
        });
        await n.get({ endpoint: '/g' });
        await n.post({ endpoint: '/p', data: 'raw=1' });
        await n.put({ endpoint: '/u' });
        await n.patch({ endpoint: '/pa' });
        await n.delete({ endpoint: '/d', retryOn: null });
        expect(host.requests[0]).toEqual({
            method: 'PATCH',
            endpoint: '/a',
            params: { ids: [1, 2] },
            headers: { 'x-n': '1' },
            data: { a: 1 },
            retries: 3,
            retryOn: [409],
            retryHeader: { at: 'x-reset', after: 'x-wait' },
            forwardHeadersOnRedirect: true,
            baseUrlOverride: 'https://other.example.com',
            decompress: true,
            providerConfigKey: 'gh2',
            connectionId: 'c2'
        });
        expect(host.requests.slice(1).map((r) => [r.method, r.endpoint])).toEqual([['GET', '/g'], ['POST', '/p'], ['PUT', '/u'], ['PATCH', '/pa'], ['DELETE', '/d']]);
        expect(host.requests[2]?.data).toBe('raw=1');
        expect(host.requests[5]).toEqual({ method: 'DELETE', endpoint: '/d' });
    });

    it('sends bytes as an ArrayBuffer and URLSearchParams as a form', async () => {
        const { host, nango: n } = nango(() => respond({}));
        await n.post({ endpoint: '/bytes', data: new Uint8Array([1, 2, 3]).subarray(1) });
        await n.post({ endpoint: '/form', data: new URLSearchParams({ a: '1', b: 'x y' }) });
        const bytes = host.requests[0]?.data as ArrayBuffer;
        expect(bytes).toBeInstanceOf(ArrayBuffer);
        expect([...new Uint8Array(bytes)]).toEqual([2, 3]);
        expect(host.requests[1]).toMatchObject({ data: 'a=1&b=x+y', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' } });
    });

    it('refuses a call without an endpoint or with an unknown method', async () => {
        const { nango: n } = nango(() => respond({}));
        await expect(n.proxy({} as never)).rejects.toMatchObject({ code: 'invalid_proxy_config' });
        await expect(n.proxy({ endpoint: '/x', method: 'TRACE' as never })).rejects.toMatchObject({ code: 'invalid_proxy_config' });
        await expect(n.proxy({ endpoint: '/x', retryHeader: { after: 5 as never } })).rejects.toMatchObject({ code: 'invalid_proxy_config' });
    });
});

describe('Axios-shaped responses', () => {
    it('parses JSON bodies and keeps the rest of the response', async () => {
        const { nango: n } = nango(() => respond({ id: 7 }, { status: 201, headers: { 'x-rate': '10' } }));
        const res = await n.post({ endpoint: '/issues', data: { title: 't' } });
        expect(res).toEqual({
            data: { id: 7 },
            status: 201,
            statusText: 'OK',
            headers: { 'content-type': 'application/json', 'x-rate': '10' },
            config: { endpoint: '/issues', data: { title: 't' }, method: 'post' },
            request: {}
        });
    });

    it('gives text when the body is not JSON, whatever the content type, and empty text for an empty body', async () => {
        const { nango: n } = nango((request) => respond(request.endpoint === '/empty' ? '' : 'plain <b>text</b>'));
        expect((await n.get({ endpoint: '/text' })).data).toBe('plain <b>text</b>');
        expect((await n.get({ endpoint: '/empty' })).data).toBe('');
    });

    it('honours responseType text and arraybuffer', async () => {
        const { nango: n } = nango(() => respond({ a: 1 }));
        expect((await n.get({ endpoint: '/t', responseType: 'text' })).data).toBe('{"a":1}');
        expect((await n.get({ endpoint: '/j', responseType: 'json' })).data).toEqual({ a: 1 });
        // A Buffer, as Axios gives on Node (the project's Worker types do not declare Node's globals).
        const bytes = (await n.get({ endpoint: '/b', responseType: 'arraybuffer' })).data as Uint8Array;
        expect((globalThis as unknown as { Buffer: { isBuffer(v: unknown): boolean } }).Buffer.isBuffer(bytes)).toBe(true);
        expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
    });
});

describe('Axios-shaped errors', () => {
    it('throws ERR_BAD_REQUEST for 4xx, with the response, config and status', async () => {
        const { nango: n } = nango(() => respond({ message: 'Not Found' }, { status: 404, headers: { 'x-req': 'r1' } }));
        const error = await thrown(n.get({ endpoint: '/missing' }));
        expect(error).toBeInstanceOf(Error);
        expect(error).toMatchObject({
            isAxiosError: true,
            name: 'AxiosError',
            message: 'Request failed with status code 404',
            code: 'ERR_BAD_REQUEST',
            status: 404,
            config: { endpoint: '/missing', method: 'get' },
            response: { status: 404, data: { message: 'Not Found' }, headers: { 'x-req': 'r1' } }
        });
        expect(axios.isAxiosError(error)).toBe(true);
        expect(error.toJSON()).toMatchObject({ name: 'AxiosError', message: 'Request failed with status code 404', code: 'ERR_BAD_REQUEST', status: 404 });
        expect(JSON.parse(JSON.stringify(error))).toMatchObject({ status: 404 });
    });

    it('throws ERR_BAD_RESPONSE for 5xx, with text data when the body is not JSON', async () => {
        const { nango: n } = nango(() => respond('upstream down', { status: 503 }));
        const error = await thrown(n.post({ endpoint: '/x' }));
        expect(error).toMatchObject({ code: 'ERR_BAD_RESPONSE', status: 503, response: { data: 'upstream down' } });
        expect(axios.isAxiosError(error)).toBe(true);
    });
});

describe('uncontrolledFetch', () => {
    it('returns a WHATWG Response built from the host answer', async () => {
        const { host, nango: n } = nango(() => respond({}));
        const response = await n.uncontrolledFetch({ url: new URL('https://files.example.com/a?b=1'), method: 'post', headers: { 'x-a': 'b' }, body: 'hello' });
        expect(response).toBeInstanceOf(Response);
        expect(response.status).toBe(200);
        expect(response.headers.get('x-test')).toBe('1');
        expect(await response.json()).toEqual({ fetched: 'https://files.example.com/a?b=1' });
        expect(host.fetches).toEqual([{ url: 'https://files.example.com/a?b=1', method: 'POST', headers: { 'x-a': 'b' }, body: 'hello' }]);
    });
});
