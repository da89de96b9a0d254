import { eq } from 'drizzle-orm';
import type { Provider } from '../providers/schema.js';
import { connections, integrations } from '../schema/tables.js';
import type { ConnectionRow } from '../workers/connections/connections.js';
import type { Database } from '../workers/db.js';
import { type EnvironmentRecord, findEnvironmentById } from '../workers/environments/environments.js';
import { type IntegrationRow, resolveIntegrationProvider } from '../workers/integrations/integrations.js';

/** Identifies a connection to its Durable Object; the caller already has the index row. */
export interface ConnectionKey {
    uid: string;
    rowId: number;
    environmentId: string;
    integrationId: string;
}

/** What a refresh needs beyond the secrets: the app's OAuth client, the provider, the connection's config. */
export interface RefreshContext {
    environment: EnvironmentRecord;
    integration: IntegrationRow;
    provider: Provider;
    connection: ConnectionRow;
}

export async function loadRefreshContext(db: Database, key: ConnectionKey): Promise<RefreshContext> {
    const [[connection], [integration], environment] = await Promise.all([
        db.select().from(connections).where(eq(connections.id, key.rowId)).limit(1),
        db.select().from(integrations).where(eq(integrations.id, key.integrationId)).limit(1),
        findEnvironmentById(db, key.environmentId)
    ]);
    if (!connection || connection.uid !== key.uid || !integration || !environment) throw new Error(`connection ${key.uid} no longer exists`);
    const { provider } = await resolveIntegrationProvider(db, integration);
    return { environment, integration, provider, connection };
}
