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
}

export interface NangoAction<TMetadata = Record<string, any>, TCheckpoint = CheckpointValue> {
    readonly connectionId: string;
    readonly providerConfigKey: string;
    readonly provider: string;
    readonly environmentId: string;
    readonly environmentName: string;
    /** The run's id. */
    readonly activityLogId: string;
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

    getConnection(providerConfigKey?: string, connectionId?: string, options?: GetConnectionOptions): Promise<Connection>;
    /** OAUTH2: the access token; OAUTH1: token and secret; other modes: the credentials object. */
    getToken(): Promise<string | OAuth1Token | Record<string, any>>;
    getMetadata<T = TMetadata>(): Promise<T>;
    /** Replaces the connection's metadata. */
    setMetadata(metadata: TMetadata): Promise<void>;
    /** Merges into the connection's metadata (top-level keys). */
    updateMetadata(metadata: Partial<TMetadata>): Promise<void>;
    getCheckpoint(): Promise<TCheckpoint | null>;
    saveCheckpoint(checkpoint: TCheckpoint): Promise<void>;
    clearCheckpoint(): Promise<void>;
    getEnvironmentVariables(): Promise<EnvironmentVariable[]>;
    /** Runs another action and returns its output. */
    triggerAction<TIn = unknown, TOut = any>(providerConfigKey: string, connectionId: string, actionName: string, input?: TIn): Promise<TOut>;
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

    /** Upserts records by `id`. Duplicate ids in one call: the first is kept, the others are logged as errors. */
    batchSave<T extends object>(records: T[], model: keyof TModels & string): Promise<boolean>;
    batchUpdate<T extends object>(records: T[], model: keyof TModels & string): Promise<boolean>;
    /** Only `id` matters. */
    batchDelete<T extends object>(records: T[], model: keyof TModels & string): Promise<boolean>;
    /** Missing ids are absent from the map. */
    getRecordsByIds<K extends string | number = string, T = Record<string, any>>(ids: K[], model: keyof TModels & string): Promise<Map<K, T>>;
}
