// The `nango` object of actions and event functions: context, HTTP, connection, metadata,
// checkpoints and logs, each call turned into a call on the run's FunctionHost. Every call first
// checks that the run was not interrupted (see interruption.ts).
import type { z } from 'zod';
import { ActionError } from '../sdk/action-error.js';
import type { HttpResponse, ProxyConfiguration, UncontrolledFetchOptions } from '../sdk/http.js';
import type {
    CheckpointValue,
    Connection,
    GetConnectionOptions,
    GetIntegrationOptions,
    Integration,
    LegacySyncMode,
    LoggerSettings,
    NangoAction,
    OAuth1Token,
    RunnerFlags,
    SyncConfig,
    SyncRef,
    TriggerSyncOptions
} from '../sdk/nango.js';
import type { Checkpoint, ConnectionRequest, EnvironmentVariable, FunctionHost, IntegrationInclude, InvocationContext, LogLevel } from '../host-contract.js';
import { normalizeCheckpoint } from './checkpoint.js';
import { proxy, uncontrolledFetch } from './http.js';
import type { Interruption } from './interruption.js';
import { lockArgs } from './lock-args.js';
import { isRecorded, logEntry, loggerThreshold } from './log.js';
import { paginate } from './paginate.js';
import { syncConfigOf } from './sync-config.js';
import { syncControl, syncRunFlags } from './sync-control.js';
import { SdkError } from './sdk-error.js';

type Verb = Omit<ProxyConfiguration, 'method'>;
export type ScriptType = NangoAction['scriptType'];

/** What the platform checks: action input and output against their schemas, records against their models; metadata is not checked. */
const RUNNER_FLAGS: RunnerFlags = { validateActionInput: true, validateActionOutput: true, validateSyncRecords: true, validateSyncMetadata: false };

export class SandboxNangoAction implements NangoAction {
    readonly connectionId: string;
    readonly providerConfigKey: string;
    readonly provider: string;
    readonly environmentId: string;
    readonly environmentName: string;
    readonly activityLogId: string;
    readonly accountId = undefined;
    readonly scriptType: ScriptType;
    readonly isCLI: boolean;
    readonly nangoConnectionId: number | undefined;
    readonly syncId: string | undefined;
    readonly syncJobId: string | undefined;
    readonly syncConfig: SyncConfig | undefined;
    readonly runnerFlags: RunnerFlags = { ...RUNNER_FLAGS };
    readonly ActionError = ActionError;
    readonly #host: FunctionHost;
    readonly #paginateDefault: Record<string, unknown> | undefined;
    readonly #interruption: Interruption;
    /** Spoke records every level by default, so a run's logs are complete unless the function asks otherwise. */
    #logThreshold: LogLevel | 'off' = 'debug';
    /** Metadata is read once per run, until function code changes it. */
    #metadata: Promise<Record<string, any> | null> | undefined;
    /** The integration is read once per run and set of includes. */
    readonly #integrations = new Map<string, Promise<Integration>>();

    constructor(host: FunctionHost, context: InvocationContext, interruption: Interruption, scriptType: ScriptType = 'action') {
        this.#host = host;
        this.#interruption = interruption;
        this.#paginateDefault = context.paginate;
        this.connectionId = context.connectionId;
        this.providerConfigKey = context.providerConfigKey;
        this.provider = context.provider;
        this.environmentId = context.environmentId;
        this.environmentName = context.environmentName;
        this.activityLogId = context.runId;
        this.scriptType = scriptType;
        this.isCLI = context.dryRun;
        this.nangoConnectionId = context.connectionNumber;
        this.syncId = context.syncId;
        this.syncJobId = context.syncJobId;
        this.syncConfig = context.config && syncConfigOf(context.functionName ?? context.syncName ?? '', context.config, scriptType);
    }

