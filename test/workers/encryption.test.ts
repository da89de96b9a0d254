import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { Keyring } from '../../workers/crypto/keyring.js';
import { recordsShards } from '../../workers/records/records-shards.js';
import { fakeOAuthProvider } from './auth-helpers.js';
import { call, environmentWithIntegration, newEnvironment } from './helpers.js';
import { callWithBindings } from './rebound-worker.js';

const keyMaterial = (byte: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));
const OLD = `k1:${keyMaterial(7)}`; // the key the test pool runs with (vitest.config.ts)
const ROTATED = `k2:${keyMaterial(9)},${OLD}`;

describe('keyring', () => {
    it('encrypts with the first key and decrypts with any listed key', async () => {
        const before = await Keyring.fromConfig(OLD);
        const after = await Keyring.fromConfig(ROTATED);
        const sealed = await before.encrypt('hello', 'ctx');
        expect(sealed.startsWith('v1.k1.')).toBe(true);
        expect(await after.decrypt(sealed, 'ctx')).toBe('hello');
        expect(after.isStale(sealed)).toBe(true);
        const resealed = await after.encrypt('hello', 'ctx');
        expect(resealed.startsWith('v1.k2.')).toBe(true);
        await expect(before.decrypt(resealed, 'ctx')).rejects.toThrow('"k2" is not configured');
    });

    it('binds a ciphertext to its owner', async () => {
        const keyring = await Keyring.fromConfig(OLD);
        const sealed = await keyring.encrypt('secret', 'connection:a');
        await expect(keyring.decrypt(sealed, 'connection:b')).rejects.toThrow('does not authenticate');
        const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
        await expect(keyring.decrypt(tampered, 'connection:a')).rejects.toThrow();
    });

    it('rejects bad key configuration', async () => {
        await expect(Keyring.fromConfig('')).rejects.toThrow('ENCRYPTION_KEYS is not set');
        await expect(Keyring.fromConfig('k1:' + btoa('short'))).rejects.toThrow('32 bytes');
        await expect(Keyring.fromConfig('nocolon')).rejects.toThrow('must look like');
        await expect(Keyring.fromConfig(`${OLD},${OLD}`)).rejects.toThrow('duplicate');
    });
});

async function importSecretConnection(connectionId: string) {
    const { key, integration } = await environmentWithIntegration();
    const res = await call('/connections', {
        method: 'POST',
        key,
        body: { provider_config_key: integration, connection_id: connectionId, credentials: { type: 'API_KEY', apiKey: 'sk-plaintext-must-not-leak' } }
    });
    expect(res.status).toBe(201);
    const { uid } = (await env.DB.prepare('SELECT uid FROM connections WHERE id = ?').bind(res.json.id).first<{ uid: string }>())!;
    return { key, integration, uid, stub: env.CONNECTION.getByName(uid) };
}

/** Every table of the control plane and of each records shard, dumped as text. */
async function dumpD1(): Promise<Record<string, string>> {
    const dumps: Record<string, string> = {};
    for (const [shard, db] of [env.DB, ...recordsShards(env)].entries()) {
        const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
        expect(results.length).toBeGreaterThan(0);
        for (const { name } of results) dumps[`${shard}:${name}`] = JSON.stringify((await db.prepare(`SELECT * FROM "${name}"`).all()).results);
    }
    return dumps;
}

