import { eq, inArray } from 'drizzle-orm';
import { functionBundles } from '../../schema/tables.js';
import { sha256Hex } from '../crypto/hashing.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';

/** D1 rows hold at most 2 MB; bundles stay well under it. */
export const MAX_BUNDLE_BYTES = 1_500_000;

/** Function bundles, addressed by the SHA-256 of their code: identical code is stored once. */
export async function missingBundles(db: Database, hashes: string[]): Promise<string[]> {
    const unique = [...new Set(hashes)];
    const present = new Set<string>();
    for (let i = 0; i < unique.length; i += 90) {
        const rows = await db.select({ hash: functionBundles.hash }).from(functionBundles).where(inArray(functionBundles.hash, unique.slice(i, i + 90)));
        for (const row of rows) present.add(row.hash);
    }
    return unique.filter((h) => !present.has(h));
}

/** Stores a bundle after checking that its code hashes to the given address. Returns whether it was new. */
export async function putBundle(db: Database, hash: string, code: string): Promise<boolean> {
    const size = new TextEncoder().encode(code).byteLength;
    if (size > MAX_BUNDLE_BYTES) throw new ApiError(413, 'payload_too_large', `A bundle may be at most ${MAX_BUNDLE_BYTES} bytes; this one is ${size}`);
    if ((await sha256Hex(code)) !== hash) throw new ApiError(400, 'bundle_hash_mismatch', 'The bundle does not hash to the address it was uploaded to');
    const inserted = await db.insert(functionBundles).values({ hash, code, size, createdAt: Date.now() }).onConflictDoNothing().returning({ hash: functionBundles.hash });
    return inserted.length > 0;
}

export async function bundleCode(db: Database, hash: string): Promise<string> {
    const [row] = await db.select({ code: functionBundles.code }).from(functionBundles).where(eq(functionBundles.hash, hash)).limit(1);
    if (!row) throw new ApiError(500, 'missing_bundle', `Bundle ${hash} is not stored`);
    return row.code;
}
