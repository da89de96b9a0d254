import { createHash, randomBytes } from 'node:crypto';
import { Nango } from '@nangohq/node';
import { fakeGithub, fakeOauth1, signingControl } from './fake-signing-providers.js';
import { type ApiScenario, type Collection, type FakeResponse, type OAuthScenario, type ReceiverScenario, type RecordedRequest, streamedChunk, type TokenRequestRecord } from './fake-upstream-scenarios.js';

/**
 * Third-party services for the tests, reached through miniflare's `outboundService`: every
 * `fetch` a Worker makes lands here. Scenarios are keyed by the first path segment so that test
 * files sharing this process don't see each other. Tests running inside workerd configure a
 * scenario and read what happened through https://control.fake.test.
 *
 * - https://oauth.fake.test/<scenario>/… : an OAuth 2 provider (token endpoint with PKCE checks,
 *   refresh, client credentials) and an API behind it (`/api/me` checks credentials).
 * - https://app.fake.test/<scenario>/hooks : the developer's app, receiving webhooks; it can
 *   fail on purpose and verifies each signature with the official @nangohq/node client.
 * - https://api.fake.test/<scenario>/… : a provider API that echoes requests, plays a script of
 *   answers, or rate-limits, and records every request it gets.
 * - https://mirror.fake.test/<scenario>/… : the same API on another host (a redirect's target that
 *   is not the provider's); requests record which host they reached.
 * - https://github.fake.test/… and https://oauth1.fake.test/… : providers that check signatures
 *   (GitHub App JWTs, OAuth 1.0a and NetSuite TBA), in fake-signing-providers.ts.
 */

interface Scenario {
    oauth?: OAuthScenario;
    receiver?: ReceiverScenario;
    api?: ApiScenario;
    apiRequests: RecordedRequest[];
    rateLimitedUntil: number;
    codes: Map<string, { challenge: string | null; redirectUri: string }>;
    issuedTokens: Set<string>;
    refreshTokens: Set<string>;
    counts: { authorizationCode: number; refresh: number; clientCredentials: number; api: number; hooks: number };
    tokenRequests: TokenRequestRecord[];
    deliveries: { headers: Record<string, string>; body: string; verified: boolean; at: number }[];
}

const scenarios = new Map<string, Scenario>();

