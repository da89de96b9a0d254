// One OAuth attempt: the pop-up, and the three channels its result can arrive on (the WebSocket,
// a message from the callback page to its opener, and a BroadcastChannel for when the provider
// severed the opener link). The first result wins; the others are acknowledged and ignored.
import { authQuery } from '../../sdk/frontend/src/auth-query.js';
import type { SocketMessage } from '../../sdk/frontend/src/types.js';
import { popupFeatures } from '../../sdk/frontend/src/oauth-popup.js';
import type { AuthResult } from '../../sdk/frontend/src/types.js';

export type OAuthOutcome = { ok: true; result: AuthResult } | { ok: false; errorType: string; message: string };

export interface OAuthFlowOptions {
    apiURL: string;
    sessionToken: string;
    integrationKey: string;
    detectClosedAuthWindow: boolean;
    onOutcome: (outcome: OAuthOutcome) => void;
    onWindowClosed: () => void;
}

const CHANNEL = 'nango-oauth-callback';
const ACK = { type: 'nango_oauth_callback_ack' } as const;
// A named window: "open it again" reuses the pop-up instead of stacking new ones.
const POPUP_NAME = 'spoke-oauth';

interface CallbackMessage {
    type?: string;
    payload?: { providerConfigKey?: string; connectionId?: string; isPending?: boolean; errorType?: string; message?: string };
}

export class OAuthFlow {
    private readonly apiOrigin: string;
    private readonly socket: WebSocket;
    private readonly channel = new BroadcastChannel(CHANNEL);
    private readonly onWindowMessage = (event: MessageEvent): void => {
        if (event.origin === this.apiOrigin) this.onCallbackMessage(event.data, event.source);
    };
    private wsClientId: string | null = null;
    private socketDown = false;
    private popup: Window | null = null;
    /** The authorization URL, while the pop-up waits blank for the socket to name this client. */
    private pendingUrl: string | null = null;
    /** True between opening the pop-up and receiving a result. */
    private inFlight = false;
    private poll: ReturnType<typeof setInterval> | undefined;

    /** Opens the socket right away, so the client id is usually known by the time the user clicks. */
    constructor(private readonly options: OAuthFlowOptions) {
        this.apiOrigin = new URL(options.apiURL).origin;
        const socketUrl = new URL('/', options.apiURL);
        socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
        this.socket = new WebSocket(socketUrl.href);
        this.socket.onmessage = (event) => this.onSocketMessage(event);
        // Without the socket the result still arrives through the callback page's other channels.
        this.socket.onclose = () => {
            this.socketDown = true;
            this.navigatePending();
        };
        this.channel.onmessage = (event) => this.onCallbackMessage(event.data, null);
        window.addEventListener('message', this.onWindowMessage);
    }

    /**
     * Opens the pop-up. Must run synchronously inside the click handler: Safari blocks pop-ups
     * opened after anything asynchronous. Returns false when the browser blocked it.
     */
    open(params: Record<string, string>): boolean {
        const { apiURL, sessionToken, integrationKey } = this.options;
        const url = `${apiURL}/oauth/connect/${encodeURIComponent(integrationKey)}${authQuery(sessionToken, null, { params })}`;
        const ready = this.wsClientId !== null || this.socketDown;
        const popup = window.open(ready ? this.withClientId(url) : 'about:blank', POPUP_NAME, popupFeatures(500, 600));
        if (!popup || popup.closed) return false;
        this.popup = popup;
        this.pendingUrl = ready ? null : url;
        this.inFlight = true;
        clearInterval(this.poll);
        if (this.options.detectClosedAuthWindow) this.poll = setInterval(() => this.checkClosed(), 500);
        return true;
    }

    /** Stops listening; closes the pop-up if it is still waiting for a result. */
    dispose(): void {
        clearInterval(this.poll);
        this.socket.onclose = null;
        this.socket.close();
        this.channel.close();
        window.removeEventListener('message', this.onWindowMessage);
        if (this.inFlight) this.popup?.close();
        this.inFlight = false;
    }

    private withClientId(url: string): string {
        return this.wsClientId ? `${url}&ws_client_id=${encodeURIComponent(this.wsClientId)}` : url;
    }

    private navigatePending(): void {
        if (!this.pendingUrl || !this.popup || this.popup.closed) return;
        this.popup.location.href = this.withClientId(this.pendingUrl);
        this.pendingUrl = null;
    }

    /** Reports a closed pop-up but keeps listening: a provider that detached the pop-up from its
     * opener looks closed too, and its result may still arrive. */
    private checkClosed(): void {
        if (!this.inFlight || !this.popup?.closed) return;
        clearInterval(this.poll);
        this.options.onWindowClosed();
    }

    private onSocketMessage(event: MessageEvent): void {
        let data: SocketMessage;
        try {
            data = JSON.parse(String(event.data)) as SocketMessage;
        } catch {
            return;
        }
        if (data.message_type === 'connection_ack' && data.ws_client_id) {
            this.wsClientId = data.ws_client_id;
            this.navigatePending();
        } else if (data.message_type === 'success') {
            this.settle({ ok: true, result: { providerConfigKey: data.provider_config_key ?? this.options.integrationKey, connectionId: data.connection_id ?? '', isPending: data.is_pending ?? false } });
        } else if (data.message_type === 'error') {
            this.settle({ ok: false, errorType: data.error_type ?? 'unknown_error', message: data.error_desc ?? '' });
        }
    }

    private onCallbackMessage(raw: unknown, source: MessageEventSource | null): void {
        const data = (typeof raw === 'object' && raw !== null ? raw : {}) as CallbackMessage;
        const payload = data.payload ?? {};
        let outcome: OAuthOutcome;
        if (data.type === 'nango_oauth_callback_success') {
            // The BroadcastChannel reaches every tab of this origin: ignore another tab's integration.
            if (payload.providerConfigKey && payload.providerConfigKey !== this.options.integrationKey) return;
            outcome = { ok: true, result: { providerConfigKey: payload.providerConfigKey ?? this.options.integrationKey, connectionId: payload.connectionId ?? '', isPending: payload.isPending ?? false } };
        } else if (data.type === 'nango_oauth_callback_error') {
            outcome = { ok: false, errorType: payload.errorType ?? 'unknown_error', message: payload.message ?? '' };
        } else {
            return;
        }
        // The callback page waits for this to close itself. A window 'message' event's source is
        // the sending window (ports and service workers deliver elsewhere).
        if (source) (source as Window).postMessage(ACK, this.apiOrigin);
        this.settle(outcome);
    }

    private settle(outcome: OAuthOutcome): void {
        if (!this.inFlight) return;
        this.inFlight = false;
        clearInterval(this.poll);
        this.channel.postMessage(ACK);
        // The acknowledgement may never reach the pop-up: the socket can win before the callback
        // page listens, and browsers partition BroadcastChannel in third-party iframes. Closing it
        // ourselves, a moment later so the callback page can still message us, covers both.
        const popup = this.popup;
        setTimeout(() => popup?.close(), 500);
        this.options.onOutcome(outcome);
    }
}
