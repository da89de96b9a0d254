/**
 * The contract between a function's sandbox and the platform.
 *
 * Function code runs in a dynamically loaded Worker with no network and no credentials. Its
 * `nango` object (functions-runtime/sandbox/) turns every call that needs the outside world into
 * a call on a `FunctionHost`. Three hosts implement it:
 * - the RPC host of the platform (functions-runtime/host/), a WorkerEntrypoint scoped to one
 *   environment, connection and run;
 * - the dry-run host, the same but persisting nothing (`spoke dryrun`);
 * - the replay host of `spoke test`, answering from a recorded file.
 *
 * Everything crossing this boundary is plain data (structured-clonable). No credential ever does:
 * where function code asks for one, it gets a placeholder (`credentialPlaceholder`) that the host
 * replaces with the real value only on requests to the provider's own hosts.
 */
import type { Connection, EnvironmentVariable, Integration, RecordMetadata } from './sdk/nango.js';

// What function code's SDK types (sdk/nango.ts) already describe crosses the boundary as they are.
export type { EnvironmentVariable, RecordMetadata };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Query parameters as function code gives them: an object (arrays are comma-joined) or a raw query string. */
export type QueryParams = Record<string, string | number | boolean | (string | number)[] | undefined> | string;

/**
 * The query a request to the provider sends, in order: the endpoint's own `query`, then `params`.
 * A string's pairs are added as they are, repeated names kept; an object's values replace the
 * endpoint's of the same name, arrays comma-joined, undefined left out, anything else as `String()`
 * gives it (so null is "null"). The platform and `spoke test` both read requests this way.
 */
export function queryEntries(params: QueryParams | undefined, query = ''): [string, string][] {
    const entries = new URLSearchParams(query);
    if (typeof params === 'string') new URLSearchParams(params).forEach((value, name) => entries.append(name, value));
    else {
        for (const [name, value] of Object.entries(params ?? {})) {
            if (value !== undefined) entries.set(name, Array.isArray(value) ? value.join(',') : String(value));
        }
    }
    return [...entries];
}

/** A request to the connection's provider, as `nango.proxy()` describes it. */
export interface HostProxyRequest {
    method: HttpMethod;
    /** Path and optional query below the provider's base URL. */
    endpoint: string;
    /** Another base URL (the platform's egress policy applies). */
    baseUrlOverride?: string;
    params?: QueryParams;
    headers?: Record<string, string>;
    /** A JSON value, a string sent as is, or bytes. */
    data?: unknown;
    /** How many times to retry on network errors, 5xx, 429, 401 and the provider's own retry statuses. */
    retries?: number;
    /** Extra statuses to retry (only with `retries`). */
    retryOn?: number[];
    decompress?: boolean;
    /** Response headers that say how long to wait before retrying, instead of the provider's own (`at`: a time, `after`: seconds). */
    retryHeader?: RetryHeader;
    /** Keep the request's headers on a redirect that leaves the provider's API hosts; credentials never go there. */
    forwardHeadersOnRedirect?: boolean;
    /** Call through another connection of the same environment. */
    providerConfigKey?: string;
    connectionId?: string;
}

/** Names of response headers holding the wait before a retry: `at` a Unix time (seconds or ms), `after` a number of seconds. */
export interface RetryHeader {
    at?: string;
    after?: string;
}

/** Any upstream answer, whatever its status; the sandbox turns it into an Axios-shaped response or error. */
export interface HostResponse {
    status: number;
    statusText: string;
    /** Lower-case names. */
    headers: Record<string, string>;
    body: ArrayBuffer;
}

/** `nango.uncontrolledFetch()`: no auth, no retries, egress policy enforced. */
export interface HostFetchRequest {
    url: string;
    method?: HttpMethod;
    headers?: Record<string, string>;
    body?: string | ArrayBuffer;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
    level: LogLevel;
    message: string;
    payload?: unknown;
    /** Unix ms. */
    at: number;
}

