// The `nango` object of syncs and their webhook handlers: the action's, plus the sync's context
// and its records.
import type { ListRecordsOptions, MergingStrategy, NangoSync, RecordMetadata } from '../sdk/nango.js';
import type { BatchOptions, FunctionHost, InvocationContext } from '../host-contract.js';
import type { Interruption } from './interruption.js';
import { SandboxNangoAction } from './nango-action.js';
import { ModelSchemas, rejectionsLog } from './record-validation.js';
import { assertDeclaredModel, duplicatesLog, prepareRecords, RECORDS_PER_CALL, sendInChunks, type BatchOperation } from './records.js';
import { SdkError } from './sdk-error.js';

export class SandboxNangoSync extends SandboxNangoAction implements NangoSync {
    readonly syncName: string | undefined;
    readonly variant: string;
    readonly lastSyncDate: Date | undefined;
    readonly track_deletes: boolean;
    readonly emptyCache: boolean;
    readonly #host: FunctionHost;
    readonly #interruption: Interruption;
    readonly #models: ModelSchemas;
    /** Per model, when `ignore_if_modified_after` was set (Unix ms). */
    readonly #ignoreIfModifiedAfter = new Map<string, number>();

    /** `models` are the definition's: zod schemas by model name. */
    constructor(host: FunctionHost, context: InvocationContext, models: Record<string, unknown>, interruption: Interruption, scriptType: 'sync' | 'webhook' = 'sync') {
        super(host, context, interruption, scriptType);
        this.#host = host;
        this.#interruption = interruption;
        this.#models = new ModelSchemas(models);
        this.syncName = context.syncName;
        this.variant = context.variant ?? 'base';
        this.lastSyncDate = context.lastSyncDate ? new Date(context.lastSyncDate) : undefined;
        this.track_deletes = this.syncConfig?.track_deletes ?? false;
        this.emptyCache = context.emptyCache === true;
    }

    batchSave(records: object[], model: string): Promise<boolean> {
        return this.#batch('batchSave', records, model);
    }
    batchUpdate(records: object[], model: string): Promise<boolean> {
        return this.#batch('batchUpdate', records, model);
    }
    batchDelete(records: object[], model: string): Promise<boolean> {
        return this.#batch('batchDelete', records, model);
    }

    async getRecordsByIds<K extends string | number, T>(ids: K[], model: string): Promise<Map<K, T>> {
        this.#interruption.check();
        assertDeclaredModel(this.#models.names, model, 'getRecordsByIds');
        if (!Array.isArray(ids)) throw new SdkError('invalid_sync_record', 'getRecordsByIds: ids must be an array');
        // Stored ids are compared as strings; the map is keyed by the ids as the caller gave them.
        const requested = new Map(ids.map((id) => [String(id), id]));
        const unique = [...requested.values()];
        const found = new Map<K, T>();
        for (let start = 0; start < unique.length; start += RECORDS_PER_CALL) {
            for (const record of await this.#host.getRecordsByIds(model, unique.slice(start, start + RECORDS_PER_CALL))) {
                const id = requested.get(String(record['id']));
                if (id !== undefined) found.set(id, record as T);
            }
        }
        return found;
    }

    /** Yields the stored records one by one, a page of the host's at a time. */
    async *listRecords<T = Record<string, any>>(model: string, options: ListRecordsOptions = {}): AsyncGenerator<T & { _nango_metadata: RecordMetadata }, void, undefined> {
        this.#interruption.check();
        assertDeclaredModel(this.#models.names, model, 'listRecords');
        let cursor = options.cursor;
        for (;;) {
            const page = await this.#host.listRecords(model, cursor === undefined ? { limit: RECORDS_PER_CALL } : { cursor, limit: RECORDS_PER_CALL });
            for (const record of page.records) {
                yield record as T & { _nango_metadata: RecordMetadata };
                // Function code ran meanwhile, and may have been interrupted.
                this.#interruption.check();
            }
            if (page.nextCursor === null) return;
            cursor = page.nextCursor;
        }
    }

    async setMergingStrategy(merging: MergingStrategy, model: string): Promise<void> {
        this.#interruption.check();
        assertDeclaredModel(this.#models.names, model, 'setMergingStrategy');
        const strategy = (merging as Partial<MergingStrategy> | null | undefined)?.strategy;
        if (strategy === 'override') this.#ignoreIfModifiedAfter.delete(model);
        else if (strategy === 'ignore_if_modified_after') this.#ignoreIfModifiedAfter.set(model, Date.now());
        else throw new SdkError('invalid_merging_strategy', `setMergingStrategy: strategy must be "override" or "ignore_if_modified_after", not ${JSON.stringify(strategy) ?? 'undefined'}`);
    }

    async trackDeletesStart(model: string): Promise<void> {
        this.#interruption.check();
        assertDeclaredModel(this.#models.names, model, 'trackDeletesStart');
        await this.#host.trackDeletesStart(model);
    }

    async trackDeletesEnd(model: string): Promise<{ deletedKeys: string[] }> {
        this.#interruption.check();
        assertDeclaredModel(this.#models.names, model, 'trackDeletesEnd');
        const { deletedIds } = await this.#host.trackDeletesEnd(model);
        return { deletedKeys: deletedIds };
    }

    async #batch(operation: BatchOperation, records: unknown, model: unknown): Promise<boolean> {
        this.#interruption.check();
        if (Array.isArray(records) && records.length === 0) return true;
        assertDeclaredModel(this.#models.names, model, operation);
        const prepared = prepareRecords(operation, records);
        if (prepared.dropped > 0) await this.#host.log(duplicatesLog(operation, model, prepared));
        if (operation === 'batchDelete') {
            await sendInChunks(this.#host, operation, model, prepared.records, {});
            return true;
        }
        const checked = this.#models.check(operation, model, prepared.records);
        if (checked.rejected > 0) await this.#host.log(rejectionsLog(operation, model, checked));
        const options: BatchOptions = {};
        if (checked.rejected > 0) options.rejected = checked.rejected;
        const since = this.#ignoreIfModifiedAfter.get(model);
        if (since !== undefined) options.ignoreIfModifiedAfter = since;
        await sendInChunks(this.#host, operation, model, checked.valid, options);
        return true;
    }
}
