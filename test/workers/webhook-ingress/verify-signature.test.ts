import { describe, expect, it } from 'vitest';
import { webhookSignatureSchema, type WebhookSignature } from '../../../providers/webhook-schema.js';
import { verifySignature, type SignedDelivery } from '../../../workers/webhook-ingress/verify-signature.js';
import { signDelivery } from '../../support/provider-signing.js';

const NOW = 1_700_000_000_000; // 2023-11-14T22:13:20Z
const WEBHOOK_URL = 'https://spoke.example.com/webhooks/abc';
const encoder = new TextEncoder();

const scheme = (input: unknown): WebhookSignature => webhookSignatureSchema.parse(input);

function delivery(headers: Record<string, string>, body: string | Uint8Array, request: { method?: string; url?: string } = {}): SignedDelivery {
    return {
        method: request.method ?? 'POST',
        url: request.url ?? WEBHOOK_URL,
        headers: new Headers(headers),
        body: typeof body === 'string' ? encoder.encode(body) : body
    };
}

/** Signs with the test-side signer and verifies the result, with optional changes in between. */
async function roundTrip(
    sig: WebhookSignature,
    options: { secret?: string; verifySecret?: string; body?: string; deliveredBody?: string; signedAt?: number; now?: number; edit?: (h: Record<string, string>) => void } = {}
) {
    const secret = options.secret ?? 'test-secret';
    const body = options.body ?? '{"event":"ping"}';
    const headers = signDelivery(sig, secret, { method: 'POST', url: WEBHOOK_URL, body }, options.signedAt ?? NOW);
    options.edit?.(headers);
    return verifySignature(sig, options.verifySecret ?? secret, delivery(headers, options.deliveredBody ?? body), options.now ?? NOW);
}

interface Case {
    name: string;
    scheme: WebhookSignature;
    signatureHeader: string;
    /** A header carrying the signing time, for the schemes that send one. */
    timestampHeader?: string;
    /** The default tolerance, in seconds, for timestamped schemes. */
    tolerance?: number;
    /** Values of the signature header that aren't a well-formed signature. */
    malformed: string[];
}

const HEX_64 = 'ab'.repeat(32);
const B64_32 = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const badHex = ['', 'abc', 'zz'.repeat(32), `${HEX_64.slice(2)}g1`, ` ${HEX_64}`];
const badBase64 = ['', 'not base64!', B64_32.slice(0, -1), `${B64_32.slice(0, -4)}-_-_`, '====', `${B64_32}=`];

const cases: Case[] = [
    {
        name: 'github',
        scheme: scheme({ type: 'github' }),
        signatureHeader: 'X-Hub-Signature-256',
        malformed: [HEX_64, 'sha1=' + HEX_64, ...badHex.map((v) => `sha256=${v}`)]
    },
    {
        name: 'slack',
        scheme: scheme({ type: 'slack' }),
        signatureHeader: 'X-Slack-Signature',
        timestampHeader: 'X-Slack-Request-Timestamp',
        tolerance: 300,
        malformed: [HEX_64, 'v1=' + HEX_64, ...badHex.map((v) => `v0=${v}`)]
    },
    {
        name: 'stripe',
        scheme: scheme({ type: 'stripe' }),
        signatureHeader: 'Stripe-Signature',
        tolerance: 300,
        malformed: ['', 'garbage', `v1=${HEX_64}`, `t=${NOW / 1000}`, `t=${NOW / 1000},v0=${HEX_64}`, `t=abc,v1=${HEX_64}`, `t=${NOW / 1000},v1=xyz`, `t=1,t=2,v1=${HEX_64}`]
    },
    { name: 'shopify', scheme: scheme({ type: 'shopify' }), signatureHeader: 'X-Shopify-Hmac-Sha256', malformed: badBase64 },
    {
        name: 'hubspot_v3',
        scheme: scheme({ type: 'hubspot_v3' }),
        signatureHeader: 'X-HubSpot-Signature-v3',
        timestampHeader: 'X-HubSpot-Request-Timestamp',
        tolerance: 300,
        malformed: badBase64
    },
    { name: 'linear', scheme: scheme({ type: 'linear' }), signatureHeader: 'Linear-Signature', tolerance: 60, malformed: badHex },
    {
        name: 'zendesk',
        scheme: scheme({ type: 'zendesk' }),
        signatureHeader: 'X-Zendesk-Webhook-Signature',
        timestampHeader: 'X-Zendesk-Webhook-Signature-Timestamp',
        tolerance: 300,
        malformed: badBase64
    },
    {
        name: 'hmac (sha256, hex, prefix)',
        scheme: scheme({ type: 'hmac', header: 'X-Signature', prefix: 'sha256=' }),
        signatureHeader: 'X-Signature',
        malformed: [HEX_64, ...badHex.map((v) => `sha256=${v}`)]
    },
    {
        name: 'hmac (sha512, base64, timestamp)',
        scheme: scheme({ type: 'hmac', header: 'X-Signature', algorithm: 'sha512', encoding: 'base64', timestamp_header: 'X-Timestamp', timestamp_separator: '.' }),
        signatureHeader: 'X-Signature',
        timestampHeader: 'X-Timestamp',
        tolerance: 300,
        malformed: badBase64
    },
    {
        name: 'hmac (sha1, hex)',
        scheme: scheme({ type: 'hmac', header: 'X-Signature', algorithm: 'sha1' }),
        signatureHeader: 'X-Signature',
        malformed: [...badHex, HEX_64 /* a SHA-256 length for a SHA-1 MAC */]
    }
];

