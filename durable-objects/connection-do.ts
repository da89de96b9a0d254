import { DurableObject } from 'cloudflare:workers';
import { keyringFor } from '../workers/crypto/keyring.js';
import { migrateSqlite } from './sqlite-migrations.js';

const MIGRATIONS = [
    `CREATE TABLE secrets (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        connection_uid TEXT NOT NULL,
        ciphertext TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    )`
] as const;

const aad = (uid: string) => `connection:${uid}`;

/**
 * One per connection, named by the connection's uid. The only place its credentials exist: they
 * are sealed with the platform keyring (AES-256-GCM) and bound to the uid, and each write or read
 * through an older key moves them to the current one. Later issues add token refresh, the rate
 * limit and sync schedules here, where they are serialized per connection.
 */
export class ConnectionDO extends DurableObject<Env> {
    private migrated = false;

    private get sql(): SqlStorage {
        if (!this.migrated) {
            migrateSqlite(this.ctx.storage, MIGRATIONS);
            this.migrated = true;
        }
        return this.ctx.storage.sql;
    }

    /** `secretsJson`: the connection's ConnectionSecrets (workers/connections/credentials.ts) as JSON. */
    async saveSecrets(uid: string, secretsJson: string): Promise<void> {
        const keyring = await keyringFor(this.env);
        const ciphertext = await keyring.encrypt(secretsJson, aad(uid));
        this.sql.exec(
            `INSERT INTO secrets (id, connection_uid, ciphertext, updated_at) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET connection_uid = excluded.connection_uid, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
            uid,
            ciphertext,
            Date.now()
        );
    }

    async readSecrets(uid: string): Promise<string | null> {
        const row = this.sql.exec<{ connection_uid: string; ciphertext: string }>('SELECT connection_uid, ciphertext FROM secrets WHERE id = 1').toArray()[0];
        if (!row) return null;
        if (row.connection_uid !== uid) throw new Error('connection storage belongs to another connection');
        const keyring = await keyringFor(this.env);
        const secrets = await keyring.decrypt(row.ciphertext, aad(uid));
        if (keyring.isStale(row.ciphertext)) {
            const resealed = await keyring.encrypt(secrets, aad(uid));
            // Compare-and-swap: a save that landed while we were encrypting must win.
            this.sql.exec('UPDATE secrets SET ciphertext = ? WHERE id = 1 AND ciphertext = ?', resealed, row.ciphertext);
        }
        return secrets;
    }

    /** Deletes everything this connection stored. */
    async purge(): Promise<void> {
        await this.ctx.storage.deleteAlarm();
        await this.ctx.storage.deleteAll();
        this.migrated = false;
    }
}
