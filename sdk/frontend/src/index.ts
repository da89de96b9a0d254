// Spoke's browser SDK: opens the Connect UI, or runs an authorization headlessly. Its options and
// methods mirror @nangohq/frontend so that switching is a change of import.
import { AuthError } from './auth-error.js';
import { authQuery } from './auth-query.js';
import { ConnectUI } from './connect-ui.js';
import type { ConnectUIOptions } from './connect-ui.js';
import { credentialRoute, isOAuthOverride } from './credential-routes.js';
import { authorizeInPopup, popupFeatures } from './oauth-popup.js';
import type { AuthOptions, AuthResult } from './types.js';

export { AuthError, ConnectUI };
export type { ConnectUIOptions };
export type * from './types.js';

export interface SpokeOptions {
    /** The platform's URL, e.g. `https://spoke.example.com`. */
    host: string;
    /** Created by your backend with `POST /connect/sessions`. */
    connectSessionToken?: string;
    /** Path of the WebSocket endpoint, relative to `host`. */
    websocketsPath?: string;
    /** Size of the OAuth pop-up. */
    width?: number;
    height?: number;
    debug?: boolean;
}

interface ErrorBody {
    error: { code?: string; message?: string };
}

export type OpenConnectUIOptions = Partial<ConnectUIOptions>;

export class Spoke {
    private readonly host: string;
    private readonly webSocketUrl: string;
    private readonly connectSessionToken: string | undefined;
    private readonly width: number;
    private readonly height: number;
    private readonly debug: boolean;

    constructor({ host, connectSessionToken, websocketsPath = '/', width = 500, height = 600, debug = false }: SpokeOptions) {
        try {
            this.host = new URL(host).href.replace(/\/+$/, '');
            this.webSocketUrl = new URL(websocketsPath, this.host).href.replace(/^http/, 'ws');
        } catch {
            throw new AuthError('Invalid URL provided for the Spoke host', 'invalid_host_url');
        }
        this.connectSessionToken = connectSessionToken;
        this.width = width;
        this.height = height;
        this.debug = debug;
        this.log(`using host ${this.host}`);
    }

    /** Opens the Connect UI over the page and returns it, so you can close it or pass a token later. */
    openConnectUI(options: OpenConnectUIOptions = {}): ConnectUI {
        const ui = new ConnectUI({
            ...options,
            baseURL: options.baseURL ?? `${this.host}/connect/`,
            apiURL: options.apiURL ?? this.host,
            sessionToken: options.sessionToken ?? this.connectSessionToken
        });
        ui.open();
        return ui;
    }

    /**
     * Connects an account without the Connect UI: key-based credentials are posted directly, anything
     * else goes through the OAuth pop-up. Call it from a click handler so the pop-up is allowed.
     */
    auth(integrationKey: string, options?: AuthOptions): Promise<AuthResult>;
    auth(integrationKey: string, connectionId: string, options?: AuthOptions): Promise<AuthResult>;
    async auth(integrationKey: string, connectionIdOrOptions?: string | AuthOptions, moreOptions?: AuthOptions): Promise<AuthResult> {
        const connectionId = typeof connectionIdOrOptions === 'string' ? connectionIdOrOptions : null;
        const options = (typeof connectionIdOrOptions === 'string' ? moreOptions : connectionIdOrOptions) ?? {};
        if (!this.connectSessionToken) {
            throw new AuthError('A connect session token is required (create one with POST /connect/sessions)', 'missing_auth_token');
        }
        const { credentials, ...withoutCredentials } = options;
        if (credentials && Object.keys(credentials).length > 0 && !isOAuthOverride(credentials)) {
            const route = credentialRoute(integrationKey, credentials);
            if (!route) throw new AuthError('These credentials match no authorization method', 'missing_credentials');
            // The body carries them all, a TBA consumer override included; secrets stay out of the URL.
            return this.post(route.path + authQuery(this.connectSessionToken, connectionId, withoutCredentials), route.body);
        }
        const query = authQuery(this.connectSessionToken, connectionId, options);

        // Nothing may be awaited before this line: browsers only allow pop-ups during the click.
        const popup = window.open('', '_blank', popupFeatures(this.width, this.height));
        return authorizeInPopup({
            popup,
            authorizeUrl: `${this.host}/oauth/connect/${encodeURIComponent(integrationKey)}${query}`,
            webSocketUrl: this.webSocketUrl,
            detectClosedAuthWindow: options.detectClosedAuthWindow ?? false,
            log: (message) => this.log(message)
        });
    }

    /** Re-authorizes the connection a reconnect session (`POST /connect/sessions/reconnect`) is pinned to. */
    async reconnect(integrationKey: string, options?: AuthOptions): Promise<AuthResult> {
        if (!this.connectSessionToken) throw new AuthError('Reconnect requires a session token', 'missing_connect_session_token');
        return this.auth(integrationKey, options);
    }

    private async post(path: string, body: Record<string, string>): Promise<AuthResult> {
        let response: Response;
        try {
            response = await fetch(this.host + path, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify(body)
            });
        } catch {
            throw new AuthError('Could not reach the Spoke server', 'unknown_error');
        }
        const json = (await response.json().catch(() => null)) as ErrorBody | AuthResult | null;
        if (!response.ok || !json || 'error' in json) {
            const error = json && 'error' in json ? json.error : undefined;
            throw new AuthError(error?.message ?? `The server answered ${response.status}`, error?.code ?? 'unknown_error');
        }
        return json;
    }

    private log(message: string): void {
        if (this.debug) console.log('[spoke]', message);
    }
}

export { Spoke as Nango };
export default Spoke;
