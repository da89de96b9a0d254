import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';

export const BASE = 'http://spoke.test';

export interface CallOptions {
    method?: string;
    /** A JSON-serializable body, or a raw string sent as is. */
    body?: unknown;
    key?: string | null;
    headers?: Record<string, string>;
}

/** Calls the Worker's fetch handler in-process, as a client would over HTTP. */
export async function call(path: string, options: CallOptions = {}) {
    return readResponse(await exports.default.fetch(toRequest(BASE + path, options)));
}

export function toRequest(url: string, { method = 'GET', body, key, headers = {} }: CallOptions): Request {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (key) h['authorization'] = `Bearer ${key}`;
    if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        h['content-type'] ??= 'application/json';
    }
    return new Request(url, init);
}

export async function readResponse(res: Response) {
    const text = await res.text();
    let json: any = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        // Not JSON; tests that care read `text`.
    }
    return { status: res.status, headers: res.headers, json, text };
}

/** A `/proxy` call for connection `c1` of integration `api`, the fixture the proxy tests share. */
export function proxyCall(key: string, path: string, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    return call(`/proxy${path}`, {
        method: options.method ?? 'GET',
        key,
        ...(options.body !== undefined && { body: options.body }),
        headers: { 'connection-id': 'c1', 'provider-config-key': 'api', ...options.headers }
    });
}

export const admin = (path: string, options: CallOptions = {}) => call(`/admin${path}`, { key: env.SPOKE_ADMIN_SECRET, ...options });

/** Creates an environment through the admin API and returns its secret key. */
export async function newEnvironment(name = `env-${crypto.randomUUID().slice(0, 8)}`) {
    const res = await admin('/environments', { method: 'POST', body: { name } });
    expect(res.status, res.text).toBe(201);
    return { name, id: res.json.data.id as string, key: res.json.data.secret_key as string, signingKey: res.json.data.webhook_signing_key as string };
}

/** An environment with one API_KEY integration (`openai`) ready for connections. */
export async function environmentWithIntegration(uniqueKey = 'openai-main', provider = 'openai') {
    const environment = await newEnvironment();
    const res = await call('/integrations', { method: 'POST', key: environment.key, body: { provider, unique_key: uniqueKey } });
    expect(res.status, res.text).toBe(200);
    return { ...environment, integration: uniqueKey };
}

export function expectError(res: { status: number; json: any; text: string }, status: number, code: string) {
    expect(res.status, res.text).toBe(status);
    expect(res.json?.error?.code, res.text).toBe(code);
    expect(typeof res.json.error.message).toBe('string');
}
