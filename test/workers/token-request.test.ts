import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { providerSchema } from '../../providers/schema.js';
import { requestToken, TokenRequestError } from '../../workers/oauth/token-request.js';
import { CLIENT, fake, fakeOAuthProvider } from './auth-helpers.js';

/** A scenario of the fake provider, and its catalog entry with `oauth` quirks. */
async function tokenEndpoint(oauth: Record<string, unknown> = {}, scenarioConfig: Partial<Parameters<typeof fake.oauth>[1]> = {}) {
    const scenario = crypto.randomUUID();
    await fake.oauth(scenario, { ...CLIENT, ...scenarioConfig });
    const provider = providerSchema.parse(fakeOAuthProvider(scenario, oauth));
    const requests = async () => (await fake.state(scenario)).tokenRequests;
    return { scenario, provider, requests };
}

const client = { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret };

describe('token requests', () => {
    it('sends the client in a form body by default', async () => {
        const { provider, requests } = await tokenEndpoint();
        const token = await requestToken(env, provider, client, { grant_type: 'client_credentials' }, {});
        expect(token['access_token']).toMatch(/^cc_/);
        const [sent] = await requests();
        expect(sent!.contentType).toBe('application/x-www-form-urlencoded');
        expect(sent!.basicAuth).toBeNull();
        expect(sent!.params).toEqual({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    });

    it('sends the client in a Basic header (UTF-8) and a JSON body when the provider asks', async () => {
        const utf8Client = { clientId: 'fake-client', clientSecret: 'sécret-ü' };
        const { provider, requests } = await tokenEndpoint({ token_request_auth_method: 'basic', body_format: 'json' }, { clientAuth: 'basic', clientSecret: utf8Client.clientSecret });
        const token = await requestToken(env, provider, utf8Client, { grant_type: 'client_credentials', scope: 'read' }, {});
        expect(token['access_token']).toMatch(/^cc_/);
        const [sent] = await requests();
        expect(sent!.contentType).toBe('application/json');
        expect(sent!.basicAuth).toEqual({ id: utf8Client.clientId, secret: utf8Client.clientSecret });
        expect(sent!.params).toEqual({ grant_type: 'client_credentials', scope: 'read' });
    });

    it('refreshes at the refresh URL with the refresh params, and reports a refusal as permanent', async () => {
        const { scenario, provider, requests } = await tokenEndpoint({ token_params: { audience: 'api' }, refresh_params: { scope: 'offline' } });
        // The token URL answers 404: only the refresh URL reaches the token endpoint.
        const refreshOnly = providerSchema.parse({
            ...fakeOAuthProvider(scenario),
            oauth: { ...provider.oauth, token_url: `https://oauth.fake.test/${scenario}/nothing-here`, refresh_url: `https://oauth.fake.test/${scenario}/token` }
        });
        const refused = await requestToken(env, refreshOnly, client, { grant_type: 'refresh_token', refresh_token: 'unknown' }, {}).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(TokenRequestError);
        expect(refused).toMatchObject({ status: 400, error: 'invalid_grant', isPermanent: true });
        expect((refused as Error).message).toContain('Unknown refresh token');
        const [sent] = await requests();
        expect(sent!.params).toEqual({ scope: 'offline', grant_type: 'refresh_token', refresh_token: 'unknown', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    });
});
