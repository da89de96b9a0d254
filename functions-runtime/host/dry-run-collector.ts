import type { BatchOptions, Checkpoint, HostResponse, LogEntry, StoredRecord, SyncRecord } from '../host-contract.js';
import { DeleteTracker } from './delete-tracker.js';
import type { DryRunCall } from './dry-run-call.js';
import { RunLocks } from './run-locks.js';

/** What a dry run reports: the same from the platform (`POST /functions/dryrun`) and from `spoke dryrun` run locally. */
export interface DryRunOutcome {
    records: Record<string, SyncRecord[]>;
    deletes: Record<string, SyncRecord[]>;
    /** Per model, the records the sandbox refused (they failed the model's schema). */
    rejected: Record<string, number>;
    logs: LogEntry[];
    checkpoint: Checkpoint | null;
    metadata: Record<string, unknown> | null;
    http: DryRunCall[];
}

type StoredPage = { records: StoredRecord[]; nextCursor: string | null };

/**
 * What a dry run keeps in memory instead of persisting, for the developer to read: records,
 * deletes, metadata and checkpoint writes, log lines and upstream calls. Its locks stay here too:
 * a dry run neither takes nor sees the locks of real runs. The platform's dry-run host and the
 * local one of `spoke dryrun` both collect through it; they differ in where they read from.
 */
export class DryRunCollector {
    readonly logs: LogEntry[] = [];
    readonly http: DryRunCall[] = [];
    readonly records: Record<string, SyncRecord[]> = {};
    readonly deletes: Record<string, SyncRecord[]> = {};
    readonly rejected: Record<string, number> = {};
    readonly locks = new RunLocks();
    checkpoint: Checkpoint | null;
    /** Null until the run (or the dry run's start) sets it: the connection's own then applies. */
    metadata: Record<string, unknown> | null;
    readonly #tracking = new DeleteTracker();

    constructor(start: { checkpoint?: Checkpoint | null; metadata?: Record<string, unknown> }) {
        this.checkpoint = start.checkpoint ?? null;
        this.metadata = start.metadata ?? null;
    }

    /** The call, listed with its status (0 when it got no answer) and duration. */
    async traced(method: string, url: string, call: () => Promise<HostResponse>): Promise<HostResponse> {
        const startedAt = Date.now();
        let status = 0;
        try {
            const response = await call();
            status = response.status;
            return response;
        } finally {
            this.http.push({ method, url, status, duration_ms: Date.now() - startedAt });
        }
    }

    /** `updateMetadata`: merged into what the run has set, or else into the connection's stored metadata. */
    mergeMetadata(metadata: Record<string, unknown>, stored: Record<string, unknown> | null): void {
        this.metadata = { ...(this.metadata ?? stored), ...metadata };
    }

    save(model: string, records: SyncRecord[], options: BatchOptions | undefined): void {
        this.#collect(model, records, options);
        this.#tracking.saved(model, records);
    }

    /** Nothing is stored, so an update shows as what it would save; as on the platform, it does not count for delete tracking. */
    update(model: string, records: SyncRecord[], options: BatchOptions | undefined): void {
        this.#collect(model, records, options);
    }

    delete(model: string, records: SyncRecord[]): void {
        (this.deletes[model] ??= []).push(...records);
    }

    trackDeletesStart(model: string): void {
        this.#tracking.start(model);
    }

    /**
     * Reports as deletes the stored records (`list` pages through them) not saved since the start,
     * deleting nothing; records this run already deleted are left out, as the platform would find them deleted.
     */
    async trackDeletesEnd(model: string, list: (cursor: string | undefined) => Promise<StoredPage>): Promise<{ deletedIds: string[] }> {
        const kept = this.#tracking.end(model);
        for (const record of this.deletes[model] ?? []) kept.add(String(record.id));
        const deletedIds: string[] = [];
        let cursor: string | undefined;
        do {
            const page = await list(cursor);
            deletedIds.push(...page.records.map((r) => String(r.id)).filter((id) => !kept.has(id)));
            cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        this.delete(model, deletedIds.map((id) => ({ id })));
        return { deletedIds };
    }

    /**
     * An action the run triggered, itself run as a dry run: its log lines and calls join this run's,
     * and on the same connection its metadata writes are this run's, as the rest of the run would see them.
     */
    join(nested: Pick<DryRunOutcome, 'logs' | 'http' | 'metadata'>, sameConnection: boolean): void {
        this.logs.push(...nested.logs);
        this.http.push(...nested.http);
        if (sameConnection && nested.metadata !== null) this.metadata = nested.metadata;
    }

    outcome(storedMetadata: Record<string, unknown> | null): DryRunOutcome {
        const { records, deletes, rejected, logs, checkpoint, http } = this;
        return { records, deletes, rejected, logs, checkpoint, metadata: this.metadata ?? storedMetadata, http };
    }

    #collect(model: string, records: SyncRecord[], options: BatchOptions | undefined) {
        (this.records[model] ??= []).push(...records);
        if (options?.rejected) this.rejected[model] = (this.rejected[model] ?? 0) + options.rejected;
    }
}
