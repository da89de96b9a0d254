import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The records databases (shards RECORDS, RECORDS_1…), apart from the control plane so that sync
// data neither fills nor slows it down. Every shard has this schema; a connection's records all
// live in one shard (connections.records_shard). Timestamps are Unix milliseconds.

/** What syncs store: the latest payload of each record, and when and how it last changed. */
export const records = sqliteTable(
    'records',
    {
        /** The connection's `uid` (never reused, unlike its connection id). */
        connectionUid: text('connection_uid').notNull(),
        model: text('model').notNull(),
        /** `base` when the sync has no variant. */
        variant: text('variant').notNull(),
        /** The record's id at the provider, as a string (the payload keeps its original type). */
        id: text('id').notNull(),
        /** The payload as canonical JSON (keys sorted, no whitespace); `{"id":…}` once pruned. */
        data: text('data').notNull(),
        /** SHA-256 of the canonical JSON: equal hashes mean an unchanged record. Kept when pruned. */
        hash: text('hash').notNull(),
        /** Equal to last_modified_at while the record has not changed since it was added (or undeleted). */
        firstSeenAt: integer('first_seen_at').notNull(),
        lastModifiedAt: integer('last_modified_at').notNull(),
        deletedAt: integer('deleted_at'),
        prunedAt: integer('pruned_at'),
        /** Per connection, increases with every change; (last_modified_at, seq) is the listing order. */
        seq: integer('seq').notNull()
    },
    (t) => [
        primaryKey({ columns: [t.connectionUid, t.model, t.variant, t.id] }),
        // pruned_at rides along so that pruning finds the records it has not pruned yet from the
        // index alone, without reading every already pruned row.
        index('records_changes_idx').on(t.connectionUid, t.model, t.variant, t.lastModifiedAt, t.seq, t.prunedAt)
    ]
);

/**
 * Per connection, the last sequence number and timestamp given to a change. Every write bumps
 * both in the transaction that writes the records, so listing order equals commit order.
 */
export const recordSequences = sqliteTable('record_sequences', {
    connectionUid: text('connection_uid').primaryKey(),
    lastSeq: integer('last_seq').notNull(),
    /** Increases with every write, even within one millisecond, so an update never looks like an add. */
    lastTs: integer('last_ts').notNull()
});

/** What a sync run did to each model, written in the same transaction as the records themselves. */
export const runCounts = sqliteTable(
    'run_counts',
    {
        runId: text('run_id').notNull(),
        model: text('model').notNull(),
        added: integer('added').notNull().default(0),
        updated: integer('updated').notNull().default(0),
        deleted: integer('deleted').notNull().default(0),
        unchanged: integer('unchanged').notNull().default(0),
        /** Records the sandbox rejected (schema or size). */
        invalid: integer('invalid').notNull().default(0)
    },
    (t) => [primaryKey({ columns: [t.runId, t.model] })]
);
