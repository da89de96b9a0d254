import type { RecordScope } from './record-scope.js';
import { softDeleteUnseen } from './record-writes.js';

type ConnectionStub = ReturnType<Env['CONNECTION']['getByName']>;

/**
 * Ends delete tracking of the scope's model: soft-deletes its records that were not saved since
 * tracking started (the connection's Durable Object remembers the saved ids), then stops tracking.
 * Answers the deleted ids.
 */
export async function endDeleteTracking(stub: ConnectionStub, scope: RecordScope, runId: string | null): Promise<string[]> {
    const deletedIds = await softDeleteUnseen(scope, async (ids) => new Set(await stub.seenAmong(scope.model, scope.variant, ids)), { runId });
    await stub.trackDeletesStop(scope.model, scope.variant);
    return deletedIds;
}
