import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';
import { activeFunctions } from '../functions/deployments.js';
import type { SyncConfig } from '../functions/function-config.js';
import type { RecordScope } from './record-scope.js';

/**
 * Refuses a model that no deployed sync of the integration saves and that has no records either
 * (a removed sync's records stay readable): an empty page would hide a typo in the model name.
 */
export async function requireKnownModel(db: Database, environmentId: string, integrationKey: string, scope: RecordScope): Promise<void> {
    const syncs = (await activeFunctions(db, environmentId, integrationKey)).filter((f) => f.type === 'sync');
    if (syncs.some((f) => Object.hasOwn((f.config as SyncConfig).models, scope.model))) return;
    const stored = await scope.db.prepare('SELECT 1 FROM records WHERE connection_uid = ? AND model = ? AND variant = ? LIMIT 1').bind(scope.connectionUid, scope.model, scope.variant).first();
    if (stored) return;
    const known = [...new Set(syncs.flatMap((f) => Object.keys((f.config as SyncConfig).models)))].sort();
    throw new ApiError(400, 'unknown_model', `No deployed sync of "${integrationKey}" saves the model "${scope.model}"${known.length ? `; its models are ${known.join(', ')}` : ''}`);
}
