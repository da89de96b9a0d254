// Types of the `nango` object that function code receives: `NangoAction` for actions and event
// functions, `NangoSync` for syncs and their webhook handlers.
import type { z } from 'zod';
import type { ActionError } from './action-error.js';
import type { HttpResponse, ProxyConfiguration, UncontrolledFetchOptions } from './http.js';

/** Log levels; `verbose` and `silly` are recorded as debug, `http` as info. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'verbose' | 'silly' | 'http';
export interface LogOptions {
    level?: LogLevelName;
}
/** `setLogger`'s setting: the lowest level `nango.log` still records, or `off`. */
export interface LoggerSettings {
    level: LogLevelName | 'off';
}

/** Flat: at most 16 keys; Dates are stored as ISO strings. */
export type CheckpointValue = Record<string, string | number | boolean | Date>;

export interface EnvironmentVariable {
    name: string;
    value: string;
}

export interface OAuth1Token {
    oAuthToken: string;
    oAuthTokenSecret: string;
}

/** The connection as function code sees it. Secret credential values are placeholders that the platform swaps for the real ones only on requests to the provider. */
export interface Connection {
    id: number;
    connection_id: string;
    provider_config_key: string;
    provider: string;
    connection_config: Record<string, any>;
    metadata: Record<string, any> | null;
    end_user: Record<string, any> | null;
    tags: Record<string, string>;
    created_at: string;
    updated_at: string;
    credentials: Record<string, any>;
}

export interface GetConnectionOptions {
    forceRefresh?: boolean;
    /** Include `credentials.refresh_token` (a placeholder, like every secret). */
    refreshToken?: boolean;
    /** Accepted for compatibility; no effect. */
    refreshGithubAppJwtToken?: boolean;
}

/** The integration, as `GET /integrations/:key` answers it. */
export interface Integration {
    unique_key: string;
    provider: string;
    display_name: string;
    logo: string;
    forward_webhooks: boolean;
    integration_config: Record<string, string> | null;
    created_at: string;
    updated_at: string;
    /** With `include: ['webhook']`. */
    webhook_url?: string;
    /** With `include: ['credentials']`: the app's credentials, secret fields as placeholders; null when it has none. */
    credentials?: Record<string, string | null> | null;
}

export interface GetIntegrationOptions {
    include?: ('webhook' | 'credentials')[];
}

/** A sync by name (its base variant), or one of its variants. */
export type SyncRef = string | { name: string; variant?: string };

/** `reset`: run from scratch (no checkpoint, no lastSyncDate); `emptyCache`: also delete the sync's records first. */
export interface TriggerSyncOptions {
    reset?: boolean;
    emptyCache?: boolean;
}

/** Legacy forms of triggerSync's last argument: a sync mode, or `true` for a full resync. */
export type LegacySyncMode = 'incremental' | 'full_refresh' | 'full_refresh_and_clear_cache' | boolean;

/** The deployed function's configuration, as the platform keeps it. */
export interface SyncConfig {
    sync_name: string;
    type: 'sync' | 'action' | 'on-event';
    version: string | null;
    /** The sync's frequency, e.g. `every hour`; null for other functions. */
    runs: string | null;
    auto_start: boolean;
    sync_type: 'full' | 'incremental' | null;
    track_deletes: boolean;
    /** Model names. */
    models: string[];
    /** JSON Schema of each model, the input and output, by name. */
    models_json_schema: Record<string, unknown> | null;
    webhook_subscriptions: string[];
    attributes: Record<string, unknown>;
    metadata: { description: string; scopes: string[] };
    enabled: boolean;
}

/** Which checks the platform makes of what the function gives and returns. */
export interface RunnerFlags {
    validateActionInput: boolean;
    validateActionOutput: boolean;
    validateSyncRecords: boolean;
    validateSyncMetadata: boolean;
}

/**
 * `override` (the default): saves and updates replace what is stored. `ignore_if_modified_after`:
 * records that something else (an action, the records API) modified after this strategy was set
 * are left alone by the run's later saves and updates.
 */
export interface MergingStrategy {
    strategy: 'override' | 'ignore_if_modified_after';
}

export interface ListRecordsOptions {
    /** Resume after the record that carried this `_nango_metadata.cursor`. */
    cursor?: string;
}

