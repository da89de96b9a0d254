import { DurableObject } from 'cloudflare:workers';

/** The messages of the `@nangohq/frontend` WebSocket protocol. */
export type AuthSocketMessage =
    | { message_type: 'success'; provider_config_key: string; connection_id: string; is_pending: boolean }
    | { message_type: 'error'; provider_config_key: string; connection_id: string | null; error_type: string; error_desc: string };

// Nobody waits for an authorization longer than this; then the sockets are closed.
const MAX_WAIT_MS = 30 * 60_000;

/**
 * One per browser waiting for the result of an OAuth popup (named by its ws_client_id). The
 * socket hibernates while the user is at the provider, so waiting costs nothing; the OAuth
 * callback publishes the result through `publish`.
 */
export class AuthSocketDO extends DurableObject<Env> {
    override async fetch(request: Request): Promise<Response> {
        const clientId = request.headers.get('x-ws-client-id');
        if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket' || !clientId) {
            return new Response('Expected a WebSocket upgrade', { status: 426 });
        }
        const { 0: client, 1: server } = new WebSocketPair();
        this.ctx.acceptWebSocket(server);
        server.send(JSON.stringify({ message_type: 'connection_ack', ws_client_id: clientId }));
        await this.ctx.storage.setAlarm(Date.now() + MAX_WAIT_MS);
        return new Response(null, { status: 101, webSocket: client });
    }

    /** Sends the result to the waiting browser; returns how many sockets received it. */
    async publish(message: AuthSocketMessage): Promise<number> {
        const sockets = this.ctx.getWebSockets();
        for (const socket of sockets) socket.send(JSON.stringify(message));
        return sockets.length;
    }

    override async webSocketMessage(): Promise<void> {
        // The protocol has no client messages; anything sent is ignored.
    }

    override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
        socket.close(code === 1005 ? 1000 : code, 'closed');
    }

    override async alarm(): Promise<void> {
        for (const socket of this.ctx.getWebSockets()) socket.close(1000, 'authorization window expired');
    }
}
