import { createHmac, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { GithubScenario, Oauth1Scenario, SignedRequest } from './fake-upstream-scenarios.js';

/**
 * Fake providers whose credentials are signatures rather than tokens: reached through
 * fake-upstreams.ts by the workers tests, and served over real HTTP to the browser tests. Both
 * check what Spoke sends with node:crypto, written apart from Spoke's WebCrypto signer, so a
 * broken signer fails here instead of being mirrored.
 *
 * - https://github.fake.test/<scenario>/… : the app's install page (`/apps/<slug>/installations/new`,
 *   which sends the user to the app's setup URL), GitHub's installation-token endpoint, which
 *   verifies the app JWT with the app's public key, and an API that takes the tokens it minted.
 * - https://oauth1.fake.test/<scenario>/… : an OAuth 1.0a provider (request token, authorize page,
 *   access token) and an API that verifies every request's RFC 5849 signature, also as NetSuite
 *   TBA (realm).
 */

interface GithubState {
    config: GithubScenario;
    publicKey: KeyObject;
    issued: Map<string, number>;
    mints: number;
    lastJwtClaims: Record<string, unknown> | null;
    requests: SignedRequest[];
}

interface Oauth1State {
    config: Oauth1Scenario;
    /** Token → its secret, the verifier it waits for (temporary tokens) and whether it is an access token. */
    tokens: Map<string, { secret: string; verifier?: string; access: boolean }>;
    callbacks: Map<string, string>;
    requests: SignedRequest[];
}

const github = new Map<string, GithubState>();
const oauth1 = new Map<string, Oauth1State>();

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const form = (body: Record<string, string>, status = 200) => new Response(new URLSearchParams(body).toString(), { status, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const random = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** Registers a GitHub App; returns its new private key as GitHub hands it out (PKCS#1) and as PKCS#8, which checks the other import path. */
export function configureGithub(id: string, config: GithubScenario): { privateKey: string; privateKeyPkcs8: string } {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    github.set(id, { config, publicKey, issued: new Map(), mints: 0, lastJwtClaims: null, requests: [] });
    return { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, privateKeyPkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export function configureOauth1(id: string, config: Oauth1Scenario): void {
    const tokens = new Map(Object.entries(config.accessTokens ?? {}).map(([key, secret]) => [key, { secret, access: true }]));
    oauth1.set(id, { config, tokens, callbacks: new Map(), requests: [] });
}

/** The calls that reached the fake OAuth 1.0a provider's API, with what was wrong with each signature. */
export const oauth1Requests = (id: string): SignedRequest[] => oauth1.get(id)!.requests;

/** The user approves a temporary token: it gets a verifier, to be returned to the callback the consumer named. */
function approveRequestToken(s: Oauth1State, requestToken: string): { verifier: string; callback: string } | null {
    const pending = s.tokens.get(requestToken);
    if (!pending || pending.access) return null;
    pending.verifier = random('verifier_');
    return { verifier: pending.verifier, callback: s.callbacks.get(requestToken)! };
}

/** `PUT /github/<id>` and `PUT /oauth1/<id>` configure a scenario; `POST /oauth1/<id>/approve` is the user approving. */
export async function signingControl(req: Request, kind: string, id: string, what: string | undefined): Promise<Response> {
    if (kind === 'github' && req.method === 'PUT') return json(configureGithub(id, (await req.json()) as GithubScenario));
    if (kind === 'github' && req.method === 'PATCH') {
        Object.assign(github.get(id)!.config, await req.json());
        return json({ ok: true });
    }
    if (kind === 'github' && what === 'state') {
        const s = github.get(id)!;
        return json({ mints: s.mints, lastJwtClaims: s.lastJwtClaims, requests: s.requests });
    }
    if (kind === 'oauth1' && req.method === 'PUT') {
        configureOauth1(id, (await req.json()) as Oauth1Scenario);
        return json({ ok: true });
    }
    if (kind === 'oauth1' && what === 'approve') {
        const { requestToken } = (await req.json()) as { requestToken: string };
        const approved = approveRequestToken(oauth1.get(id)!, requestToken);
        return approved ? json(approved) : json({ error: 'unknown request token' }, 400);
    }
    if (kind === 'oauth1' && what === 'state') return json({ requests: oauth1Requests(id) });
    return json({ error: 'unknown control call' }, 404);
}

/** A provider's page where the user decides, as a browser sees it; `#approve` follows `approveHref`. */
function decisionPage(title: string, approveLabel: string, approveHref: string): Response {
    const html = `<!doctype html><title>${title}</title><h1>${title}</h1><a id="approve" href="${approveHref.replace(/&/g, '&amp;')}">${approveLabel}</a>`;
    return new Response(html, { headers: { 'content-type': 'text/html' } });
}

const redirect = (location: URL) => new Response(null, { status: 302, headers: { location: location.toString() } });

function record(list: SignedRequest[], req: Request, rest: string, body: string, verified: string | null): SignedRequest {
    const url = new URL(req.url);
    const entry = { method: req.method, path: rest, query: Object.fromEntries(url.searchParams), headers: Object.fromEntries(req.headers), body, problem: verified };
    list.push(entry);
    return entry;
}

// ---- GitHub -------------------------------------------------------------------------------

const fromBase64Url = (text: string) => Buffer.from(text, 'base64url');

/** Why the app JWT is not acceptable, or null. As GitHub: RS256, signed by the app's key, iss = app id, at most 10 minutes. */
function jwtProblem(s: GithubState, authorization: string | null): string | null {
    const jwt = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
    const parts = jwt?.split('.') ?? [];
    if (parts.length !== 3) return 'not a JWT';
    const [header, payload, signature] = parts as [string, string, string];
    if (JSON.parse(fromBase64Url(header).toString()).alg !== 'RS256') return 'alg is not RS256';
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), s.publicKey, fromBase64Url(signature))) return 'bad signature';
    const claims = JSON.parse(fromBase64Url(payload).toString()) as { iat: number; exp: number; iss: string };
    s.lastJwtClaims = claims;
    const now = Math.floor(Date.now() / 1000);
    if (String(claims.iss) !== s.config.appId) return 'iss is not the app id';
    if (!(claims.iat <= now && claims.exp > now && claims.exp - now <= 600)) return 'iat/exp out of range';
    return null;
}

export async function fakeGithub(req: Request, id: string, rest: string): Promise<Response> {
    const s = github.get(id);
    if (!s) return json({ message: 'scenario not configured' }, 500);
    const url = new URL(req.url);
    // The user installs the app on the first of its installations; GitHub then sends them to the app's setup URL with our state.
    if (/^\/apps\/[^/]+\/installations\/new$/.test(rest)) return decisionPage('Install the app', 'Install', `${url.pathname}/install${url.search}`);
    if (/^\/apps\/[^/]+\/installations\/new\/install$/.test(rest)) {
        if (!s.config.setupUrl) return json({ message: 'the app has no setup URL' }, 500);
        const setup = new URL(s.config.setupUrl);
        setup.searchParams.set('installation_id', s.config.installations[0]!);
        setup.searchParams.set('setup_action', 'install');
        setup.searchParams.set('state', url.searchParams.get('state') ?? '');
        return redirect(setup);
    }
    const mint = /^\/app\/installations\/([^/]+)\/access_tokens$/.exec(rest);
    if (mint && req.method === 'POST') {
        const problem = jwtProblem(s, req.headers.get('authorization'));
        if (problem) return json({ message: `A JSON web token could not be decoded (${problem})` }, 401);
        if (!s.config.installations.includes(mint[1]!)) return json({ message: 'Not Found' }, 404);
        if (s.config.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, s.config.tokenDelayMs));
        s.mints++;
        const token = random('ghs_');
        const expiresAt = Date.now() + (s.config.tokenTtlSeconds ?? 3600) * 1000;
        s.issued.set(token, expiresAt);
        return json({ token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: { contents: 'read' }, repository_selection: 'all' }, 201);
    }
    if (rest.startsWith('/api/')) {
        const auth = req.headers.get('authorization') ?? '';
        const expiresAt = auth.startsWith('Bearer ') ? s.issued.get(auth.slice(7)) : undefined;
        const problem = expiresAt === undefined ? 'unknown token' : expiresAt < Date.now() ? 'expired token' : null;
        record(s.requests, req, rest, await req.text(), problem);
        return problem ? json({ message: 'Bad credentials' }, 401) : json({ login: 'octocat', path: rest });
    }
    return json({ message: 'Not Found' }, 404);
}

// ---- OAuth 1.0a ---------------------------------------------------------------------------

const enc = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

function authorizationParams(header: string | null): Map<string, string> | null {
    if (!header?.startsWith('OAuth ')) return null;
    const params = new Map<string, string>();
    for (const match of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) params.set(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    return params;
}

/** Checks a request's signature (RFC 5849 §3.4) given the secret of the token it names; returns the problem or null. */
function signatureProblem(s: Oauth1State, req: Request, body: string, tokenSecret: (token: string | undefined) => string | undefined): { problem: string | null; oauth: Map<string, string> } {
    const oauth = authorizationParams(req.headers.get('authorization')) ?? new Map<string, string>();
    const fail = (problem: string) => ({ problem, oauth });
    if (!oauth.size) return fail('no OAuth authorization header');
    if (oauth.get('oauth_consumer_key') !== s.config.consumerKey) return fail('unknown consumer');
    if (oauth.get('oauth_signature_method') !== s.config.signatureMethod) return fail(`signature method must be ${s.config.signatureMethod}`);
    if (s.config.realm !== undefined && oauth.get('realm') !== s.config.realm) return fail(`realm must be ${s.config.realm}`);
    if (!oauth.get('oauth_nonce') || !oauth.get('oauth_timestamp')) return fail('nonce and timestamp are required');
    const secret = tokenSecret(oauth.get('oauth_token'));
    if (secret === undefined) return fail('unknown token');

    const url = new URL(req.url);
    const pairs: [string, string][] = [...oauth].filter(([k]) => k !== 'realm' && k !== 'oauth_signature');
    for (const [k, v] of url.searchParams) pairs.push([k, v]);
    if ((req.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(body)) pairs.push([k, v]);
    const normalized = pairs
        .map(([k, v]) => [enc(k), enc(v)])
        .sort(([ak, av], [bk, bv]) => (ak === bk ? (av! < bv! ? -1 : av! > bv! ? 1 : 0) : ak! < bk! ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
    const base = `${req.method}&${enc(`${url.protocol}//${url.host}${url.pathname}`)}&${enc(normalized)}`;
    const expected = createHmac(s.config.signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${enc(s.config.consumerSecret)}&${enc(secret)}`)
        .update(base)
        .digest('base64');
    return { problem: expected === oauth.get('oauth_signature') ? null : 'bad signature', oauth };
}

export async function fakeOauth1(req: Request, id: string, rest: string): Promise<Response> {
    const s = oauth1.get(id);
    if (!s) return json({ error: 'scenario not configured' }, 500);
    const body = await req.text();
    if (rest === '/request_token' && req.method === 'POST') {
        const { problem, oauth } = signatureProblem(s, req, body, (token) => (token === undefined ? '' : undefined));
        const callback = oauth.get('oauth_callback');
        if (problem || !callback) return new Response(problem ?? 'oauth_callback required', { status: 401 });
        const token = random('request_');
        s.tokens.set(token, { secret: random('rsecret_'), access: false });
        s.callbacks.set(token, callback);
        return form({ oauth_token: token, oauth_token_secret: s.tokens.get(token)!.secret, oauth_callback_confirmed: 'true' });
    }
    // The user approves the temporary token and goes back to the consumer's callback with the verifier.
    const url = new URL(req.url);
    if (rest === '/authorize') return decisionPage('Authorize Spoke?', 'Allow', `${url.pathname}/decide${url.search}`);
    if (rest === '/authorize/decide') {
        const requestToken = url.searchParams.get('oauth_token') ?? '';
        const approved = approveRequestToken(s, requestToken);
        if (!approved) return new Response('unknown request token', { status: 400 });
        const back = new URL(approved.callback);
        back.searchParams.set('oauth_token', requestToken);
        back.searchParams.set('oauth_verifier', approved.verifier);
        return redirect(back);
    }
    if (rest === '/access_token' && req.method === 'POST') {
        const temporary = (token: string | undefined) => {
            const t = token === undefined ? undefined : s.tokens.get(token);
            return t && !t.access ? t.secret : undefined;
        };
        const { problem, oauth } = signatureProblem(s, req, body, temporary);
        const pending = s.tokens.get(oauth.get('oauth_token') ?? '');
        if (problem || !pending?.verifier || pending.verifier !== oauth.get('oauth_verifier')) return new Response(problem ?? 'bad verifier', { status: 401 });
        s.tokens.delete(oauth.get('oauth_token')!);
        const token = random('access_');
        s.tokens.set(token, { secret: random('asecret_'), access: true });
        return form({ oauth_token: token, oauth_token_secret: s.tokens.get(token)!.secret, username: 'ada' });
    }
    const access = (token: string | undefined) => {
        const t = token === undefined ? undefined : s.tokens.get(token);
        return t?.access ? t.secret : undefined;
    };
    const { problem } = signatureProblem(s, req, body, access);
    record(s.requests, req, rest, body, problem);
    return problem ? json({ error: problem }, 401) : json({ ok: true, path: rest });
}
