import type { ConnectionView, Invocation, RunResult } from '../../../functions-runtime/host-contract.js';
import { runFunction } from '../../../functions-runtime/sandbox/run-function.js';
import { BUILT_IN_PROVIDERS } from '../../../providers/catalog/index.js';
import type { FunctionType } from '../project/discover.js';
import { RecordedTraffic } from './recorded-traffic.js';
import { ReplayHost } from './replay-host.js';
import type { TestFile } from './test-file.js';

/** A fixed date, so connections in tests look the same on every run. */
const RECORDED_AT = '2024-01-01T00:00:00.000Z';

export interface TestSubject {
    integration: string;
    name: string;
    type: FunctionType;
    /** The bundle's default export. */
    definition: unknown;
}

export interface TestRun {
    result: RunResult;
    host: ReplayHost;
    traffic: RecordedTraffic;
    timedOut: boolean;
}

/** Runs a function once through the sandbox runtime, with a replay host serving the test file. */
export async function runTest(subject: TestSubject, file: TestFile, timeoutMs: number): Promise<TestRun> {
    const connection = connectionOf(subject, file);
    const traffic = new RecordedTraffic(file.requests);
    const host = new ReplayHost(traffic, connection, {
        checkpoint: file.checkpoint ?? null,
        environmentVariables: file.environment_variables ?? [],
        storedRecords: (file.stored_records ?? {}) as ReplayHost['saved']
    });
    const invocation: Invocation = {
        kind: subject.type === 'sync' && file.trigger === 'webhook' ? 'webhook' : subject.type,
        input: file.input,
        context: {
            runId: `spoke-test:${subject.integration}/${subject.name}`,
            environmentId: 'spoke-test',
            environmentName: 'test',
            providerConfigKey: connection.provider_config_key,
            connectionId: connection.connection_id,
            provider: connection.provider,
            paginate: BUILT_IN_PROVIDERS[connection.provider]?.proxy?.paginate as Record<string, unknown> | undefined,
            syncName: subject.type === 'sync' ? subject.name : undefined,
            lastSyncDate: file.last_sync_date,
            dryRun: true
        }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
        const result = await Promise.race([runFunction(subject.definition, host, invocation), timeout]);
        if (result === 'timeout') return { result: { ok: false, error: { type: 'runtime_error', message: `The run did not finish within ${timeoutMs / 1000} s` } }, host, traffic, timedOut: true };
        return { result, host, traffic, timedOut: false };
    } finally {
        clearTimeout(timer);
    }
}

/** The default connection, with the file's fields over it; the provider defaults to the integration's key, as in Nango's tests. */
function connectionOf(subject: TestSubject, file: TestFile): ConnectionView {
    const connection = {
        id: 1,
        connection_id: 'test-connection',
        provider_config_key: subject.integration,
        provider: subject.integration,
        connection_config: {},
        metadata: null,
        end_user: null,
        tags: {},
        created_at: RECORDED_AT,
        updated_at: RECORDED_AT,
        credentials: {},
        ...file.connection
    } as ConnectionView;
    if (file.metadata !== undefined) connection.metadata = file.metadata;
    return connection;
}
