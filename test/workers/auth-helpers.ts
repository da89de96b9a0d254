import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { ApiScenario, GithubScenario, Oauth1Scenario, OAuthScenario, ReceiverScenario, RecordedRequest, SignedRequest, TokenRequestRecord } from '../support/fake-upstream-scenarios.js';
import { BASE, call, newEnvironment } from './helpers.js';

/** Talks to the fake third parties' control API (test/support/fake-upstreams.ts). */
export const fake = {
    async oauth(scenario: string, config: OAuthScenario) {
        await fetch(`https://control.fake.test/oauth/${scenario}`, { method: 'PUT', body: JSON.stringify(config) });
    },
    async api(scenario: string, config: ApiScenario) {
        await fetch(`https://control.fake.test/api/${scenario}`, { method: 'PUT', body: JSON.stringify(config) });
    },
    async apiRequests(scenario: string): Promise<RecordedRequest[]> {
        return ((await (await fetch(`https://control.fake.test/api/${scenario}/requests`)).json()) as { requests: RecordedRequest[] }).requests;
    },
    async receiver(scenario: string, config: ReceiverScenario) {
        await fetch(`https://control.fake.test/receiver/${scenario}`, { method: 'PUT', body: JSON.stringify(config) });
    },
    /** The user approves at the provider: returns the authorization code. */
    async approve(scenario: string, grant: { challenge: string | null; redirectUri: string }): Promise<string> {
        const res = await fetch(`https://control.fake.test/oauth/${scenario}/approve`, { method: 'POST', body: JSON.stringify(grant) });
        return ((await res.json()) as { code: string }).code;
    },
    /** Registers a GitHub App at the fake GitHub; returns its private key (PKCS#1, and the same key as PKCS#8). */
    async github(scenario: string, config: GithubScenario): Promise<{ privateKey: string; privateKeyPkcs8: string }> {
        return (await fetch(`https://control.fake.test/github/${scenario}`, { method: 'PUT', body: JSON.stringify(config) })).json();
    },
    async githubUpdate(scenario: string, config: Partial<GithubScenario>) {
        await fetch(`https://control.fake.test/github/${scenario}`, { method: 'PATCH', body: JSON.stringify(config) });
    },
    async githubState(scenario: string): Promise<{ mints: number; lastJwtClaims: Record<string, number | string> | null; requests: SignedRequest[] }> {
        return (await fetch(`https://control.fake.test/github/${scenario}/state`)).json();
    },
    async oauth1(scenario: string, config: Oauth1Scenario) {
        await fetch(`https://control.fake.test/oauth1/${scenario}`, { method: 'PUT', body: JSON.stringify(config) });
    },
    /** The user approves a temporary token at the OAuth 1.0a provider: returns the verifier and the callback it was given. */
    async oauth1Approve(scenario: string, requestToken: string): Promise<{ verifier: string; callback: string }> {
        return (await fetch(`https://control.fake.test/oauth1/${scenario}/approve`, { method: 'POST', body: JSON.stringify({ requestToken }) })).json();
    },
    async oauth1Requests(scenario: string): Promise<SignedRequest[]> {
        return ((await (await fetch(`https://control.fake.test/oauth1/${scenario}/state`)).json()) as { requests: SignedRequest[] }).requests;
    },
    async state(scenario: string) {
        const res = await fetch(`https://control.fake.test/any/${scenario}/state`);
        return (await res.json()) as {
            counts: { authorizationCode: number; refresh: number; clientCredentials: number; api: number; hooks: number };
            deliveries: { headers: Record<string, string>; body: string; verified: boolean }[];
            tokenRequests: TokenRequestRecord[];
        };
    }
};

export function fakeOAuthProvider(scenario: string, oauth: Record<string, unknown> = {}) {
    return {
        display_name: 'Fake OAuth',
        categories: ['dev-tools'],
        docs: 'https://oauth.fake.test/docs',
        auth_mode: 'OAUTH2',
        oauth: { authorization_url: `https://oauth.fake.test/${scenario}/authorize`, token_url: `https://oauth.fake.test/${scenario}/token`, default_scopes: ['read'], ...oauth },
        proxy: { base_url: `https://oauth.fake.test/${scenario}/api` }
    };
}

