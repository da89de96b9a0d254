// The `nango` object of syncs and their webhook handlers: the action's, plus the sync's context
// and its records.
import type { NangoSync } from '../sdk/nango.js';
import type { FunctionHost, InvocationContext } from '../host-contract.js';
import { SandboxNangoAction } from './nango-action.js';
import { assertDeclaredModel, prepareRecords, RECORDS_PER_CALL, sendInChunks, type BatchOperation } from './records.js';
import { SdkError } from './sdk-error.js';

export class SandboxNangoSync extends SandboxNangoAction implements NangoSync {
    readonly syncName: string | undefined;
    readonly variant: string;
    readonly lastSyncDate: Date | undefined;
    readonly #host: FunctionHost;
    readonly #models: ReadonlySet<string>;

    constructor(host: FunctionHost, context: InvocationContext, models: Iterable<string>) {
        super(host, context);
        this.#host = host;
        this.#models = new Set(models);
        this.syncName = context.syncName;
        this.variant = context.variant ?? 'base';
        this.lastSyncDate = context.lastSyncDate ? new Date(context.lastSyncDate) : undefined;
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
        assertDeclaredModel(this.#models, model, 'getRecordsByIds');
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

    async #batch(operation: BatchOperation, records: unknown, model: unknown): Promise<boolean> {
        if (Array.isArray(records) && records.length === 0) return true;
        assertDeclaredModel(this.#models, model, operation);
        const prepared = prepareRecords(operation, records);
        if (prepared.duplicates.length > 0) {
            await this.#host.log({
                level: 'error',
                message: `${operation}: ${prepared.duplicates.length} record(s) of model "${model}" repeat an id already in this call; the first record of each id was kept`,
                // The first ids are enough to find the cause; the count says how many there were.
                payload: { model, duplicateIds: prepared.duplicates.slice(0, 100) },
                at: Date.now()
            });
        }
        await sendInChunks(this.#host, operation, model, prepared.records);
        return true;
    }
}
