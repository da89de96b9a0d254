import type { Context } from 'hono';
import { badRequest } from './api-error.js';

/** The connection a proxy call or action trigger acts for, from its `Connection-Id` and `Provider-Config-Key` headers. */
export function connectionHeaders(c: Context): { connectionId: string; integrationKey: string } {
    const connectionId = c.req.header('connection-id')?.trim();
    const integrationKey = c.req.header('provider-config-key')?.trim();
    if (!connectionId || !integrationKey) {
        throw badRequest(
            'invalid_headers',
            'Connection-Id and Provider-Config-Key headers are required',
            [!connectionId && 'connection-id', !integrationKey && 'provider-config-key'].filter(Boolean).map((h) => ({ code: 'required', message: 'Required', path: [h as string] }))
        );
    }
    return { connectionId, integrationKey };
}

/** An optional integer header, 0 when absent. */
export function headerInt(c: Context, name: string, max: number): number {
    const raw = c.req.header(name)?.trim();
    if (!raw) return 0;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > max) {
        throw badRequest('invalid_headers', `${name} must be an integer from 0 to ${max}`, [{ code: 'invalid_value', message: `0 to ${max}`, path: [name] }]);
    }
    return value;
}
