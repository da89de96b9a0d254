import { WorkerEntrypoint } from 'cloudflare:workers';
import type { Checkpoint, ConnectionView, EnvironmentVariable, FunctionHost as HostContract, HostFetchRequest, HostProxyRequest, HostResponse, LogEntry } from '../host-contract.js';
import { writeMetadata } from '../../workers/connections/connections.js';
import { recordMessage } from '../../workers/operations/operation-log.js';
import { triggerNestedAction } from '../nested-action.js';
import { HostCore } from './host-core.js';
import type { HostProps } from './host-props.js';

/** Actions and event functions; records methods come with the sync engine. */
export type RunHost = Omit<HostContract, 'batchSave' | 'batchDelete' | 'batchUpdate' | 'getRecordsByIds'>;

/**
 * The platform side of a function run: the only capability its sandbox holds. Scoped by its props
 * to one environment, connection and run; it injects credentials into the calls it makes and never
 * hands them over.
 */
export class FunctionHost extends WorkerEntrypoint<Env, HostProps> implements RunHost {
    private readonly core = new HostCore(this.env, this.ctx.props, (work) => this.ctx.waitUntil(work));

    proxy(request: HostProxyRequest): Promise<HostResponse> {
        return this.core.proxy(request);
    }

    uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse> {
        return this.core.uncontrolledFetch(request);
    }

    getConnection(options?: { providerConfigKey?: string; connectionId?: string; forceRefresh?: boolean }): Promise<ConnectionView> {
        return this.core.getConnection(options);
    }

    getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        return this.core.getEnvironmentVariables();
    }

    setMetadata(metadata: Record<string, unknown>): Promise<void> {
        return this.writeMetadata(metadata, 'replace');
    }

    updateMetadata(metadata: Record<string, unknown>): Promise<void> {
        return this.writeMetadata(metadata, 'merge');
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        const json = await this.storage().getCheckpoint(this.ctx.props.checkpointKey);
        return json === null ? null : (JSON.parse(json) as Checkpoint);
    }

    async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
        this.core.checkDeadline();
        await this.storage().saveCheckpoint(this.ctx.props.checkpointKey, JSON.stringify(checkpoint));
    }

    async clearCheckpoint(): Promise<void> {
        this.core.checkDeadline();
        await this.storage().clearCheckpoint(this.ctx.props.checkpointKey);
    }

    async log(entry: LogEntry): Promise<void> {
        const { ref, operationId } = this.ctx.props;
        await recordMessage(this.core.db, { operationId, environmentId: ref.row.environmentId, level: entry.level, message: entry.message, payload: entry.payload, at: entry.at });
    }

    triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown> {
        this.core.checkDeadline();
        return triggerNestedAction({ env: this.env, exports: this.ctx.exports, waitUntil: (w) => this.ctx.waitUntil(w) }, this.ctx.props, { providerConfigKey, connectionId, actionName, input });
    }

    private async writeMetadata(metadata: Record<string, unknown>, mode: 'replace' | 'merge') {
        this.core.checkDeadline();
        const { ref } = this.ctx.props;
        await writeMetadata(this.core.db, ref.row.environmentId, ref.integration.uniqueKey, [ref.row.connectionId], metadata, mode);
    }

    private storage() {
        return this.env.CONNECTION.getByName(this.ctx.props.ref.row.uid);
    }
}
