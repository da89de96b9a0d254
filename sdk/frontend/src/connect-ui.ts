import type { ConnectUIEvent, SessionTokenMessage, Theme } from './types.js';

export interface ConnectUIOptions {
    /** Can also be given later with `setSessionToken()`, e.g. while your backend creates it. */
    sessionToken?: string | undefined;
    /** Where the Connect UI is served; defaults to `<host>/connect/`. */
    baseURL: string;
    /** The platform API the Connect UI calls; defaults to the SDK's host. */
    apiURL: string;
    onEvent?: (event: ConnectUIEvent) => void | Promise<void>;
    detectClosedAuthWindow?: boolean | undefined;
    lang?: string | undefined;
    themeOverride?: Theme | undefined;
}

/** The Connect UI in a full-page transparent iframe, talking to this page with postMessage. */
export class ConnectUI {
    private iframe: HTMLIFrameElement | null = null;
    private ready = false;
    private listener: ((event: MessageEvent) => void) | null = null;
    private sessionToken: string | undefined;
    private previousOverflow = '';
    private previousFocus: Element | null = null;
    private readonly url: URL;

    constructor(private readonly options: ConnectUIOptions) {
        this.sessionToken = options.sessionToken;
        this.url = frameUrl(options);
    }

    /** Mounts the iframe. Calling it again while it is mounted does nothing. */
    open(): void {
        if (this.iframe?.isConnected) return;
        this.close();
        const iframe = document.createElement('iframe');
        iframe.src = this.url.href;
        iframe.title = 'Connect';
        iframe.allow = 'clipboard-write';
        // The frame's root keeps the light scheme; a mismatch with this page would make browsers paint
        // an opaque background behind the transparent dialog backdrop.
        iframe.style.cssText =
            'position:fixed;inset:0;width:100vw;height:100vh;border:0;margin:0;padding:0;z-index:9999;background:transparent;color-scheme:normal';
        // Cross-origin frames may not take focus on their own, so keyboard users would stay behind the dialog.
        iframe.addEventListener('load', () => iframe.focus());

        this.listener = (event) => this.onMessage(event);
        window.addEventListener('message', this.listener);
        this.previousFocus = document.activeElement;
        this.previousOverflow = document.body.style.overflow;
        document.body.style.overflow = 'hidden';
        document.body.append(iframe);
        this.iframe = iframe;
    }

    /** Removes the iframe and gives the page its scroll and focus back. */
    close(): void {
        if (this.listener) window.removeEventListener('message', this.listener);
        this.listener = null;
        if (!this.iframe) return;
        this.iframe.remove();
        this.iframe = null;
        this.ready = false;
        document.body.style.overflow = this.previousOverflow;
        if (this.previousFocus instanceof HTMLElement) this.previousFocus.focus();
    }

    /** Sends a (new) token; the Connect UI restarts with it. */
    setSessionToken(sessionToken: string): void {
        this.sessionToken = sessionToken;
        if (this.ready) this.sendSessionToken();
    }

    private onMessage(event: MessageEvent): void {
        if (event.origin !== this.url.origin || !this.iframe || event.source !== this.iframe.contentWindow) return;
        const data: unknown = event.data;
        if (!isEvent(data)) return;
        if (data.type === 'ready') {
            this.ready = true;
            this.sendSessionToken();
        }
        if (data.type === 'close') this.close();
        void this.options.onEvent?.(data);
    }

    private sendSessionToken(): void {
        if (!this.sessionToken) return;
        const message: SessionTokenMessage = { type: 'session_token', sessionToken: this.sessionToken };
        this.iframe?.contentWindow?.postMessage(message, this.url.origin);
    }
}

function frameUrl(options: ConnectUIOptions): URL {
    const url = new URL(options.baseURL);
    // The page loads its assets with relative paths, which resolve only under a trailing slash.
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.searchParams.set('apiURL', options.apiURL);
    if (options.detectClosedAuthWindow) url.searchParams.set('detectClosedAuthWindow', 'true');
    if (options.lang) url.searchParams.set('lang', options.lang);
    if (options.themeOverride) url.searchParams.set('theme', options.themeOverride);
    return url;
}

const EVENT_TYPES: readonly string[] = ['ready', 'close', 'connect', 'error'] satisfies ConnectUIEvent['type'][];

function isEvent(data: unknown): data is ConnectUIEvent {
    return typeof data === 'object' && data !== null && EVENT_TYPES.includes((data as { type?: unknown }).type as string);
}