describe('secrets at rest', () => {
    it('are nowhere in D1 or in the Durable Object as plaintext', async () => {
        const secret = (what: string) => `${what}-${crypto.randomUUID()}`;
        const planted = {
            accessToken: secret('access'),
            refreshToken: secret('refresh'),
            idToken: secret('id-token'),
            configSecret: secret('config-secret'),
            clientSecret: secret('client-secret'),
            customSecret: secret('custom-secret'),
            variable: secret('variable')
        };
        const environment = await newEnvironment();
        const { key } = environment;
        const provider = await call('/providers', {
            method: 'POST',
            key,
            body: { name: 'vault-oauth', ...fakeOAuthProvider('vault'), connection_config: { tenant: { title: 'Tenant' }, api_secret: { title: 'API secret', secret: true } } }
        });
        expect(provider.status, provider.text).toBe(201);
        const integration = await call('/integrations', {
            method: 'POST',
            key,
            body: {
                provider: 'vault-oauth',
                unique_key: 'vault',
                credentials: { type: 'OAUTH2', client_id: 'client-id', client_secret: planted.clientSecret },
                custom: { webhookSecret: planted.customSecret }
            }
        });
        expect(integration.status, integration.text).toBe(200);
        const raw = { access_token: planted.accessToken, refresh_token: planted.refreshToken, id_token: planted.idToken, token_type: 'bearer' };
        const imported = await call('/connections', {
            method: 'POST',
            key,
            body: {
                provider_config_key: 'vault',
                connection_id: 'vaulted',
                credentials: { type: 'OAUTH2', access_token: planted.accessToken, refresh_token: planted.refreshToken, expires_at: '2099-01-01T00:00:00.000Z', raw },
                connection_config: { tenant: 'acme', api_secret: planted.configSecret }
            }
        });
        expect(imported.status, imported.text).toBe(201);
        expect((await call('/environment-variables', { method: 'PUT', key, body: [{ name: 'TOKEN', value: planted.variable }] })).status).toBe(200);
        // Everything can still be read back through the API.
        const got = (await call('/connections/vaulted?provider_config_key=vault&refresh_token=true', { key })).json;
        expect(got.credentials).toMatchObject({ access_token: planted.accessToken, refresh_token: planted.refreshToken, raw });
        expect(got.connection_config.api_secret).toBe(planted.configSecret);
        expect((await call('/integrations/vault?include=credentials', { key })).json.data.credentials.client_secret).toBe(planted.clientSecret);

        // Operations are written after the response: wait for the last one.
        await vi.waitFor(async () => expect((await call('/logs?type=environment', { key })).json.data.map((o: { action: string }) => o.action)).toContain('variables.replace'));
        const everything = { ...planted, secretKey: key, signingKey: environment.signingKey };
        const dumps = await dumpD1();
        // The scan reaches the rows: the connection's public config is in the index.
        expect(dumps['0:connections']).toMatch(/tenant.{0,4}:.{0,4}acme/);
        for (const [table, dump] of Object.entries(dumps)) {
            for (const [name, value] of Object.entries(everything)) expect(dump, `${name} in D1 ${table}`).not.toContain(value);
        }
        const { uid } = (await env.DB.prepare('SELECT uid FROM connections WHERE id = ?').bind(imported.json.id).first<{ uid: string }>())!;
        await runInDurableObject(env.CONNECTION.getByName(uid), (_instance, state) => {
            const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
            expect(tables.map((t) => t.name)).toContain('secrets');
            for (const { name } of tables) {
                const dump = JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray());
                for (const [secretName, value] of Object.entries(planted)) expect(dump, `${secretName} in the Durable Object's ${name}`).not.toContain(value);
            }
            expect(state.storage.sql.exec<{ ciphertext: string }>('SELECT ciphertext FROM secrets').one().ciphertext).toMatch(/^v1\.k1\./);
        });
    });
});

describe('connection credentials at rest', () => {
    it('stay readable after the key is rotated, and move to the new key when read', async () => {
        const { key, integration, uid, stub } = await importSecretConnection('rotate-me');
        // Simulate the deploy that prepends a new key: the object now runs with the rotated keyring.
        await runInDurableObject(stub, (instance) => {
            (instance as unknown as { env: Env }).env = { ...env, ENCRYPTION_KEYS: ROTATED };
        });
        const secrets = JSON.parse((await stub.readSecrets(uid))!);
        expect(secrets.credentials).toEqual({ type: 'API_KEY', apiKey: 'sk-plaintext-must-not-leak' });
        await runInDurableObject(stub, (_instance, state) => {
            expect(state.storage.sql.exec<{ ciphertext: string }>('SELECT ciphertext FROM secrets').one().ciphertext).toMatch(/^v1\.k2\./);
        });
        // Reads through the API keep working after the move.
        const got = await call(`/connections/rotate-me?provider_config_key=${integration}`, { key });
        expect(got.json.credentials.apiKey).toBe('sk-plaintext-must-not-leak');
    });
});

