import type { BatchOptions, StoredRecord, SyncRecord } from '../host-contract.js';
import { listRecords } from '../../workers/records/list-records.js';
import { storedRecord } from '../../workers/records/record-response.js';
import type { RecordScope, WriteOptions } from '../../workers/records/record-scope.js';
import { endDeleteTracking } from '../../workers/records/delete-tracking.js';
import { deleteRecords, saveRecords, updateRecords } from '../../workers/records/record-writes.js';
import { recordsDb } from '../../workers/records/records-shards.js';
import { getRecordsByIds } from '../../workers/records/stored-records.js';
import { trackDeletesNotStarted } from './delete-tracker.js';
import type { HostProps, SyncScope } from './host-props.js';

const MAX_PAGE = 1000;

/**
 * A run's records: only syncs (and their webhook handlers) have them, and only of the models the
 * deployed sync declares, in the run's variant. Writes count towards the run's results.
 */
export class RecordAccess {
    private readonly sync: SyncScope;

    constructor(
        private readonly env: Env,
        private readonly props: HostProps
    ) {
        if (!props.sync) throw new Error('records_unavailable: only syncs and their webhook handlers have records');
        this.sync = props.sync;
    }

    scope(model: string): RecordScope {
        if (!this.sync.models.includes(model)) throw new Error(`unknown_model: "${model}" is not a model of the sync ${this.sync.syncName}`);
        return { db: recordsDb(this.env, this.props.ref.row.recordsShard), connectionUid: this.props.ref.row.uid, model, variant: this.sync.variant };
    }

    private writeOptions(options: BatchOptions = {}): WriteOptions {
        return {
            runId: this.sync.runId,
            ...(options.rejected !== undefined && { rejected: options.rejected }),
            ...(options.ignoreIfModifiedAfter !== undefined && { ignoreIfModifiedAfter: options.ignoreIfModifiedAfter })
        };
    }

    async save(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        const scope = this.scope(model);
        // Saved, changed or not, is what delete tracking asks about. Side by side: an id marked
        // seen whose save then failed only keeps a record that exists from being deleted.
        await Promise.all([saveRecords(scope, records, this.writeOptions(options)), records.length ? this.stub().markSeen(model, this.sync.variant, records.map((r) => String(r.id))) : null]);
    }

    /** Answers the ids that matched no stored record. */
    async update(model: string, records: SyncRecord[], options?: BatchOptions): Promise<string[]> {
        return (await updateRecords(this.scope(model), records, this.writeOptions(options))).missing;
    }

    async delete(model: string, records: SyncRecord[]): Promise<void> {
        await deleteRecords(this.scope(model), records.map((r) => r.id), { runId: this.sync.runId });
    }

    byIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        return getRecordsByIds(this.scope(model), ids);
    }

    async list(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
        const page = await listRecords(this.scope(model), { cursor: options.cursor, limit: Math.min(Math.max(options.limit ?? MAX_PAGE, 1), MAX_PAGE), includeDeleted: false });
        return { records: page.records.map(storedRecord), nextCursor: page.nextCursor };
    }

    async trackDeletesStart(model: string): Promise<void> {
        this.scope(model);
        await this.stub().trackDeletesStart(this.sync.syncName, model, this.sync.variant);
    }

    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        const scope = this.scope(model);
        const stub = this.stub();
        if (!(await stub.isTrackingDeletes(model, this.sync.variant))) {
            throw trackDeletesNotStarted(model);
        }
        return { deletedIds: await endDeleteTracking(stub, scope, this.sync.runId) };
    }

    private stub() {
        return this.env.CONNECTION.getByName(this.props.ref.row.uid);
    }
}
