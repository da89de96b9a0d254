import { WorkerEntrypoint } from 'cloudflare:workers';
import type {
    BatchOptions,
    Checkpoint,
    ConnectionRequest,
    ConnectionView,
    EnvironmentVariable,
    FunctionHost as HostContract,
    HostFetchRequest,
    HostProxyRequest,
    HostResponse,
    IntegrationInclude,
    IntegrationView,
    LogEntry,
    StoredRecord,
    SyncControl,
    SyncRecord,
    SyncRunFlags
} from '../host-contract.js';
import { writeMetadata } from '../../workers/connections/connections.js';
import { recordMessage } from '../../workers/operations/operation-log.js';
import { nestedOutput, runNestedAction } from '../nested-action.js';
import { guardDeadline } from './deadline-guard.js';
import { HostCore } from './host-core.js';
import type { HostProps } from './host-props.js';
import { lockOwner } from './lock-owner.js';
import { RecordAccess } from './record-access.js';

/**
 * The platform side of a function run: the only capability its sandbox holds. Scoped by its props
 * to one environment, connection and run; it injects credentials into the calls it makes and never
 * hands them over.
 */
export class FunctionHost extends WorkerEntrypoint<Env, HostProps> implements HostContract {
    static {
        guardDeadline(this.prototype, (host) => host.core.checkDeadline());
    }

    private readonly core = new HostCore(this.env, this.ctx.props, (work) => this.ctx.waitUntil(work));

    proxy(request: HostProxyRequest): Promise<HostResponse> {
        return this.core.proxy(request);
    }

    uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        return this.core.uncontrolledFetch(request);
    }

    getConnection(options?: ConnectionRequest): Promise<ConnectionView> {
        return this.core.getConnection(options);
    }

    getIntegration(include: IntegrationInclude[]): Promise<IntegrationView> {
        return this.core.getIntegration(include);
    }

    getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return this.core.getEnvironmentVariables();
    }

    setMetadata(metadata: Record<string, unknown>): Promise<void> {
        return this.#writeMetadata(metadata, 'replace');
    }

    updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        return this.#writeMetadata(metadata, 'merge');
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        const json = await this.#storage().getCheckpoint(this.ctx.props.checkpointKey);
        return json === null ? null : (JSON.parse(json) as Checkpoint);
    }

    /** Saved at once; past a sync invocation's time budget, the answer tells the sandbox to end the invocation here. */
    async saveCheckpoint(checkpoint: Checkpoint): Promise<boolean> {
        await this.#storage().saveCheckpoint(this.ctx.props.checkpointKey, JSON.stringify(checkpoint));
        const interruptAt = this.ctx.props.sync?.interruptAt ?? null;
        return interruptAt !== null && Date.now() >= interruptAt;
    }

    async clearCheckpoint(): Promise<void> {
        await this.#storage().clearCheckpoint(this.ctx.props.checkpointKey);
    }

    /** Written after the answer, so a function doesn't wait for the database on each line; lines are read back in the order of their `at`. */
    async log(entry: LogEntry): Promise<void> {
        const { ref, operationId } = this.ctx.props;
        const message = { operationId, environmentId: ref.row.environmentId, level: entry.level, message: entry.message, payload: entry.payload, at: entry.at };
        this.ctx.waitUntil(recordMessage(this.core.db, message).catch((error: unknown) => console.error('could not record a log line', error)));
    }

    async triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown> {
        const ctx = { env: this.env, exports: this.ctx.exports, waitUntil: (work: Promise<unknown>) => this.ctx.waitUntil(work) };
        return nestedOutput(await runNestedAction(ctx, this.ctx.props, { providerConfigKey, connectionId, actionName, input }));
    }

    triggerSync(control: SyncControl, flags: SyncRunFlags): Promise<void> {
        return this.core.triggerSync(control, flags);
    }

    startSync(control: SyncControl): Promise<void> {
        return this.core.startSync(control);
    }

    /** Held in the connection's Durable Object, owned by this run (its operation). */
    tryAcquireLock(key: string, ttlMs: number): Promise<boolean> {
        return this.#storage().tryAcquireLock(this.#lockOwner(), this.core.lockKey(key), this.core.lockTtl(ttlMs));
    }

    releaseLock(key: string): Promise<boolean> {
        return this.#storage().releaseLock(this.#lockOwner(), this.core.lockKey(key));
    }

    releaseAllLocks(): Promise<void> {
        return this.#storage().releaseAllLocks(this.#lockOwner());
    }

    async batchSave(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        await this.#records().save(model, records, options);
    }

    async batchUpdate(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void> {
        const missing = await this.#records().update(model, records, options);
        if (missing.length) {
            await this.log({ level: 'warn', message: `batchUpdate: ${missing.length} record(s) of model "${model}" are not stored and were ignored`, payload: { model, ids: missing.slice(0, 100) }, at: Date.now() });
        }
    }

    async batchDelete(model: string, records: SyncRecord[]): Promise<void> {
        await this.#records().delete(model, records);
    }

    getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]> {
        return this.#records().byIds(model, ids);
    }

    listRecords(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
        return this.#records().list(model, options);
    }

    trackDeletesStart(model: string): Promise<void> {
        return this.#records().trackDeletesStart(model);
    }

    async trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }> {
        return this.#records().trackDeletesEnd(model);
    }

    #records(): RecordAccess {
        return new RecordAccess(this.env, this.ctx.props);
    }

    async #writeMetadata(metadata: Record<string, unknown>, mode: 'replace' | 'merge') {
        const { ref } = this.ctx.props;
        await writeMetadata(this.core.db, ref.row.environmentId, ref.integration.uniqueKey, [ref.row.connectionId], metadata, mode);
    }

    #lockOwner(): string {
        return lockOwner(this.ctx.props.operationId);
    }

    #storage() {
        return this.env.CONNECTION.getByName(this.ctx.props.ref.row.uid);
    }
}