/** The connection as function code sees it: everything but the credentials' secret values (placeholders, see `credentialPlaceholder`; `raw` is always `{}`). */
export type ConnectionView = Connection;

export type IntegrationInclude = 'webhook' | 'credentials';

/** The run's integration, as `GET /integrations/:key` answers it. */
export type IntegrationView = Integration;

/** Which sync schedules a sync-control call is about, as `POST /sync/trigger` and `/sync/start` name them. */
export interface SyncControl {
    providerConfigKey: string;
    /** Every connection of the integration when absent. */
    connectionId?: string;
    /** Every sync of the integration when empty; a sync without a variant means its base variant. */
    syncs: { name: string; variant?: string }[];
}

/** How a triggered run starts: `reset` from scratch (no checkpoint, no lastSyncDate), `emptyCache` also deleting the records first. */
export interface SyncRunFlags {
    reset?: boolean;
    emptyCache?: boolean;
}

/** Flat: strings, numbers and booleans, at most 16 keys (reference §2.5). */
export type Checkpoint = Record<string, string | number | boolean>;

/** Records a sync saves; `id` is the record's id at the provider. */
export type SyncRecord = { id: string | number } & Record<string, unknown>;

/** What the sandbox tells the host along with a batch of records. */
export interface BatchOptions {
    /** Records of this call the sandbox refused (they failed the model's schema, or were too large); counted in the run's result. */
    rejected?: number;
    /** `setMergingStrategy({ strategy: 'ignore_if_modified_after' })`: records modified after this time (Unix ms) by something else are left alone. */
    ignoreIfModifiedAfter?: number;
}

/** A stored record as functions and the records API read it: its payload plus `_nango_metadata`. */
export type StoredRecord = Record<string, unknown> & { id: string | number; _nango_metadata: RecordMetadata };

export interface ConnectionRequest {
    providerConfigKey?: string;
    connectionId?: string;
    forceRefresh?: boolean;
    refreshToken?: boolean;
}

