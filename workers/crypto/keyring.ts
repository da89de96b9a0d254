import { fromBase64, toBase64Url } from './encoding.js';

/**
 * Versioned AES-256-GCM encryption for secrets at rest.
 *
 * `ENCRYPTION_KEYS` holds `id:base64key` pairs separated by commas, newest first:
 * `k2:…,k1:…`. The first key encrypts; every listed key decrypts. Rotation is: prepend a new key,
 * deploy, and let rows move to it as they are written (ConnectionDOs also re-encrypt on read).
 * Drop an old key only once nothing uses it.
 *
 * Ciphertext format: `v1.<key id>.<iv>.<ciphertext+tag>` (base64url). The additional data binds a
 * ciphertext to its owner (a connection, an integration…), so a blob copied onto another row
 * fails to decrypt instead of leaking into the wrong place.
 */
export class Keyring {
    private constructor(
        readonly currentId: string,
        private readonly keys: ReadonlyMap<string, CryptoKey>
    ) {}

    static async fromConfig(config: string | undefined): Promise<Keyring> {
        const entries = parseKeyConfig(config);
        const keys = new Map<string, CryptoKey>();
        for (const [id, raw] of entries) {
            keys.set(id, await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']));
        }
        return new Keyring(entries[0]![0], keys);
    }

    async encrypt(plaintext: string, aad: string): Promise<string> {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const key = this.keys.get(this.currentId)!;
        const sealed = await crypto.subtle.encrypt(
            { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) },
            key,
            new TextEncoder().encode(plaintext)
        );
        return `v1.${this.currentId}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    }

    async decrypt(ciphertext: string, aad: string): Promise<string> {
        const [version, keyId, iv, sealed] = ciphertext.split('.');
        if (version !== 'v1' || !keyId || !iv || !sealed) throw new KeyringError('malformed ciphertext');
        const key = this.keys.get(keyId);
        if (!key) throw new KeyringError(`encryption key "${keyId}" is not configured`);
        try {
            const opened = await crypto.subtle.decrypt(
                { name: 'AES-GCM', iv: fromBase64(iv), additionalData: new TextEncoder().encode(aad) },
                key,
                fromBase64(sealed)
            );
            return new TextDecoder().decode(opened);
        } catch {
            throw new KeyringError('ciphertext does not authenticate');
        }
    }

    /** True when the ciphertext was sealed with an older key and should be rewritten. */
    isStale(ciphertext: string): boolean {
        return ciphertext.split('.', 2)[1] !== this.currentId;
    }

    async encryptJson(value: unknown, aad: string): Promise<string> {
        return this.encrypt(JSON.stringify(value), aad);
    }

    async decryptJson<T>(ciphertext: string, aad: string): Promise<T> {
        return JSON.parse(await this.decrypt(ciphertext, aad)) as T;
    }
}

export class KeyringError extends Error {
    override name = 'KeyringError';
}

function parseKeyConfig(config: string | undefined): [string, Uint8Array][] {
    if (!config?.trim()) throw new KeyringError('ENCRYPTION_KEYS is not set');
    const entries = config.split(',').map((part): [string, Uint8Array] => {
        const [id, material] = part.trim().split(':');
        if (!id || !material || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
            throw new KeyringError('ENCRYPTION_KEYS must look like "k2:<base64>,k1:<base64>"');
        }
        const raw = fromBase64(material);
        if (raw.length !== 32) throw new KeyringError(`encryption key "${id}" must be 32 bytes`);
        return [id, raw];
    });
    if (new Set(entries.map(([id]) => id)).size !== entries.length) throw new KeyringError('ENCRYPTION_KEYS has duplicate ids');
    return entries;
}

// Importing keys costs a few WebCrypto calls; do it once per isolate and configuration.
const cache = new Map<string, Promise<Keyring>>();

export function keyringFor(env: { ENCRYPTION_KEYS?: string }): Promise<Keyring> {
    const config = env.ENCRYPTION_KEYS ?? '';
    let keyring = cache.get(config);
    if (!keyring) {
        keyring = Keyring.fromConfig(config);
        keyring.catch(() => cache.delete(config));
        cache.set(config, keyring);
    }
    return keyring;
}
