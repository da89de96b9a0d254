import { eq } from 'drizzle-orm';
import { connections, integrations } from '../../schema/tables.js';
import type { Database } from '../db.js';
import type { ConnectionRef } from './connections.js';

/** The connection a Durable Object or queue message names by uid; null once it was deleted. */
export async function findConnectionByUid(db: Database, uid: string): Promise<ConnectionRef | null> {
    const [found] = await db
        .select({ row: connections, integration: integrations })
        .from(connections)
        .innerJoin(integrations, eq(integrations.id, connections.integrationId))
        .where(eq(connections.uid, uid))
        .limit(1);
    return found ?? null;
}
