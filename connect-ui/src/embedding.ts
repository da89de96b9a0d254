// The postMessage protocol with the page that embeds the Connect UI in an iframe.
import type { ConnectUIEvent, SessionTokenMessage } from '../../sdk/frontend/src/types.js';

export type Emit = (event: ConnectUIEvent) => void;

/**
 * Announces `ready` and hands over every session token the parent sends. The first token fixes the
 * parent's origin: events go only there, and messages from anywhere else are ignored.
 */
export function connectToParent(onToken: (token: string) => void): Emit {
    let parentOrigin: string | null = null;

    window.addEventListener('message', (event: MessageEvent) => {
        if (event.source !== window.parent) return;
        if (parentOrigin !== null && event.origin !== parentOrigin) return;
        if (!isTokenMessage(event.data)) return;
        parentOrigin = event.origin;
        onToken(event.data.sessionToken);
    });
    // No secret in it, and the parent's origin is not known yet.
    window.parent.postMessage({ type: 'ready' } satisfies ConnectUIEvent, '*');

    return (event) => {
        // An opaque origin ('null') cannot be addressed, and nothing may be broadcast with '*' once
        // a session exists. Before any token, the only events are closing and the missing-token
        // error, which carry nothing about a session.
        if (parentOrigin !== null && parentOrigin !== 'null') window.parent.postMessage(event, parentOrigin);
        else if (parentOrigin === null && (event.type === 'close' || event.type === 'error')) window.parent.postMessage(event, '*');
    };
}

function isTokenMessage(data: unknown): data is SessionTokenMessage {
    const message = data as Partial<SessionTokenMessage> | null;
    return typeof message === 'object' && message !== null && message.type === 'session_token' && typeof message.sessionToken === 'string' && message.sessionToken !== '';
}