function scenario(id: string): Scenario {
    let s = scenarios.get(id);
    if (!s) {
        s = {
            codes: new Map(),
            apiRequests: [],
            rateLimitedUntil: 0,
            issuedTokens: new Set(),
            refreshTokens: new Set(),
            counts: { authorizationCode: 0, refresh: 0, clientCredentials: 0, api: 0, hooks: 0 },
            tokenRequests: [],
            deliveries: []
        };
        scenarios.set(id, s);
    }
    return s;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const token = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function control(req: Request, url: URL): Promise<Response> {
    const [, kind, id, what] = url.pathname.split('/');
    if (!id) return json({ error: 'no scenario' }, 400);
    if (kind === 'github' || kind === 'oauth1') return signingControl(req, kind, id, what);
    const s = scenario(id);
    if (req.method === 'PUT' && kind === 'oauth') {
        s.oauth = (await req.json()) as OAuthScenario;
        return json({ ok: true });
    }
    if (req.method === 'PUT' && kind === 'api') {
        s.api = (await req.json()) as ApiScenario;
        return json({ ok: true });
    }
    if (req.method === 'GET' && kind === 'api' && what === 'requests') return json({ requests: s.apiRequests });
    if (req.method === 'PUT' && kind === 'receiver') {
        s.receiver = (await req.json()) as ReceiverScenario;
        return json({ ok: true });
    }
    // The user approves at the provider: a code bound to the PKCE challenge and redirect URI.
    if (req.method === 'POST' && kind === 'oauth' && what === 'approve') {
        const { challenge, redirectUri } = (await req.json()) as { challenge: string | null; redirectUri: string };
        const code = token('code');
        s.codes.set(code, { challenge, redirectUri });
        return json({ code });
    }
    if (req.method === 'GET' && what === 'state') return json({ counts: s.counts, deliveries: s.deliveries, tokenRequests: s.tokenRequests });
    return json({ error: 'unknown control call' }, 404);
}

async function oauthProvider(req: Request, url: URL, s: Scenario, rest: string): Promise<Response> {
    const config = s.oauth;
    if (!config) return json({ error: 'scenario not configured' }, 500);
    if (rest === '/authorize') return consentPage(url, config);
    if (rest === '/authorize/decide') return decide(url, s);
    if (rest === '/token' && req.method === 'POST') return tokenEndpoint(req, config, s);
    if (rest === '/api/me') {
        s.counts.api++;
        const auth = req.headers.get('authorization') ?? '';
        const bearer = auth.startsWith('Bearer ') ? auth.slice(7) : null;
        const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : null;
        const ok =
            (bearer !== null && s.issuedTokens.has(bearer)) ||
            (config.apiKey !== undefined && (req.headers.get('x-api-key') === config.apiKey || url.searchParams.get('api_key') === config.apiKey)) ||
            (config.basic !== undefined && basic === `${config.basic.username}:${config.basic.password}`);
        return ok ? json({ id: 'me' }) : json({ message: 'Invalid credentials' }, 401);
    }
    return json({ error: 'not found' }, 404);
}

/** The provider's consent screen, as a browser sees it. */
function consentPage(url: URL, config: OAuthScenario): Response {
    const p = url.searchParams;
    if (p.get('client_id') !== config.clientId) return new Response('Unknown client', { status: 400 });
    const decide = (approve: boolean) => {
        const target = new URL(url.pathname + '/decide', url);
        for (const key of ['state', 'redirect_uri', 'code_challenge']) target.searchParams.set(key, p.get(key) ?? '');
        target.searchParams.set('approve', String(approve));
        return target.pathname + target.search;
    };
    const html = `<!doctype html><title>Fake provider</title><h1>Authorize Spoke?</h1><p>Scopes: ${(p.get('scope') ?? '').replace(/[<>&]/g, '')}</p>
<a id="approve" href="${decide(true)}">Approve</a> <a id="deny" href="${decide(false)}">Deny</a>`;
    return new Response(html, { headers: { 'content-type': 'text/html' } });
}

/** The user's choice: back to the app with a code bound to the PKCE challenge, or with an error. */
function decide(url: URL, s: Scenario): Response {
    const p = url.searchParams;
    const back = new URL(p.get('redirect_uri') ?? '');
    back.searchParams.set('state', p.get('state') ?? '');
    if (p.get('approve') === 'true') {
        const code = token('code');
        s.codes.set(code, { challenge: p.get('code_challenge') || null, redirectUri: p.get('redirect_uri') ?? '' });
        back.searchParams.set('code', code);
    } else {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The user denied access');
    }
    return new Response(null, { status: 302, headers: { location: back.toString() } });
}

async function tokenEndpoint(req: Request, config: OAuthScenario, s: Scenario): Promise<Response> {
    const type = req.headers.get('content-type') ?? '';
    const params: Record<string, string> = type.includes('json')
        ? ((await req.json()) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(await req.text()));
    let client = { id: params['client_id'], secret: params['client_secret'] };
    const auth = req.headers.get('authorization');
    if (auth?.startsWith('Basic ')) {
        const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
        client = { id, secret };
    }
    s.tokenRequests.push({ contentType: type, basicAuth: auth?.startsWith('Basic ') ? { id: client.id ?? '', secret: client.secret ?? '' } : null, params });
    if ((config.clientAuth ?? 'body') === 'basic' && !auth) return json({ error: 'invalid_client', error_description: 'Basic client authentication required' }, 401);
    if (config.tokenDelayMs) await sleep(config.tokenDelayMs);

    const issue = (refresh?: string) => {
        const access = token('access');
        s.issuedTokens.add(access);
        const refreshToken = refresh ?? token('refresh');
        s.refreshTokens.add(refreshToken);
        const expiresIn = config.expiresIn === undefined ? 3600 : config.expiresIn;
        return json({ access_token: access, token_type: 'bearer', ...(expiresIn !== null && { expires_in: expiresIn }), refresh_token: refreshToken, ...config.extra });
    };

    if (params['grant_type'] === 'client_credentials') {
        s.counts.clientCredentials++;
        if (client.id !== config.clientId || client.secret !== config.clientSecret) return json({ error: 'invalid_client', error_description: 'Unknown client' }, 401);
        const access = token('cc');
        s.issuedTokens.add(access);
        return json({ access_token: access, expires_in: config.expiresIn ?? 3600, token_type: 'bearer' });
    }
    if (client.id !== config.clientId || client.secret !== config.clientSecret) return json({ error: 'invalid_client' }, 401);
    if (params['grant_type'] === 'authorization_code') {
        s.counts.authorizationCode++;
        const grant = s.codes.get(params['code'] ?? '');
        s.codes.delete(params['code'] ?? '');
        if (!grant) return json({ error: 'invalid_grant', error_description: 'Unknown or used code' }, 400);
        if (grant.redirectUri !== params['redirect_uri']) return json({ error: 'invalid_grant', error_description: 'redirect_uri mismatch' }, 400);
        if (grant.challenge !== null) {
            const verifier = params['code_verifier'] ?? '';
            const computed = createHash('sha256').update(verifier).digest('base64url');
            if (computed !== grant.challenge) return json({ error: 'invalid_grant', error_description: 'PKCE verification failed' }, 400);
        }
        return issue();
    }
    if (params['grant_type'] === 'refresh_token') {
        s.counts.refresh++;
        if (config.refreshFailure) return json({ error: config.refreshFailure.error, error_description: 'refresh refused by the fake provider' }, config.refreshFailure.status);
        const old = params['refresh_token'] ?? '';
        if (!s.refreshTokens.has(old)) return json({ error: 'invalid_grant', error_description: 'Unknown refresh token' }, 400);
        if (config.rotateRefreshToken) {
            s.refreshTokens.delete(old);
            return issue();
        }
        const access = token('access');
        s.issuedTokens.add(access);
        const expiresIn = config.expiresIn === undefined ? 3600 : config.expiresIn;
        // Without rotation the provider sends no refresh token back; the old one must be kept.
        return json({ access_token: access, token_type: 'bearer', ...(expiresIn !== null && { expires_in: expiresIn }) });
    }
    return json({ error: 'unsupported_grant_type' }, 400);
}

async function receiver(req: Request, s: Scenario): Promise<Response> {
    const config = s.receiver;
    if (!config) return json({ error: 'scenario not configured' }, 500);
    s.counts.hooks++;
    const body = await req.text();
    const headers = Object.fromEntries(req.headers);
    const verified = new Nango({ secretKey: '00000000-0000-4000-8000-000000000000', webhookSigningKey: config.signingKey }).verifyIncomingWebhookRequest(body, headers);
    s.deliveries.push({ headers, body, verified, at: Date.now() });
    if (config.alwaysStatus) return new Response('', { status: config.alwaysStatus });
    if (s.counts.hooks <= (config.failTimes ?? 0)) return new Response('down for maintenance', { status: 500 });
    return new Response('ok');
}

async function api(req: Request, url: URL, s: Scenario, rest: string): Promise<Response> {
    const config = s.api ?? {};
    const body = await req.text();
    const recorded: RecordedRequest = {
        host: url.host,
        method: req.method,
        path: rest,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(req.headers),
        body,
        at: Date.now(),
        status: 0
    };
    s.apiRequests.push(recorded);
    const answer = (r: FakeResponse) => {
        recorded.status = r.status;
        if (r.stream) return new Response(chunked(r.stream), { status: r.status, headers: { 'content-type': 'application/octet-stream', ...r.headers } });
        const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {});
        // Miniflare compresses a Node answer per its Content-Encoding on the way into workerd, so the text goes as is.
        if (r.gzip) return new Response(text, { status: r.status, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...r.headers } });
        return new Response(r.status === 204 ? null : text, { status: r.status, headers: { 'content-type': 'application/json', ...r.headers } });
    };
    if (config.rateLimitMs !== undefined) {
        const now = Date.now();
        if (s.rateLimitedUntil === 0) s.rateLimitedUntil = now + config.rateLimitMs;
        if (now < s.rateLimitedUntil) {
            return answer({ status: 429, headers: { 'retry-after': String(Math.ceil((s.rateLimitedUntil - now) / 1000)) }, body: { error: 'rate limited' } });
        }
    }
    const scripted = config.script?.shift();
    if (scripted?.delayMs) await sleep(scripted.delayMs);
    if (scripted) return answer(scripted);
    const list = config.collection;
    if (list && req.method === 'GET' && rest === list.path) return answer(await page(list, Number(url.searchParams.get('cursor') ?? '0')));
    return answer(config.fallback ?? { status: 200, body: { method: recorded.method, path: rest, query: recorded.query, headers: recorded.headers, body } });
}