    async proxy(config: ProxyConfiguration): Promise<HttpResponse> {
        this.#interruption.check();
        return proxy(this.#host, config);
    }
    get(config: Verb): Promise<HttpResponse> {
        return this.proxy({ ...config, method: 'GET' });
    }
    post(config: Verb): Promise<HttpResponse> {
        return this.proxy({ ...config, method: 'POST' });
    }
    put(config: Verb): Promise<HttpResponse> {
        return this.proxy({ ...config, method: 'PUT' });
    }
    patch(config: Verb): Promise<HttpResponse> {
        return this.proxy({ ...config, method: 'PATCH' });
    }
    delete(config: Verb): Promise<HttpResponse> {
        return this.proxy({ ...config, method: 'DELETE' });
    }
    async *paginate<T>(config: ProxyConfiguration): AsyncGenerator<T[], undefined, void> {
        this.#interruption.check();
        return yield* paginate<T>((page) => this.proxy(page), this.#paginateDefault, config);
    }
    async uncontrolledFetch(options: UncontrolledFetchOptions): Promise<Response> {
        this.#interruption.check();
        return uncontrolledFetch(this.#host, options);
    }

    async log(...args: unknown[]): Promise<void> {
        this.#interruption.check();
        const entry = logEntry(args);
        if (isRecorded(entry, this.#logThreshold)) await this.#host.log(entry);
    }
    get logger(): LoggerSettings {
        return { level: this.#logThreshold };
    }
    setLogger(settings: LoggerSettings): void {
        const threshold = loggerThreshold(settings?.level);
        if (this.#logThreshold !== 'off') this.#logThreshold = threshold;
    }

    async getConnection(providerConfigKey?: string, connectionId?: string, options?: GetConnectionOptions): Promise<Connection> {
        this.#interruption.check();
        const request: ConnectionRequest = {};
        if (providerConfigKey) request.providerConfigKey = providerConfigKey;
        if (connectionId) request.connectionId = connectionId;
        if (options?.forceRefresh) request.forceRefresh = true;
        if (options?.refreshToken) request.refreshToken = true;
        // refreshGithubAppJwtToken: accepted, as Nango's functions pass it; GitHub App JWTs are refreshed when due anyway.
        return this.#host.getConnection(request);
    }

    async getIntegration(options?: GetIntegrationOptions): Promise<Integration> {
        this.#interruption.check();
        const include = [...new Set(options?.include ?? [])].sort() as IntegrationInclude[];
        const key = include.join(',');
        let integration = this.#integrations.get(key);
        if (!integration) {
            integration = this.#host.getIntegration(include);
            // A failure is not kept: the next call asks again.
            integration.catch(() => this.#integrations.delete(key));
            this.#integrations.set(key, integration);
        }
        return structuredClone(await integration);
    }

    async getWebhookURL(): Promise<string | undefined> {
        return (await this.getIntegration({ include: ['webhook'] })).webhook_url;
    }

    async getToken(): Promise<string | OAuth1Token | Record<string, any>> {
        const { credentials } = await this.getConnection();
        if (credentials['type'] === 'OAUTH2') return credentials['access_token'] as string;
        if (credentials['type'] === 'OAUTH1') return { oAuthToken: credentials['oauth_token'], oAuthTokenSecret: credentials['oauth_token_secret'] };
        return credentials;
    }

    async getMetadata<T>(): Promise<T> {
        this.#interruption.check();
        this.#metadata ??= this.getConnection().then(
            (connection) => connection.metadata,
            (error: unknown) => {
                this.#metadata = undefined;
                throw error;
            }
        );
        return (await this.#metadata) as T;
    }
    async setMetadata(metadata: Record<string, any>): Promise<void> {
        this.#interruption.check();
        await this.#host.setMetadata(metadata);
        this.#metadata = undefined;
    }
    async updateMetadata(metadata: Record<string, any>): Promise<void> {
        this.#interruption.check();
        await this.#host.updateMetadata(metadata);
        this.#metadata = undefined;
    }

    async getCheckpoint(): Promise<Checkpoint | null> {
        this.#interruption.check();
        return this.#host.getCheckpoint();
    }
    /** The host answers `true` when the sync run has spent its time budget: the run ends here. */
    async saveCheckpoint(checkpoint: CheckpointValue): Promise<void> {
        this.#interruption.check();
        if (await this.#host.saveCheckpoint(normalizeCheckpoint(checkpoint))) throw this.#interruption.interrupt();
    }
    async clearCheckpoint(): Promise<void> {
        this.#interruption.check();
        await this.#host.clearCheckpoint();
    }

    async getFieldMapping(): Promise<Record<string, any>> {
        const metadata = await this.getMetadata<Record<string, any> | null>();
        return metadata?.['fieldMapping'] ?? {};
    }
    async setFieldMapping(fieldMapping: Record<string, any>): Promise<void> {
        await this.updateMetadata({ fieldMapping });
    }
    getFlowAttributes<A>(): A {
        this.#interruption.check();
        if (this.scriptType !== 'sync' && this.scriptType !== 'webhook') throw new SdkError('not_a_sync', 'getFlowAttributes: there is no sync to get attributes from');
        return structuredClone(this.syncConfig?.attributes ?? {}) as A;
    }

    async getEnvironmentVariables(): Promise<EnvironmentVariable[]> {
        this.#interruption.check();
        return this.#host.getEnvironmentVariables();
    }
    async triggerAction<TIn, TOut>(providerConfigKey: string, connectionId: string, actionName: string, input?: TIn): Promise<TOut> {
        this.#interruption.check();
        return (await this.#host.triggerAction(providerConfigKey, connectionId, actionName, input)) as TOut;
    }
    async triggerSync(providerConfigKey: string, connectionId: string | undefined, sync: SyncRef, options?: TriggerSyncOptions | LegacySyncMode): Promise<void> {
        this.#interruption.check();
        await this.#host.triggerSync(syncControl('triggerSync', providerConfigKey, [sync], connectionId), syncRunFlags(options));
    }
    async startSync(providerConfigKey: string, syncs: SyncRef[], connectionId?: string): Promise<void> {
        this.#interruption.check();
        if (!Array.isArray(syncs)) throw new SdkError('invalid_sync_control', 'startSync: syncs must be an array');
        await this.#host.startSync(syncControl('startSync', providerConfigKey, syncs, connectionId));
    }

    async tryAcquireLock(keyOrArgs: string | { key: string; ttlMs: number }, ttlMs?: number): Promise<boolean> {
        this.#interruption.check();
        const args = lockArgs('tryAcquireLock', keyOrArgs, ttlMs);
        return this.#host.tryAcquireLock(args.key, args.ttlMs);
    }
    async releaseLock(keyOrArgs: string | { key: string }): Promise<boolean> {
        this.#interruption.check();
        return this.#host.releaseLock(lockArgs('releaseLock', keyOrArgs).key);
    }
    async releaseAllLocks(): Promise<void> {
        this.#interruption.check();
        await this.#host.releaseAllLocks();
    }

    async zodValidateInput<S extends z.ZodType>({ zodSchema, input }: { zodSchema: S; input: unknown }): Promise<z.ZodSafeParseSuccess<z.output<S>>> {
        this.#interruption.check();
        const result = zodSchema.safeParse(input);
        if (result.success) return result;
        for (const issue of result.error.issues) {
            await this.log(`Invalid input provided: ${issue.message} at path ${issue.path.map(String).join('.')}`, { level: 'error' });
        }
        throw new ActionError({ message: 'Invalid input provided' });
    }
}
