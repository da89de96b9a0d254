import { eq, lt } from 'drizzle-orm';
import { oauthSessions } from '../../schema/tables.js';
import { toHex } from '../crypto/encoding.js';
import { secretsEqual, sha256Hex } from '../crypto/hashing.js';
import { keyringFor } from '../crypto/keyring.js';
import type { Database } from '../db.js';
import { ApiError } from '../http/api-error.js';

/** What the callback needs to finish the flow; encrypted at rest. */
export interface OAuthSessionPayload {
    /** Which flow this is: an OAuth 2 code, an OAuth 1.0a verifier, or an app installation. */
    mode: 'OAUTH2' | 'OAUTH1' | 'APP';
    connectionId: string;
    reconnecting: boolean;
    codeVerifier?: string;
    redirectUri: string;
    connectionConfig: Record<string, unknown>;
    /** Per-connection OAuth app (`credentials[oauth_client_id_override]`), kept with the connection. */
    clientOverride?: { clientId: string; clientSecret: string };
    /** OAuth 1.0a: the temporary token's secret, which signs the access-token request. */
    requestTokenSecret?: string;
}

export type OAuthSessionRow = typeof oauthSessions.$inferSelect;

const TTL_MS = 15 * 60_000;
const random = () => toHex(crypto.getRandomValues(new Uint8Array(32)));
const payloadAad = (stateHash: string) => `oauth_session:${stateHash}`;

/** The cookie that binds a state to the browser that started the flow. */
export const stateCookieName = (state: string) => `spoke_oauth_${state.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;

/**
 * Stores a flow under its state: a random one, or for OAuth 1.0a (whose providers echo no state)
 * the temporary token the provider hands back with the verifier.
 */
export async function createOAuthSession(
    db: Database,
    env: Env,
    owner: { environmentId: string; integrationId: string; connectSessionId: string; wsClientId: string | null },
    payload: OAuthSessionPayload,
    state: string = random()
): Promise<{ state: string; cookie: string }> {
    const cookie = random();
    const stateHash = await sha256Hex(state);
    const now = Date.now();
    await db.insert(oauthSessions).values({
        stateHash,
        cookieHash: await sha256Hex(cookie),
        ...owner,
        payloadEnc: await (await keyringFor(env)).encryptJson(payload, payloadAad(stateHash)),
        expiresAt: now + TTL_MS,
        createdAt: now
    });
    return { state, cookie };
}

const invalidState = (why: string) => new ApiError(400, 'invalid_state', `This authorization cannot be completed: ${why}. Start again.`);

/**
 * Consumes a state exactly once. It must exist, be fresh, and come with the cookie of the browser
 * that began the flow, which stops a callback forged for someone else's browser.
 */
export async function consumeOAuthSession(db: Database, env: Env, state: string, cookie: string | undefined) {
    const stateHash = await sha256Hex(state);
    const [row] = await db.select().from(oauthSessions).where(eq(oauthSessions.stateHash, stateHash)).limit(1);
    if (!row) throw invalidState('the state is unknown or was already used');
    if (!cookie || !(await secretsEqual(await sha256Hex(cookie), row.cookieHash))) throw invalidState('it was started in another browser');
    const [taken] = await db.delete(oauthSessions).where(eq(oauthSessions.stateHash, stateHash)).returning({ stateHash: oauthSessions.stateHash });
    if (!taken) throw invalidState('the state was already used');
    if (row.expiresAt < Date.now()) throw invalidState('it took too long');
    const payload = await (await keyringFor(env)).decryptJson<OAuthSessionPayload>(row.payloadEnc, payloadAad(stateHash));
    return { row, payload };
}

export async function deleteExpiredOAuthSessions(db: Database): Promise<number> {
    const result = await db.delete(oauthSessions).where(lt(oauthSessions.expiresAt, Date.now()));
    return result.meta.changes ?? 0;
}
