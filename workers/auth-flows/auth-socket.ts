import type { Context } from 'hono';
import type { AuthSocketMessage } from '../../durable-objects/auth-socket-do.js';
import { toHex } from '../crypto/encoding.js';
import type { AppEnv } from '../http/app-env.js';

const CLIENT_ID = /^[0-9a-f]{32}$/;

export const isWsClientId = (id: string | null | undefined): id is string => !!id && CLIENT_ID.test(id);

/** Where browsers open the socket: the root, `@nangohq/frontend`'s default `websocketsPath`. */
export const AUTH_SOCKET_PATH = '/';

/**
 * A browser opens a WebSocket at `AUTH_SOCKET_PATH` before the OAuth popup (`@nangohq/frontend`'s `auth()`, the
 * Connect UI). It gets a fresh client id, and its own Durable Object holds the socket.
 */
export function openAuthSocket(c: Context<AppEnv>): Promise<Response> {
    const clientId = toHex(crypto.getRandomValues(new Uint8Array(16)));
    const headers = new Headers(c.req.raw.headers);
    headers.set('x-ws-client-id', clientId);
    return c.env.AUTH_SOCKET.getByName(clientId).fetch(new Request(c.req.raw, { headers }));
}

/** Sends an authorization result to the browser waiting on `wsClientId`, if any. */
export async function publishAuthResult(env: Env, wsClientId: string | null | undefined, message: AuthSocketMessage): Promise<void> {
    if (!isWsClientId(wsClientId)) return;
    try {
        await env.AUTH_SOCKET.getByName(wsClientId).publish(message);
    } catch (error) {
        // The popup page delivers the result too; a lost socket message is not fatal.
        console.error('could not publish the authorization result', error);
    }
}
