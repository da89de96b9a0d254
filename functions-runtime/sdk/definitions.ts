// The definition helpers. Each returns its argument with a `type` added: the definition is plain
// data plus functions, read by the CLI when it builds and by the sandbox when it runs.
import type { z } from 'zod';
import type { HttpMethod } from './http.js';
import type { CheckpointValue, NangoAction, NangoSync } from './nango.js';

type Schema = z.ZodType;
type SchemaOrNone = z.ZodType | undefined;
type MetadataOf<S extends SchemaOrNone> = S extends z.ZodType ? z.output<S> : Record<string, any>;
type CheckpointOf<S extends SchemaOrNone> = S extends z.ZodType ? z.output<S> : CheckpointValue;
type MaybePromise<T> = T | Promise<T>;

export interface FunctionEndpoint {
    method: HttpMethod;
    path: string;
    group?: string;
}

interface CommonProps<TMetadata extends SchemaOrNone, TCheckpoint extends SchemaOrNone> {
    description: string;
    version?: string;
    /** Types the connection's metadata. */
    metadata?: TMetadata;
    /** Types the checkpoint: a flat object of string, number and boolean fields. */
    checkpoint?: TCheckpoint;
}

export type SyncNango<TModels extends Record<string, Schema>, TMetadata extends SchemaOrNone, TCheckpoint extends SchemaOrNone> = NangoSync<
    TModels,
    MetadataOf<TMetadata>,
    CheckpointOf<TCheckpoint>
>;

export interface CreateSyncProps<TModels extends Record<string, Schema>, TMetadata extends SchemaOrNone, TCheckpoint extends SchemaOrNone>
    extends CommonProps<TMetadata, TCheckpoint> {
    /** `every hour`, `every 5 minutes`, `every 2 days`… */
    frequency: string;
    /** Record models by name; each record needs an `id`. */
    models: TModels;
    /** Start the schedule when a connection is created. */
    autoStart?: boolean;
    /** @deprecated Use checkpoints. */
    syncType?: 'full' | 'incremental';
    /** @deprecated Use checkpoints. */
    trackDeletes?: boolean;
    /** @deprecated */
    endpoints?: FunctionEndpoint[];
    /** Documentation only. */
    scopes?: string[];
    /** Webhook types routed to `onWebhook`; `*` for all. */
    webhookSubscriptions?: string[];
    exec: (nango: SyncNango<TModels, TMetadata, TCheckpoint>) => MaybePromise<void>;
    /** Receives the provider's webhook body. */
    onWebhook?: (nango: SyncNango<TModels, TMetadata, TCheckpoint>, payload: any) => MaybePromise<void>;
}

export type SyncDefinition<
    TModels extends Record<string, Schema> = Record<string, Schema>,
    TMetadata extends SchemaOrNone = SchemaOrNone,
    TCheckpoint extends SchemaOrNone = SchemaOrNone
> = CreateSyncProps<TModels, TMetadata, TCheckpoint> & { type: 'sync' };

export interface CreateActionProps<TInput extends Schema, TOutput extends Schema, TMetadata extends SchemaOrNone, TCheckpoint extends SchemaOrNone>
    extends CommonProps<TMetadata, TCheckpoint> {
    input: TInput;
    output: TOutput;
    /** @deprecated */
    endpoint?: FunctionEndpoint;
    /** Documentation only. */
    scopes?: string[];
    exec: (nango: NangoAction<MetadataOf<TMetadata>, CheckpointOf<TCheckpoint>>, input: z.output<TInput>) => MaybePromise<z.output<TOutput>>;
}

export type ActionDefinition<
    TInput extends Schema = Schema,
    TOutput extends Schema = Schema,
    TMetadata extends SchemaOrNone = SchemaOrNone,
    TCheckpoint extends SchemaOrNone = SchemaOrNone
> = CreateActionProps<TInput, TOutput, TMetadata, TCheckpoint> & { type: 'action' };

export type OnEventName = 'post-connection-creation' | 'pre-connection-deletion' | 'validate-connection';

export interface CreateOnEventProps<TMetadata extends SchemaOrNone, TCheckpoint extends SchemaOrNone> extends CommonProps<TMetadata, TCheckpoint> {
    /** `validate-connection` rejects the connection attempt when `exec` throws. */
    event: OnEventName;
    exec: (nango: NangoAction<MetadataOf<TMetadata>, CheckpointOf<TCheckpoint>>) => MaybePromise<void>;
}

export type OnEventDefinition<TMetadata extends SchemaOrNone = SchemaOrNone, TCheckpoint extends SchemaOrNone = SchemaOrNone> = CreateOnEventProps<
    TMetadata,
    TCheckpoint
> & { type: 'on-event' };

export type FunctionDefinition = SyncDefinition | ActionDefinition | OnEventDefinition;

export function createSync<
    TModels extends Record<string, Schema>,
    TMetadata extends SchemaOrNone = undefined,
    TCheckpoint extends SchemaOrNone = undefined
>(props: CreateSyncProps<TModels, TMetadata, TCheckpoint>): SyncDefinition<TModels, TMetadata, TCheckpoint> {
    return { ...props, type: 'sync' };
}

export function createAction<
    TInput extends Schema,
    TOutput extends Schema,
    TMetadata extends SchemaOrNone = undefined,
    TCheckpoint extends SchemaOrNone = undefined
>(props: CreateActionProps<TInput, TOutput, TMetadata, TCheckpoint>): ActionDefinition<TInput, TOutput, TMetadata, TCheckpoint> {
    return { ...props, type: 'action' };
}

export function createOnEvent<TMetadata extends SchemaOrNone = undefined, TCheckpoint extends SchemaOrNone = undefined>(
    props: CreateOnEventProps<TMetadata, TCheckpoint>
): OnEventDefinition<TMetadata, TCheckpoint> {
    return { ...props, type: 'on-event' };
}