export interface FunctionHost {
    proxy(request: HostProxyRequest): Promise<HostResponse>;
    uncontrolledFetch(request: HostFetchRequest): Promise<HostResponse>;
    /** The refresh token (a placeholder) is left out unless `refreshToken`. */
    getConnection(options?: ConnectionRequest): Promise<ConnectionView>;
    getIntegration(include: IntegrationInclude[]): Promise<IntegrationView>;
    setMetadata(metadata: Record<string, unknown>): Promise<void>;
    updateMetadata(metadata: Record<string, unknown>): Promise<void>;
    getCheckpoint(): Promise<Checkpoint | null>;
    /**
     * Persists the checkpoint at once. Answers `true` when a sync run has spent its time budget: the
     * sandbox then ends the run cleanly and the platform continues it from this checkpoint.
     */
    saveCheckpoint(checkpoint: Checkpoint): Promise<boolean>;
    clearCheckpoint(): Promise<void>;
    getEnvironmentVariables(): Promise<EnvironmentVariable[]>;
    triggerAction(providerConfigKey: string, connectionId: string, actionName: string, input?: unknown): Promise<unknown>;
    /** Runs the syncs now, or right after their run under way. */
    triggerSync(control: SyncControl, flags: SyncRunFlags): Promise<void>;
    /** Unpauses the syncs' schedules; a paused one also runs at once. */
    startSync(control: SyncControl): Promise<void>;
    // Locks on the run's connection, owned by the run: released when it ends, or when their ttl runs out.
    /** True when the run now holds the lock (again, if it already did: the ttl starts over); false when another run holds it. */
    tryAcquireLock(key: string, ttlMs: number): Promise<boolean>;
    /** True when the run held the lock. */
    releaseLock(key: string): Promise<boolean>;
    releaseAllLocks(): Promise<void>;
    log(entry: LogEntry): Promise<void>;
    // Records (syncs and webhook handlers), of the run's sync variant. The dry-run and replay hosts
    // collect them; the run host persists them. At most 1,000 records per call.
    /** Upserts by id; the sandbox has already removed duplicate ids (the last of each wins). */
    batchSave(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void>;
    /** Soft-deletes by id. */
    batchDelete(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void>;
    /** Deep-merges into existing records (arrays replaced); unknown ids are ignored. */
    batchUpdate(model: string, records: SyncRecord[], options?: BatchOptions): Promise<void>;
    /** The stored, not deleted records with these ids (their payloads, without metadata). */
    getRecordsByIds(model: string, ids: (string | number)[]): Promise<Record<string, unknown>[]>;
    /** A page of the stored records that are not deleted, in modification order (`nango.listRecords` walks them all). */
    listRecords(model: string, options: { cursor?: string; limit?: number }): Promise<{ records: StoredRecord[]; nextCursor: string | null }>;
    /** Starts tracking which records of `model` get saved; kept if already started, so it spans interrupted runs. */
    trackDeletesStart(model: string): Promise<void>;
    /** Soft-deletes the records of `model` not saved since `trackDeletesStart`, and stops tracking. Throws without a start. */
    trackDeletesEnd(model: string): Promise<{ deletedIds: string[] }>;
}

/** What the platform asks the sandbox to run. */
export interface Invocation {
    kind: 'sync' | 'action' | 'on-event' | 'webhook';
    /** The action's input, or the webhook's payload. */
    input?: unknown;
    context: InvocationContext;
}

export interface InvocationContext {
    runId: string;
    environmentId: string;
    environmentName: string;
    providerConfigKey: string;
    connectionId: string;
    /** The connection's numeric id (`id` in the API's answers). */
    connectionNumber?: number;
    provider: string;
    /** The function's name and configuration (what `spoke compile` produced). */
    functionName?: string;
    config?: Record<string, unknown>;
    /** The sync's schedule on this connection (`id` in `GET /sync/status`). */
    syncId?: string;
    /** The sync run, for scheduled runs. */
    syncJobId?: string;
    /** The run was triggered with `emptyCache`: the sync's records were deleted before it started. */
    emptyCache?: boolean;
    /** The provider's default paginator (`proxy.paginate` in its catalog entry), if any. */
    paginate?: Record<string, unknown>;
    syncName?: string;
    variant?: string;
    /** Start of the last successful sync run (ISO), for syncs. */
    lastSyncDate?: string;
    dryRun: boolean;
}

/** Why a run failed; the platform maps `type` to the API's error codes. */
export interface RunError {
    /** `action_error`: the function threw ActionError. `http_error`: an upstream call failed and was not caught. */
    type: 'action_error' | 'http_error' | 'invalid_input' | 'invalid_output' | 'runtime_error';
    /** For a `runtime_error` the SDK raised because the function misused it: its stable code (`invalid_sync_record`, …). */
    code?: string;
    message: string;
    /** ActionError's payload, or the zod issues for invalid input/output. */
    payload?: unknown;
    /** For `http_error`: what the provider answered. */
    upstream?: { status: number; headers: Record<string, string>; data: unknown };
    /** The function's stack, for the operation log. */
    stack?: string;
}

/** `interrupted`: a sync run spent its time budget at a `saveCheckpoint` and ended there, to be continued. */
export type RunResult = { ok: true; output: unknown; interrupted?: true } | { ok: false; error: RunError };

/** The sandbox's entrypoint (the loaded Worker's default export). */
export interface SandboxEntrypoint {
    run(host: FunctionHost, invocation: Invocation): Promise<RunResult>;
}

const PLACEHOLDER_PREFIX = 'spoke-credential-placeholder:';

/** Stands in for a secret credential field inside the sandbox; the host swaps the real value in, only towards the provider. */
export function credentialPlaceholder(field: string): string {
    return `${PLACEHOLDER_PREFIX}${field}`;
}

export const CREDENTIAL_PLACEHOLDER_PATTERN = /spoke-credential-placeholder:([A-Za-z0-9_.-]+)/g;
