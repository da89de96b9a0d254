import { describe, expect, it } from 'vitest';
import type { ConnectionSecrets } from '../../../workers/connections/credentials.js';
import { secretValues } from '../../../workers/proxy/secret-values.js';

const oauth: ConnectionSecrets = {
    credentials: { type: 'OAUTH2', access_token: 'at/with+slash', refresh_token: 'refresh-123456', expires_at: '2030-01-01T00:00:00.000Z', raw: { scope: 'read' } },
    secretConfig: { webhook_secret: 'whsec-abcdef', not_a_string: 42 }
};
const basic: ConnectionSecrets = { credentials: { type: 'BASIC', username: 'admin-user', password: 'pässword' }, secretConfig: {} };
const shortKey: ConnectionSecrets = { credentials: { type: 'API_KEY', apiKey: 'abc' }, secretConfig: {} };

const text = (bytes: ArrayBuffer) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value).buffer as ArrayBuffer;

describe('secretValues', () => {
    it.each([
        ['a secret as it is', oauth, 'Bearer at/with+slash', 'Bearer spoke-credential-placeholder:access_token'],
        ['URL-encoded, in a query', oauth, '?token=at%2Fwith%2Bslash&x=1', '?token=spoke-credential-placeholder:access_token&x=1'],
        ['JSON-escaped slashes', oauth, '{"t":"at\\/with+slash"}', '{"t":"spoke-credential-placeholder:access_token"}'],
        ['the refresh token', oauth, 'rt=refresh-123456', 'rt=spoke-credential-placeholder:refresh_token'],
        ['secret connection config', oauth, 'sig whsec-abcdef', 'sig spoke-credential-placeholder:webhook_secret'],
        ['several, several times', oauth, 'at/with+slash at/with+slash refresh-123456', 'spoke-credential-placeholder:access_token spoke-credential-placeholder:access_token spoke-credential-placeholder:refresh_token'],
        ['a Basic pair as the header encodes it', basic, `Basic ${btoa('admin-user:p\u00c3\u00a4ssword')}`, 'Basic spoke-credential-placeholder:basic_authorization'],
        ['a username', basic, 'user admin-user', 'user spoke-credential-placeholder:username'],
        ['visible fields untouched', oauth, 'expires 2030-01-01T00:00:00.000Z, scope read', 'expires 2030-01-01T00:00:00.000Z, scope read'],
        ['values too short to redact untouched', shortKey, 'abc abcd', 'abc abcd']
    ])('redacts %s', (_, secrets, input, expected) => {
        const values = secretValues(secrets);
        expect(values.redact(input)).toBe(expected);
        expect(text(values.redactBytes(bytes(input)))).toBe(expected);
    });

    it('replaces bytes in any body, and hands back the same buffer when there is nothing to replace', () => {
        const values = secretValues(basic);
        const binary = new Uint8Array([0xff, 0x00, ...new TextEncoder().encode('pässword'), 0xfe]);
        expect([...new Uint8Array(values.redactBytes(binary.buffer))]).toEqual([0xff, 0x00, ...new TextEncoder().encode('spoke-credential-placeholder:password'), 0xfe]);
        const clean = bytes('nothing secret');
        expect(values.redactBytes(clean)).toBe(clean);
    });

    it('finds secrets and placeholders', () => {
        const values = secretValues(oauth);
        expect(values.foundIn('x at%2Fwith%2Bslash')).toBe(true);
        expect(values.foundIn('spoke-credential-placeholder:anything')).toBe(true);
        expect(values.foundIn('nothing here')).toBe(false);
    });
});