/** What the platform keeps about a stored record, under `_nango_metadata`. */
export interface RecordMetadata {
    first_seen_at: string;
    last_modified_at: string;
    last_action: 'ADDED' | 'UPDATED' | 'DELETED';
    deleted_at: string | null;
    pruned_at: string | null;
    /** Opaque; listing from it resumes after this record. */
    cursor: string;
}

export interface NangoAction<TMetadata = Record<string, any>, TCheckpoint = CheckpointValue> {
    readonly connectionId: string;
    readonly providerConfigKey: string;
    readonly provider: string;
    readonly environmentId: string;
    readonly environmentName: string;
    /** The run's id. */
    readonly activityLogId: string;
    /** Spoke has no accounts: always undefined. */
    readonly accountId: number | undefined;
    readonly scriptType: 'sync' | 'action' | 'webhook' | 'on-event';
    /** True in `spoke dryrun` and `spoke test`. */
    readonly isCLI: boolean;
    /** The connection's numeric id. */
    readonly nangoConnectionId: number | undefined;
    /** The sync's schedule on this connection (syncs and webhook handlers). */
    readonly syncId: string | undefined;
    /** The sync run (scheduled sync runs). */
    readonly syncJobId: string | undefined;
    /** The deployed function's configuration. */
    readonly syncConfig: SyncConfig | undefined;
    readonly runnerFlags: RunnerFlags;
    readonly ActionError: typeof ActionError;

    proxy<T = any>(config: ProxyConfiguration): Promise<HttpResponse<T>>;
    get<T = any>(config: Omit<ProxyConfiguration, 'method'>): Promise<HttpResponse<T>>;
    post<T = any>(config: Omit<ProxyConfiguration, 'method'>): Promise<HttpResponse<T>>;
    put<T = any>(config: Omit<ProxyConfiguration, 'method'>): Promise<HttpResponse<T>>;
    patch<T = any>(config: Omit<ProxyConfiguration, 'method'>): Promise<HttpResponse<T>>;
    delete<T = any>(config: Omit<ProxyConfiguration, 'method'>): Promise<HttpResponse<T>>;
    /** Yields each page's items, following the provider's default paginator merged with `config.paginate`. */
    paginate<T = any>(config: ProxyConfiguration): AsyncGenerator<T[], undefined, void>;
    /** A plain request: no credentials, no retries, the platform's egress policy applies. */
    uncontrolledFetch(options: UncontrolledFetchOptions): Promise<Response>;

    log(message: unknown, options?: LogOptions): Promise<void>;
    log(message: unknown, payload: unknown, options?: LogOptions): Promise<void>;
    /** The current logger setting; everything (`debug`) unless `setLogger` changed it. */
    readonly logger: LoggerSettings;
    /** Records only `nango.log` calls at `level` or above from now on; once `off`, it stays off. */
    setLogger(settings: LoggerSettings): void;

