import { AuthError } from './auth-error.js';
import type { AuthResult, SocketMessage } from './types.js';

/** `window.open` features for a pop-up of this size, centred on the current window. */
export function popupFeatures(width: number, height: number): string {
    const w = Math.min(width, window.screen.availWidth);
    const h = Math.min(height, window.screen.availHeight);
    const left = Math.max(0, window.screenX + (window.outerWidth - w) / 2);
    const top = Math.max(0, window.screenY + (window.outerHeight - h) / 2);
    return `popup=yes,width=${w},height=${h},left=${Math.round(left)},top=${Math.round(top)},scrollbars=yes,resizable=yes`;
}

export interface PopupFlow {
    /** The pop-up, opened blank by the caller inside the user's click (Safari blocks it otherwise). */
    popup: Window | null;
    /** `/oauth/connect/…` with its query, minus `ws_client_id`, which the socket provides. */
    authorizeUrl: string;
    webSocketUrl: string;
    detectClosedAuthWindow: boolean;
    log: (message: string) => void;
}

/**
 * Opens the socket, sends the pop-up to the authorization URL once the server has named this
 * client, and settles with the result the server pushes when the callback completes.
 */
export function authorizeInPopup({ popup, authorizeUrl, webSocketUrl, detectClosedAuthWindow, log }: PopupFlow): Promise<AuthResult> {
    return new Promise((resolve, reject) => {
        if (!popup || popup.closed) {
            reject(new AuthError('The browser blocked the authorization pop-up', 'blocked_by_browser'));
            return;
        }
        let settled = false;
        const socket = new WebSocket(webSocketUrl);
        const poll = setInterval(() => {
            if (detectClosedAuthWindow && popup.closed) {
                finish(new AuthError('The authorization window was closed before the authorization flow was completed', 'window_closed'));
            }
        }, 500);

        function finish(outcome: AuthResult | AuthError): void {
            if (settled) return;
            settled = true;
            clearInterval(poll);
            socket.close();
            // A short delay lets the callback page message its opener before the pop-up goes away.
            setTimeout(() => popup?.close(), 500);
            if (outcome instanceof AuthError) reject(outcome);
            else resolve(outcome);
        }

        socket.onmessage = (event) => {
            let data: SocketMessage;
            try {
                data = JSON.parse(String(event.data)) as SocketMessage;
            } catch {
                return;
            }
            if (data.message_type === 'connection_ack' && data.ws_client_id) {
                const url = `${authorizeUrl}&ws_client_id=${encodeURIComponent(data.ws_client_id)}`;
                log(`opening ${url}`);
                popup.location.href = url;
            } else if (data.message_type === 'success') {
                log('authorization succeeded');
                finish({ providerConfigKey: data.provider_config_key ?? '', connectionId: data.connection_id ?? '', isPending: data.is_pending ?? false });
            } else if (data.message_type === 'error') {
                log(`authorization failed: ${data.error_type ?? 'unknown_error'}`);
                finish(new AuthError(data.error_desc ?? 'The authorization failed', data.error_type ?? 'unknown_error'));
            }
        };
        socket.onclose = () => finish(new AuthError('The connection to the server closed before the authorization finished', 'unknown_error'));
    });
}