/** A body carrying Linear's signing time, which the caller (not the signer) sets. */
const linearBody = (signedAt: number) => JSON.stringify({ action: 'create', type: 'Issue', data: { id: 'x' }, webhookTimestamp: signedAt });

describe.each(cases)('$name', (c) => {
    const { timestampHeader, tolerance: toleranceSeconds } = c;
    const isLinear = c.scheme.type === 'linear';
    const bodyAt = (signedAt: number) => (isLinear ? linearBody(signedAt) : '{"event":"ping"}');

    it('accepts a valid signature', async () => {
        expect(await roundTrip(c.scheme, { body: bodyAt(NOW) })).toEqual({ ok: true });
    });

    it('rejects a tampered body', async () => {
        const body = bodyAt(NOW);
        const result = await roundTrip(c.scheme, { body, deliveredBody: body.replace('{', '{ ') });
        expect(result).toEqual({ ok: false, reason: 'signature mismatch' });
    });

    it('rejects a signature made with another secret', async () => {
        const result = await roundTrip(c.scheme, { body: bodyAt(NOW), verifySecret: 'another-secret' });
        expect(result).toEqual({ ok: false, reason: 'signature mismatch' });
    });

    it('names the missing signature header', async () => {
        const result = await roundTrip(c.scheme, { body: bodyAt(NOW), edit: (h) => delete h[c.signatureHeader] });
        expect(result).toEqual({ ok: false, reason: `missing ${c.signatureHeader} header` });
    });

    if (timestampHeader) {
        it('names the missing timestamp header', async () => {
            const result = await roundTrip(c.scheme, { body: bodyAt(NOW), edit: (h) => delete h[timestampHeader] });
            expect(result).toEqual({ ok: false, reason: `missing ${timestampHeader} header` });
        });
    }

    if (toleranceSeconds) {
        it('rejects stale and future timestamps, and accepts them within the tolerance', async () => {
            const tolerance = toleranceSeconds * 1000;
            for (const signedAt of [NOW - tolerance - 1000, NOW + tolerance + 1000]) {
                const result = await roundTrip(c.scheme, { body: bodyAt(signedAt), signedAt });
                expect(result).toEqual({ ok: false, reason: `timestamp outside the ${toleranceSeconds} s tolerance` });
            }
            for (const signedAt of [NOW - tolerance + 1000, NOW + tolerance - 1000]) {
                expect(await roundTrip(c.scheme, { body: bodyAt(signedAt), signedAt })).toEqual({ ok: true });
            }
        });
    }

    if (toleranceSeconds) {
        it('honours a configured tolerance', async () => {
            const custom = { ...c.scheme, tolerance_seconds: 3600 } as WebhookSignature;
            const signedAt = NOW - 1800_000;
            expect(await roundTrip(custom, { body: bodyAt(signedAt), signedAt })).toEqual({ ok: true });
            expect(await roundTrip(custom, { body: bodyAt(NOW - 3601_000), signedAt: NOW - 3601_000 })).toMatchObject({ ok: false, reason: 'timestamp outside the 3600 s tolerance' });
        });
    }

    it('rejects malformed signatures without throwing', async () => {
        for (const value of c.malformed) {
            const result = await roundTrip(c.scheme, { body: bodyAt(NOW), edit: (h) => void (h[c.signatureHeader] = value) });
            expect(result.ok, `${c.signatureHeader}: ${value}`).toBe(false);
            if (!result.ok) expect(result.reason).toMatch(/^(malformed|missing) .+ header$|^signature mismatch$/);
        }
    });

    if (timestampHeader) {
        it('rejects a malformed timestamp without throwing', async () => {
            for (const value of ['', 'soon', '17e11', '-1700000000', '1700000000.5', 'Tue, 14 Nov 2023 22:13:20 GMT']) {
                const result = await roundTrip(c.scheme, { body: bodyAt(NOW), edit: (h) => void (h[timestampHeader] = value) });
                expect(result, `${timestampHeader}: ${value}`).toEqual({ ok: false, reason: `malformed ${timestampHeader} header` });
            }
        });
    }

    it('never puts the secret or the expected digest in a reason', async () => {
        const secret = 'sk_live_VERY-SECRET-value';
        const body = bodyAt(NOW);
        const genuine = Object.values(signDelivery(c.scheme, secret, { method: 'POST', url: WEBHOOK_URL, body }, NOW)).join(' ');
        const attempts = [
            await roundTrip(c.scheme, { secret: 'other', verifySecret: secret, body }),
            await roundTrip(c.scheme, { secret, body, deliveredBody: `${body} ` }),
            await roundTrip(c.scheme, { secret, body, edit: (h) => delete h[c.signatureHeader] }),
            await roundTrip(c.scheme, { secret, body, edit: (h) => void (h[c.signatureHeader] = secret) })
        ];
        if (c.tolerance) attempts.push(await roundTrip(c.scheme, { secret, body: bodyAt(NOW - 86_400_000), signedAt: NOW - 86_400_000 }));
        for (const result of attempts) {
            expect(result.ok).toBe(false);
            if (result.ok) continue;
            expect(result.reason).not.toContain(secret);
            for (const token of genuine.split(/[\s,=]+/).filter((t) => t.length >= 20)) expect(result.reason).not.toContain(token);
        }
    });
});

