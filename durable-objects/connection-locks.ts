/** Appended to the ConnectionDO's migrations. */
export const CONNECTION_LOCKS_MIGRATIONS = [
    `CREATE TABLE locks (
        key TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    )`
] as const;

/**
 * Functions' locks on a connection (`nango.tryAcquireLock`): one holder per key, the function run
 * that took it, until it releases it, its run ends, or its ttl runs out. An expired lock is free
 * for the next taker, so a run that died holding one blocks the others only until then.
 */
export class ConnectionLocks {
    constructor(private readonly sql: SqlStorage) {}

    /** True when `owner` now holds the lock; taking it again starts its ttl over. */
    tryAcquire(owner: string, key: string, ttlMs: number, now: number): boolean {
        // One statement: the upsert writes only when the lock is free, expired, or already the owner's.
        const { rowsWritten } = this.sql.exec(
            `INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
             WHERE locks.owner = excluded.owner OR locks.expires_at <= ?`,
            key,
            owner,
            now + ttlMs,
            now
        );
        return rowsWritten > 0;
    }

    /** True when `owner` held the lock (and it had not expired). */
    release(owner: string, key: string, now: number): boolean {
        const held = this.sql.exec('SELECT 1 FROM locks WHERE key = ? AND owner = ? AND expires_at > ?', key, owner, now).toArray().length > 0;
        this.sql.exec('DELETE FROM locks WHERE key = ? AND (owner = ? OR expires_at <= ?)', key, owner, now);
        return held;
    }

    /** Releases every lock of `owner`, and forgets expired ones. */
    releaseAll(owner: string, now: number): void {
        this.sql.exec('DELETE FROM locks WHERE owner = ? OR expires_at <= ?', owner, now);
    }
}
