import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Keyring } from '../../workers/crypto/keyring.js';
import { call, environmentWithIntegration } from './helpers.js';

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

describe('connection credentials at rest', () => {
    it('are neither in D1 nor in the Durable Object as plaintext', async () => {
        const { stub } = await importSecretConnection('at-rest');
        for (const table of ['connections', 'operations', 'integrations', 'connection_purges']) {
            const rows = JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table}`).all()).results);
            expect(rows, table).not.toContain('sk-plaintext-must-not-leak');
        }
        await runInDurableObject(stub, (_instance, state) => {
            const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
            expect(tables.map((t) => t.name)).toContain('secrets');
            for (const { name } of tables) {
                const dump = JSON.stringify(state.storage.sql.exec(`SELECT * FROM ${name}`).toArray());
                expect(dump, name).not.toContain('sk-plaintext-must-not-leak');
            }
            const row = state.storage.sql.exec<{ ciphertext: string }>('SELECT ciphertext FROM secrets').one();
            expect(row.ciphertext).toMatch(/^v1\.k1\./);
        });
    });

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
