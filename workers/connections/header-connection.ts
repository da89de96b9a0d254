import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import { type ConnectionRef, requireConnection } from './connections.js';

/**
 * The connection that `Connection-Id` and `Provider-Config-Key` name on the action and records
 * routes. An unknown one is 400 there, as in Nango's API (the proxy says 404).
 */
export async function requireHeaderConnection(db: Database, environmentId: string, integrationKey: string, connectionId: string): Promise<ConnectionRef> {
    try {
        return await requireConnection(db, environmentId, integrationKey, connectionId);
    } catch (error) {
        if (error instanceof ApiError && error.status === 404) throw new ApiError(400, error.code, error.message);
        throw error;
    }
}
