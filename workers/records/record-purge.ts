/** Rows per DELETE: large enough to purge quickly, small enough to keep each statement short on a shared shard. */
const DELETE_CHUNK = 5000;

/**
 * Hard-deletes the records matching `where` a chunk at a time, so no single statement runs long
 * however many there are. (`records` has a rowid: its rows are too large for WITHOUT ROWID.)
 */
export async function deleteRecordsInChunks(db: D1Database, where: string, ...binds: unknown[]): Promise<void> {
    const statement = db.prepare(`DELETE FROM records WHERE rowid IN (SELECT rowid FROM records WHERE ${where} LIMIT ${DELETE_CHUNK})`).bind(...binds);
    let deleted: number;
    do deleted = (await statement.run()).meta.changes;
    while (deleted === DELETE_CHUNK);
}

/**
 * Removes everything a deleted connection had in a shard: its records and its sequence (its uid
 * is never reused). Run counts are per run, and the run's own end clears them.
 */
export async function deleteConnectionRecords(db: D1Database, connectionUid: string): Promise<void> {
    await deleteRecordsInChunks(db, 'connection_uid = ?1', connectionUid);
    await db.prepare('DELETE FROM record_sequences WHERE connection_uid = ?1').bind(connectionUid).run();
}