/**
 * Digests here and below were computed once with node:crypto (`node -e`) from the inputs below; GitHub's and Slack's are
 * the examples in those providers' own documentation.
 */
describe('known-answer vectors', () => {
    it('github: the example from GitHub docs', async () => {
        const sig = scheme({ type: 'github' });
        const headers = { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
        expect(await verifySignature(sig, "It's a Secret to Everybody", delivery(headers, 'Hello, World!'), NOW)).toEqual({ ok: true });
    });

    it('slack: the example from Slack docs', async () => {
        const body =
            'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
        const headers = {
            'X-Slack-Request-Timestamp': '1531420618',
            'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'
        };
        const sig = scheme({ type: 'slack' });
        expect(await verifySignature(sig, '8f742231b10e8888abcd99yyyzzz85a5', delivery(headers, body), 1531420618_000 + 10_000)).toEqual({ ok: true });
    });

    it('stripe: any v1 matching passes, v0 is ignored', async () => {
        const sig = scheme({ type: 'stripe' });
        const good = '0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd';
        const body = '{"id":"evt_1","object":"event"}';
        const check = (header: string) => verifySignature(sig, 'whsec_test_secret', delivery({ 'Stripe-Signature': header }, body), NOW);
        expect(await check(`t=1700000000,v1=${good}`)).toEqual({ ok: true });
        expect(await check(`t=1700000000,v1=${HEX_64},v1=${good},v0=${HEX_64}`)).toEqual({ ok: true });
        expect(await check(`t=1700000000,v1=${good},v1=${HEX_64}`)).toEqual({ ok: true });
        expect(await check(`t=1700000000,v0=${good},v1=${HEX_64}`)).toEqual({ ok: false, reason: 'signature mismatch' });
        expect(await check(`t=1700000001,v1=${good}`)).toEqual({ ok: false, reason: 'signature mismatch' });
    });

    it('shopify', async () => {
        const headers = { 'X-Shopify-Hmac-Sha256': 'zLPiTBoUTbH7tzE6ZPVbin/i6NTLnl+w0FA8AzEO1xs=' };
        const body = '{"id":820982911946154500,"email":"jon@doe.ca"}';
        expect(await verifySignature(scheme({ type: 'shopify' }), 'shpss_test', delivery(headers, body), NOW)).toEqual({ ok: true });
    });

    it('hubspot_v3: signs the URL with the listed escapes decoded, and only those', async () => {
        // Signed over "POSThttps://spoke.example.com/webhooks/hubspot:app?x=a/b@c&y=%20<body>1700000000000".
        const headers = { 'X-HubSpot-Signature-v3': '2cx4g7Uhq4FuAoNgbT9m0wK6UzMx037e0LZA9AY77dQ=', 'X-HubSpot-Request-Timestamp': '1700000000000' };
        const body = '[{"eventId":1,"subscriptionType":"contact.creation"}]';
        const sig = scheme({ type: 'hubspot_v3' });
        const check = (url: string, method = 'POST') => verifySignature(sig, 'hubspot-client-secret', delivery(headers, body, { url, method }), NOW);
        expect(await check('https://spoke.example.com/webhooks/hubspot%3Aapp?x=a%2Fb%40c&y=%20')).toEqual({ ok: true });
        expect(await check('https://spoke.example.com/webhooks/hubspot%3aapp?x=a%2fb%40c&y=%20')).toEqual({ ok: true });
        expect(await check('https://spoke.example.com/webhooks/hubspot:app?x=a/b@c&y=%20')).toEqual({ ok: true });
        expect(await check('https://spoke.example.com/webhooks/hubspot:app?x=a/b@c&y= ')).toMatchObject({ ok: false });
        expect(await check('https://spoke.example.com/webhooks/hubspot:app?x=a/b@c&y=%20', 'PUT')).toMatchObject({ ok: false });
    });

    it('linear: the signature, then the body timestamp', async () => {
        const headers = { 'Linear-Signature': '91e919dc0fd99df1cae12efef1ca08b082cfa523f101b572ec14ed98863fdf35' };
        const body = '{"action":"create","type":"Issue","webhookTimestamp":1700000000000}';
        const sig = scheme({ type: 'linear' });
        expect(await verifySignature(sig, 'lin_wh_secret', delivery(headers, body), NOW + 59_000)).toEqual({ ok: true });
        expect(await verifySignature(sig, 'lin_wh_secret', delivery(headers, body), NOW + 61_000)).toEqual({ ok: false, reason: 'timestamp outside the 60 s tolerance' });
    });

    it('linear: a body without webhookTimestamp is checked by signature alone', async () => {
        const sig = scheme({ type: 'linear' });
        const vectors = {
            '{"action":"create"}': '90c8d4fb755a4ebad329cf0480d6ae81633ff927b15c2ab404a964ca9dcfdd9e',
            'not json': '198c11b9ee76004c4124cb959108df11e8bd2eee8b6acdc52f3967e92f508c4d',
            '{"webhookTimestamp":"1700000000000"}': 'dd4c124422c13f97879a64aa5f3d486fe76542b2d570fd2cedab0579d688f5ed'
        };
        for (const [body, hex] of Object.entries(vectors)) {
            expect(await verifySignature(sig, 's', delivery({ 'Linear-Signature': hex }, body), NOW), body).toEqual({ ok: true });
        }
    });

    it('zendesk', async () => {
        const headers = { 'X-Zendesk-Webhook-Signature': 'oNNZ26MVBH6r4YiQrm5BYOF/jeLiu5W5svhBzOPNtZY=', 'X-Zendesk-Webhook-Signature-Timestamp': '2023-11-14T22:13:20Z' };
        const body = '{"type":"zen:event-type:ticket.created"}';
        expect(await verifySignature(scheme({ type: 'zendesk' }), 'zendesk-secret', delivery(headers, body), NOW)).toEqual({ ok: true });
    });

    it('hmac: sha1 in base64 with a prefix, and sha512 in hex after a timestamp', async () => {
        const body = '{"hello":"world"}';
        const sha1 = scheme({ type: 'hmac', header: 'X-Sig', algorithm: 'sha1', encoding: 'base64', prefix: 'sha1=' });
        expect(await verifySignature(sha1, 'custom-secret', delivery({ 'X-Sig': 'sha1=ZnQ02M8lk+RF4tFRcgjo/Z4/1xs=' }, body), NOW)).toEqual({ ok: true });
        expect(await verifySignature(sha1, 'custom-secret', delivery({ 'X-Sig': 'ZnQ02M8lk+RF4tFRcgjo/Z4/1xs=' }, body), NOW)).toEqual({ ok: false, reason: 'malformed X-Sig header' });

        const sha512 = scheme({ type: 'hmac', header: 'X-Sig', algorithm: 'sha512', timestamp_header: 'X-Ts', timestamp_separator: '.' });
        const digest = '79e52dd361713fb0a95f6486533e4135e17492c2bb51f6870a4f11045cb5fe8829421293c50b8ccbd3563803f5b5e672563adedbd7bc1138df45ea9f90450bf3';
        expect(await verifySignature(sha512, 'custom-secret', delivery({ 'X-Sig': digest, 'X-Ts': '1700000000' }, body), NOW)).toEqual({ ok: true });
        expect(await verifySignature(sha512, 'custom-secret', delivery({ 'X-Sig': digest.toUpperCase(), 'X-Ts': '1700000000' }, body), NOW)).toEqual({ ok: true });
    });
});

describe('edge cases', () => {
    it('signs the raw body bytes, even when they are not valid UTF-8', async () => {
        const body = new Uint8Array([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);
        const hex = 'd5b03e305d92c356c82db4f77f60ee7a4944bf68050a803928de88ca237bc946';
        expect(await verifySignature(scheme({ type: 'github' }), 's', delivery({ 'X-Hub-Signature-256': `sha256=${hex}` }, body), NOW)).toEqual({ ok: true });

        const slackMac = '899db25bd716f0fb00001971eb10348ce456dd81b0821994299525f8f2d5cb99';
        const slackHeaders = { 'X-Slack-Signature': `v0=${slackMac}`, 'X-Slack-Request-Timestamp': '1700000000' };
        expect(await verifySignature(scheme({ type: 'slack' }), 's', delivery(slackHeaders, body), NOW)).toEqual({ ok: true });
    });

    it('signs non-ASCII text as UTF-8', async () => {
        const sig = scheme({ type: 'zendesk' });
        expect(await roundTrip(sig, { body: '{"subject":"Café ☕ 日本"}' })).toEqual({ ok: true });
        expect(await roundTrip(scheme({ type: 'shopify' }), { body: '{"title":"naïve"}', secret: 'clé secrète' })).toEqual({ ok: true });
    });

    it('accepts millisecond timestamps for generic hmac', async () => {
        const sig = scheme({ type: 'hmac', header: 'X-Sig', timestamp_header: 'X-Ts' });
        const body = '{}';
        const digest = '7e50c63a0f9d63d5c328ac0370a79cfe2e4748bb4e93bae2c6cfda628705f47c'; // of `${NOW}{}`
        expect(await verifySignature(sig, 's', delivery({ 'X-Sig': digest, 'X-Ts': String(NOW) }, body), NOW + 1000)).toEqual({ ok: true });
        expect(await verifySignature(sig, 's', delivery({ 'X-Sig': digest, 'X-Ts': String(NOW) }, body), NOW + 301_000)).toEqual({ ok: false, reason: 'timestamp outside the 300 s tolerance' });
    });

    it('fails cleanly without a secret', async () => {
        const headers = signDelivery(scheme({ type: 'github' }), 'x', { method: 'POST', url: WEBHOOK_URL, body: '{}' }, NOW);
        expect(await verifySignature(scheme({ type: 'github' }), '', delivery(headers, '{}'), NOW)).toEqual({ ok: false, reason: 'no webhook secret configured' });
    });

    it('signs the timestamp header in each named scheme that has one', async () => {
        for (const type of ['slack', 'hubspot_v3', 'zendesk'] as const) {
            const sig = scheme({ type });
            const later = await roundTrip(sig, {
                edit: (h) => {
                    const name = Object.keys(h).find((k) => /timestamp/i.test(k))!;
                    h[name] = type === 'zendesk' ? '2023-11-14T22:13:21Z' : type === 'slack' ? '1700000001' : String(NOW + 1);
                }
            });
            expect(later, type).toEqual({ ok: false, reason: 'signature mismatch' });
        }
    });
});
