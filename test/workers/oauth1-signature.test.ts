import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { oauth1Authorization, percentEncode, signatureBaseString } from '../../workers/upstream/oauth1-signature.js';

const headerParams = (header: string) => Object.fromEntries([...header.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2]!)]));

describe('RFC 5849 signatures', () => {
    it('builds the base string of RFC 5849 §3.4.1.1', () => {
        const params: [string, string][] = [
            ['b5', '=%3D'],
            ['a3', 'a'],
            ['c@', ''],
            ['a2', 'r b'],
            ['oauth_consumer_key', '9djdj82h48djs9d2'],
            ['oauth_token', 'kkk9d7dh3k39sjv7'],
            ['oauth_signature_method', 'HMAC-SHA1'],
            ['oauth_timestamp', '137131201'],
            ['oauth_nonce', '7d8f3e4a'],
            ['c2', ''],
            ['a3', '2 q']
        ];
        expect(signatureBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', params)).toBe(
            'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7'
        );
    });

    it('signs Twitter’s documented example (query and form body parameters) to its published signature', async () => {
        const header = await oauth1Authorization({
            method: 'POST',
            url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
            formBody: 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
            consumer: { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
            token: { key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE' },
            signatureMethod: 'HMAC-SHA1',
            nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
            timestamp: '1318622958'
        });
        expect(header.startsWith('OAuth ')).toBe(true);
        expect(headerParams(header)).toEqual({
            oauth_consumer_key: 'xvz1evFS4wEEPTGEFPHBog',
            oauth_nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
            oauth_signature: 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
            oauth_signature_method: 'HMAC-SHA1',
            oauth_timestamp: '1318622958',
            oauth_token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
            oauth_version: '1.0'
        });
    });

    it('signs HMAC-SHA256 with a realm that stays out of the base string (NetSuite TBA)', async () => {
        const signing = {
            method: 'GET',
            url: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=5',
            consumer: { key: 'ck', secret: 'c&s' },
            token: { key: 'tid', secret: 't s' },
            signatureMethod: 'HMAC-SHA256' as const,
            nonce: 'n1',
            timestamp: '1700000000'
        };
        const withRealm = headerParams(await oauth1Authorization({ ...signing, realm: '1234567_SB1' }));
        expect(withRealm['realm']).toBe('1234567_SB1');
        expect(withRealm['oauth_signature']).toBe(headerParams(await oauth1Authorization(signing))['oauth_signature']);
        const base =
            'GET&https%3A%2F%2F1234567-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Fcustomer&limit%3D5%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_token%3Dtid%26oauth_version%3D1.0';
        expect(withRealm['oauth_signature']).toBe(createHmac('sha256', 'c%26s&t%20s').update(base, 'utf8').digest('base64'));
    });

    it('percent-encodes per RFC 3986, UTF-8 included', () => {
        expect(percentEncode("Ladies + Gentlemen!*'()~._-")).toBe('Ladies%20%2B%20Gentlemen%21%2A%27%28%29~._-');
        expect(percentEncode('☃')).toBe('%E2%98%83');
    });
});
