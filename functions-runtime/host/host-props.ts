import type { ResolvedProvider } from '../../workers/catalog/provider-registry.js';
import type { ConnectionRef } from '../../workers/connections/connections.js';
import type { EgressSettings } from '../../workers/proxy/egress-settings.js';

/**
 * What scopes a host to one run: the environment, the connection (index rows, no secrets), its
 * provider, and the run itself. Plain data, so it can travel as a WorkerEntrypoint's props.
 */
export interface HostProps {
    /** The run's operation: its HTTP calls and log lines hang under it. */
    operationId: number;
    environmentName: string;
    ref: ConnectionRef;
    provider: ResolvedProvider;
    egress: EgressSettings;
    functionName: string;
    /** Where the function's checkpoint lives in the ConnectionDO. */
    checkpointKey: string;
    /** Unix ms after which the host refuses further calls. */
    deadline: number;
    /** The platform's public URL (SPOKE_SERVER_URL, or the origin of the request that started the run); null when unknown. */
    publicUrl: string | null;
    /** How deep in `triggerAction` calls this run is. */
    depth: number;
    /** For syncs and their webhook handlers: where their records go, and the time budget. */
    sync?: SyncScope;
}

export interface SyncScope {
    syncName: string;
    /** The sync run whose record counts the writes add to; null outside a scheduled run. */
    runId: string | null;
    variant: string;
    models: string[];
    /** Unix ms after which a saved checkpoint ends the invocation; null: never. */
    interruptAt: number | null;
}