describe('integration secrets at rest', () => {
    it('stay readable after the key is rotated, and move to the new key when the integration is written', async () => {
        const { key } = await newEnvironment();
        const credentials = { type: 'OAUTH2', client_id: 'id', client_secret: 'rotating-secret' };
        await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'gh', credentials, custom: { webhookSecret: 'rotating-custom' } } });
        const sealed = () => env.DB.prepare("SELECT credentials_enc AS credentials, custom_enc AS custom FROM integrations WHERE unique_key = 'gh'").first<{ credentials: string; custom: string }>();
        expect(await sealed()).toEqual({ credentials: expect.stringMatching(/^v1\.k1\./), custom: expect.stringMatching(/^v1\.k1\./) });

        const rotated = { ENCRYPTION_KEYS: ROTATED };
        const read = await callWithBindings(rotated, '/integrations/gh?include=credentials', { key });
        expect(read.json.data.credentials).toMatchObject(credentials);
        // A write that does not touch the secrets still re-seals them with the new key.
        expect((await callWithBindings(rotated, '/integrations/gh', { method: 'PATCH', key, body: { display_name: 'GitHub' } })).status).toBe(200);
        expect(await sealed()).toEqual({ credentials: expect.stringMatching(/^v1\.k2\./), custom: expect.stringMatching(/^v1\.k2\./) });
        expect((await callWithBindings(rotated, '/integrations/gh?include=credentials', { key })).json.data.credentials).toMatchObject(credentials);
        // Sealed with k2 now, so a deployment that knows only k1 cannot open them.
        expect((await call('/integrations/gh?include=credentials', { key })).json.error.code).toBe('encryption_error');
    });

    it('cannot be moved onto another integration', async () => {
        const { key } = await environmentWithIntegration('first', 'github');
        const credentials = { type: 'OAUTH2', client_id: 'id', client_secret: 'moved-secret' };
        await call('/integrations/first', { method: 'PATCH', key, body: { credentials } });
        await call('/integrations', { method: 'POST', key, body: { provider: 'github', unique_key: 'second', credentials: { ...credentials, client_secret: 'own-secret' } } });
        await env.DB.prepare("UPDATE integrations SET credentials_enc = (SELECT credentials_enc FROM integrations WHERE unique_key = 'first') WHERE unique_key = 'second'").run();
        const res = await call('/integrations/second?include=credentials', { key });
        expect(res.status).toBe(500);
        expect(res.json.error.code).toBe('encryption_error');
        expect(res.text).not.toContain('moved-secret');
    });
});

describe('webhook signing keys at rest', () => {
    it('stay readable after the key is rotated, and a new signing key is sealed with the new key', async () => {
        const { key, id, signingKey } = await newEnvironment();
        const sealed = async () => (await env.DB.prepare('SELECT webhook_signing_key_enc AS enc FROM environments WHERE id = ?').bind(id).first<{ enc: string }>())!.enc;
        expect(await sealed()).toMatch(/^v1\.k1\./);

        const rotated = { ENCRYPTION_KEYS: ROTATED };
        expect((await callWithBindings(rotated, '/environment', { key })).json.data.webhook_signing_key).toBe(signingKey);
        const replaced = await callWithBindings(rotated, '/environment/webhook-signing-key/rotate', { method: 'POST', key });
        expect(replaced.status, replaced.text).toBe(200);
        expect(await sealed()).toMatch(/^v1\.k2\./);
        expect((await callWithBindings(rotated, '/environment', { key })).json.data.webhook_signing_key).toBe(replaced.json.data.webhook_signing_key);
    });
});
