// What function code imports as 'nango' or '@spoke/functions'. The CLI bundles this module into
// every function, so its runtime part stays to the definition helpers and ActionError.
export { ActionError } from './action-error.js';
export { createAction, createOnEvent, createSync } from './definitions.js';
export type {
    ActionDefinition,
    CreateActionProps,
    CreateOnEventProps,
    CreateSyncProps,
    FunctionDefinition,
    FunctionEndpoint,
    OnEventDefinition,
    OnEventName,
    SyncDefinition,
    SyncNango
} from './definitions.js';
export type { HttpError, HttpMethod, HttpResponse, OnPage, PaginationConfig, ProxyConfiguration, ProxyParams, RetryHeaderConfig, UncontrolledFetchOptions } from './http.js';
export type {
    CheckpointValue,
    Connection,
    EnvironmentVariable,
    GetConnectionOptions,
    GetIntegrationOptions,
    Integration,
    LegacySyncMode,
    ListRecordsOptions,
    LoggerSettings,
    LogLevelName,
    LogOptions,
    MergingStrategy,
    NangoAction,
    NangoSync,
    OAuth1Token,
    RecordMetadata,
    RunnerFlags,
    SyncConfig,
    SyncRef,
    TriggerSyncOptions
} from './nango.js';