function chunked({ chunks, size }: { chunks: number; size: number }): ReadableStream<Uint8Array> {
    let index = 0;
    return new ReadableStream({
        pull(controller) {
            if (index === chunks) controller.close();
            else controller.enqueue(streamedChunk(index++, size));
        }
    });
}

async function page(list: Collection, offset: number): Promise<FakeResponse> {
    if (list.delayMs) await new Promise((resolve) => setTimeout(resolve, list.delayMs));
    if (list.failOnceAt === offset) {
        delete list.failOnceAt;
        return { status: 500, body: { error: 'upstream crashed' } };
    }
    const total = list.generated?.count ?? list.items?.length ?? 0;
    const end = Math.min(offset + list.pageSize, total);
    const items = list.generated ? generatedItems(list.generated, offset, end) : (list.items ?? []).slice(offset, end);
    return { status: 200, body: { items, next_cursor: end < total ? String(end) : null } };
}

function generatedItems({ padding, changedEvery }: NonNullable<Collection['generated']>, from: number, to: number) {
    const filler = 'x'.repeat(padding);
    return Array.from({ length: Math.max(0, to - from) }, (_, n) => {
        const i = from + n;
        return { id: `item-${i}`, title: `Item ${i}`, version: changedEvery && i % changedEvery === 0 ? 2 : 1, padding: filler };
    });
}

