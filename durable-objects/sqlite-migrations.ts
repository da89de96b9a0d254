/**
 * Forward-only schema migrations for a Durable Object's SQLite database. Each entry runs once, in
 * order, inside a transaction with the bookkeeping row, so a failed step leaves nothing half-done.
 */
export function migrateSqlite(storage: DurableObjectStorage, migrations: readonly string[]): void {
    storage.transactionSync(() => {
        storage.sql.exec('CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
        const applied = storage.sql.exec<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM _migrations').one().version;
        for (let version = applied + 1; version <= migrations.length; version++) {
            storage.sql.exec(migrations[version - 1]!);
            storage.sql.exec('INSERT INTO _migrations (version, applied_at) VALUES (?, ?)', version, Date.now());
        }
    });
}