export const CLIENT = { clientId: 'fake-client', clientSecret: 'fake-client-secret' };

/**
 * An environment with a fake OAuth 2 provider and integration (`fake`), its webhooks going to a
 * fake app that verifies signatures. `provider` extends the provider's `oauth`.
 */
export async function oauthEnvironment(
    options: { oauth?: Partial<OAuthScenario>; provider?: Record<string, unknown>; connectionConfig?: Record<string, unknown>; receiver?: Partial<ReceiverScenario> } = {}
) {
    const scenario = crypto.randomUUID();
    const environment = await newEnvironment();
    await fake.oauth(scenario, { ...CLIENT, ...options.oauth });
    await fake.receiver(scenario, { signingKey: environment.signingKey, ...options.receiver });
    const provider = await call('/providers', { method: 'POST', key: environment.key, body: { name: 'fake-oauth', ...fakeOAuthProvider(scenario, options.provider), ...(options.connectionConfig && { connection_config: options.connectionConfig }) } });
    expect(provider.status, provider.text).toBe(201);
    const integration = await call('/integrations', {
        method: 'POST',
        key: environment.key,
        body: { provider: 'fake-oauth', unique_key: 'fake', credentials: { type: 'OAUTH2', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, scopes: 'write' } }
    });
    expect(integration.status, integration.text).toBe(200);
    const settings = await call('/environment/webhook-settings', { method: 'PATCH', key: environment.key, body: { primary_url: `https://app.fake.test/${scenario}/hooks` } });
    expect(settings.status, settings.text).toBe(200);
    return { ...environment, scenario };
}

export async function createSession(key: string, body: Record<string, unknown> = { end_user: { id: 'user-1', email: 'ada@example.com' } }) {
    const res = await call('/connect/sessions', { method: 'POST', key, body });
    expect(res.status, res.text).toBe(201);
    return res.json.data.token as string;
}

export interface StartedFlow {
    status: number;
    location: URL;
    cookie: string;
    state: string;
    text: string;
}

/** The popup's first request: returns the redirect to the provider and the state cookie. */
export async function startOAuth(token: string, integration = 'fake', query = ''): Promise<StartedFlow> {
    const res = await exports.default.fetch(new Request(`${BASE}/oauth/connect/${integration}?connect_session_token=${token}${query}`, { redirect: 'manual' }));
    const text = await res.text();
    const location = new URL(res.headers.get('location') ?? 'https://invalid.test');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { status: res.status, location, cookie, state: location.searchParams.get('state') ?? '', text };
}

/** The provider's redirect back to the callback, carrying the code (or an error) and the browser's cookie. */
export async function callback(query: string, cookie: string) {
    const res = await exports.default.fetch(new Request(`${BASE}/oauth/callback?${query}`, { headers: cookie ? { cookie } : {} }));
    return { status: res.status, text: await res.text(), headers: res.headers };
}

/** A whole authorization: start, approve at the fake provider, come back. Returns the callback page. */
export async function authorize(scenario: string, token: string, query = '') {
    const flow = await startOAuth(token, 'fake', query);
    expect(flow.status, flow.text).toBe(302);
    const code = await fake.approve(scenario, {
        challenge: flow.location.searchParams.get('code_challenge'),
        redirectUri: flow.location.searchParams.get('redirect_uri')!
    });
    return { flow, page: await callback(`state=${flow.state}&code=${code}`, flow.cookie) };
}

/** Waits for the webhooks the fake app received. */
export async function receivedWebhooks(scenario: string, atLeast: number) {
    let deliveries: Awaited<ReturnType<typeof fake.state>>['deliveries'] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
        deliveries = (await fake.state(scenario)).deliveries;
        if (deliveries.length >= atLeast) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(deliveries.length).toBeGreaterThanOrEqual(atLeast);
    return deliveries.map((d) => ({ ...d, payload: JSON.parse(d.body) as Record<string, any> }));
}