/** For tests running in Node (the browser tests): configure a scenario without the control API. */
export function configureScenario(id: string, config: { oauth?: OAuthScenario; receiver?: ReceiverScenario }): void {
    Object.assign(scenario(id), config);
}

export function scenarioCounts(id: string) {
    return { ...scenario(id).counts };
}

function route(url: URL): { id: string; rest: string } {
    const [, id = '', ...restParts] = url.pathname.split('/');
    return { id, rest: `/${restParts.join('/')}` };
}

/** The fake OAuth provider alone, whatever host it is served on (`/<scenario>/authorize`, `/token`, `/api/me`). */
export function fakeProvider(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const { id, rest } = route(url);
    return oauthProvider(request, url, scenario(id), rest);
}

/** The fake GitHub alone, whatever host it is served on (`/<scenario>/apps/…`, `/app/installations/…`, `/api/…`). */
export function fakeGithubProvider(request: Request): Promise<Response> {
    const { id, rest } = route(new URL(request.url));
    return fakeGithub(request, id, rest);
}

/** The fake OAuth 1.0a / NetSuite TBA provider alone, whatever host it is served on. */
export function fakeOauth1Provider(request: Request): Promise<Response> {
    const { id, rest } = route(new URL(request.url));
    return fakeOauth1(request, id, rest);
}

/** The `outboundService` of the test pool. */
export async function fakeUpstreams(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const { id, rest } = route(url);
    switch (url.hostname) {
        case 'control.fake.test':
            return control(request, url);
        case 'oauth.fake.test':
            return fakeProvider(request);
        case 'api.fake.test':
        case 'mirror.fake.test':
            return api(request, url, scenario(id), rest);
        case 'github.fake.test':
            return fakeGithubProvider(request);
        case 'oauth1.fake.test':
            return fakeOauth1Provider(request);
        case 'app.fake.test':
            return rest === '/hooks' ? receiver(request, scenario(id)) : json({ error: 'not found' }, 404);
        default:
            return new Response(`No fake upstream for ${url.host}`, { status: 502 });
    }
}