    getConnection(providerConfigKey?: string, connectionId?: string, options?: GetConnectionOptions): Promise<Connection>;
    /** The run's integration; read once per include set and run. */
    getIntegration(options?: GetIntegrationOptions): Promise<Integration>;
    /** Where the provider sends this integration's webhooks. */
    getWebhookURL(): Promise<string | undefined>;
    /** OAUTH2: the access token; OAUTH1: token and secret; other modes: the credentials object. */
    getToken(): Promise<string | OAuth1Token | Record<string, any>>;
    getMetadata<T = TMetadata>(): Promise<T>;
    /** Replaces the connection's metadata. */
    setMetadata(metadata: TMetadata): Promise<void>;
    /** Merges into the connection's metadata (top-level keys). */
    updateMetadata(metadata: Partial<TMetadata>): Promise<void>;
    getCheckpoint(): Promise<TCheckpoint | null>;
    /**
     * When a sync run has spent its time budget, this throws `execution_interrupted`: the run ends
     * here and the platform continues it from this checkpoint. Every later call on `nango` throws
     * the same error, so let it propagate.
     */
    saveCheckpoint(checkpoint: TCheckpoint): Promise<void>;
    clearCheckpoint(): Promise<void>;
    getEnvironmentVariables(): Promise<EnvironmentVariable[]>;
    /** Runs another action and returns its output. */
    triggerAction<TIn = unknown, TOut = any>(providerConfigKey: string, connectionId: string, actionName: string, input?: TIn): Promise<TOut>;
    /** Runs a sync now (after its run under way, if any) for one connection, or every connection of the integration when `connectionId` is empty. */
    triggerSync(providerConfigKey: string, connectionId: string | undefined, sync: SyncRef, options?: TriggerSyncOptions | LegacySyncMode): Promise<void>;
    /** Unpauses syncs (a paused one also runs at once), for one connection or every connection of the integration. */
    startSync(providerConfigKey: string, syncs: SyncRef[], connectionId?: string): Promise<void>;
    /**
     * Takes a lock on this connection for `ttlMs`: true when the run holds it (taking it again
     * starts the ttl over), false while another run does. A run's locks are released when it ends.
     */
    tryAcquireLock(args: { key: string; ttlMs: number }): Promise<boolean>;
    tryAcquireLock(key: string, ttlMs: number): Promise<boolean>;
    /** True when the run held the lock. */
    releaseLock(args: { key: string }): Promise<boolean>;
    releaseLock(key: string): Promise<boolean>;
    releaseAllLocks(): Promise<void>;
    /** @deprecated The metadata's `fieldMapping` key; use getMetadata. */
    getFieldMapping(): Promise<Record<string, any>>;
    /** @deprecated Writes the metadata's `fieldMapping` key, keeping the rest; use updateMetadata. */
    setFieldMapping(fieldMapping: Record<string, any>): Promise<void>;
    /** @deprecated The sync's `attributes` (always `{}` on Spoke); throws outside syncs. */
    getFlowAttributes<A = Record<string, unknown>>(): A;
    /** Logs each issue and throws ActionError('Invalid input provided') when `input` does not match. */
    zodValidateInput<S extends z.ZodType>(args: { zodSchema: S; input: unknown }): Promise<z.ZodSafeParseSuccess<z.output<S>>>;
}

export interface NangoSync<
    TModels extends Record<string, z.ZodType> = Record<string, z.ZodType>,
    TMetadata = Record<string, any>,
    TCheckpoint = CheckpointValue
> extends NangoAction<TMetadata, TCheckpoint> {
    readonly syncName: string | undefined;
    /** `base` unless a variant of the sync runs. */
    readonly variant: string;
    /** Start of the last successful run; undefined on the first. */
    readonly lastSyncDate: Date | undefined;
    /** The sync deletes the records it did not save in a successful run (legacy `trackDeletes`). */
    readonly track_deletes: boolean;
    /** The run was triggered with `emptyCache`: the sync's records were deleted before it started. */
    readonly emptyCache: boolean;

    /**
     * Upserts records by `id`. Duplicate ids in one call: the last record of each id is kept, and
     * one warning is logged. Records that fail the model's schema, or whose JSON is over 1,900,000
     * bytes, are left out, counted and logged as one error; they don't fail the run.
     */
    batchSave<T extends object>(records: T[], model: keyof TModels & string): Promise<boolean>;
    /** Merges into stored records by `id`, like batchSave; the records are checked against the model's `partial()`. */
    batchUpdate<T extends object>(records: T[], model: keyof TModels & string): Promise<boolean>;
    /** Only `id` matters. */
    batchDelete<T extends object>(records: T[], model: keyof TModels & string): Promise<boolean>;
    /** Missing ids are absent from the map. */
    getRecordsByIds<K extends string | number = string, T = Record<string, any>>(ids: K[], model: keyof TModels & string): Promise<Map<K, T>>;
    /** Every stored record of the model that is not deleted, one by one, in modification order: `for await (const record of nango.listRecords('Model'))`. */
    listRecords<T = Record<string, any>>(model: keyof TModels & string, options?: ListRecordsOptions): AsyncGenerator<T & { _nango_metadata: RecordMetadata }, void, undefined>;
    /** Applies to the run's later batchSave and batchUpdate calls of this model. */
    setMergingStrategy(merging: MergingStrategy, model: keyof TModels & string): Promise<void>;
    /** Starts noting which records of the model get saved; kept across the runs of an interrupted sync. */
    trackDeletesStart(model: keyof TModels & string): Promise<void>;
    /** Deletes the records of the model not saved since `trackDeletesStart`; call it only once the full dataset was saved. */
    trackDeletesEnd(model: keyof TModels & string): Promise<{ deletedKeys: string[] }>;
}
