import { describe, expect, it } from 'vitest';
import { providerSchema } from '../../providers/schema.js';
import { TokenRequestError } from '../../workers/oauth/token-request.js';
import { parseTokenResponse } from '../../workers/oauth/token-response.js';
import { fakeOAuthProvider } from './auth-helpers.js';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const provider = (oauth: Record<string, unknown> = {}) => providerSchema.parse(fakeOAuthProvider('parse', oauth));
const parse = (raw: Record<string, unknown>, oauth: Record<string, unknown> = {}) => parseTokenResponse(provider(oauth), raw, NOW);

describe('token responses', () => {
    it('reads the token, refresh token and expiry at the top by default', () => {
        expect(parse({ access_token: 'a', refresh_token: 'r', expires_in: 3600 })).toEqual({
            accessToken: 'a',
            refreshToken: 'r',
            expiresAt: '2030-01-01T01:00:00.000Z',
            metadata: {}
        });
    });

    it('reads them under access_token_path', () => {
        const raw = { ok: true, access_token: 'bot-token', authed_user: { access_token: 'user-token', refresh_token: 'user-refresh', expires_in: 60 } };
        expect(parse(raw, { access_token_path: 'authed_user' })).toEqual({ accessToken: 'user-token', refreshToken: 'user-refresh', expiresAt: '2030-01-01T00:01:00.000Z', metadata: {} });
    });

    it('reads expires_at in seconds, milliseconds or ISO', () => {
        const at = '2031-06-01T12:00:00.000Z';
        const ms = Date.parse(at);
        expect(parse({ access_token: 'a', expires_at: ms / 1000 }).expiresAt).toBe(at);
        expect(parse({ access_token: 'a', expires_at: String(ms / 1000) }).expiresAt).toBe(at);
        expect(parse({ access_token: 'a', expires_at: ms }).expiresAt).toBe(at);
        expect(parse({ access_token: 'a', expires_at: '2031-06-01T14:00:00+02:00' }).expiresAt).toBe(at);
        // expires_at wins over expires_in.
        expect(parse({ access_token: 'a', expires_at: ms, expires_in: 60 }).expiresAt).toBe(at);
    });

    it('reads expires_in in the provider’s unit', () => {
        expect(parse({ access_token: 'a', expires_in: '120' }).expiresAt).toBe('2030-01-01T00:02:00.000Z');
        expect(parse({ access_token: 'a', expires_in: 120_000 }, { expires_in_unit: 'milliseconds' }).expiresAt).toBe('2030-01-01T00:02:00.000Z');
    });

    it('gives no expiry when the provider states none, or one that makes no sense', () => {
        for (const raw of [{}, { expires_in: 0 }, { expires_in: 'soon' }, { expires_at: 'never' }]) {
            expect(parse({ access_token: 'a', ...raw })).not.toHaveProperty('expiresAt');
        }
    });

    it('copies token_response_metadata by dot path, skipping missing and null values', () => {
        const raw = { access_token: 'a', instance_url: 'https://eu1.example.com', team: { id: 'T1', name: null }, scope: 'read' };
        const parsed = parse(raw, { token_response_metadata: ['instance_url', 'team.id', 'team.name', 'missing'] });
        expect(parsed.metadata).toEqual({ instance_url: 'https://eu1.example.com', 'team.id': 'T1' });
    });

    it('takes client-credentials tokens named token, jwt or data.token', () => {
        expect(parse({ token: 't' }).accessToken).toBe('t');
        expect(parse({ jwt: 'j' }).accessToken).toBe('j');
        expect(parse({ data: { token: 'd' } }).accessToken).toBe('d');
    });

    it('refuses a response without an access token', () => {
        expect(() => parse({ refresh_token: 'r' })).toThrow(TokenRequestError);
        expect(() => parse({ access_token: '' })).toThrow('no access token');
    });
});
