// The public types of the SDK. The Connect UI imports the event types from here too, so the
// protocol between the two is declared once.

/** Error codes raised by the SDK and the Connect UI. Server codes (e.g. `oauth_error`) pass through. */
export type AuthErrorType =
    | 'missing_auth_token'
    | 'blocked_by_browser'
    | 'invalid_host_url'
    | 'missing_credentials'
    | 'window_closed'
    | 'connection_test_failed'
    | 'missing_connect_session_token'
    | 'connection_validation_failed'
    | 'resource_capped'
    | 'unknown_error'
    // Keeps editor completion for the known codes while admitting the server's own.
    | (string & {});

export interface AuthResult {
    providerConfigKey: string;
    connectionId: string;
    isPending?: boolean;
}

export type Theme = 'light' | 'dark' | 'system';

export interface ApiKeyCredentials {
    apiKey: string;
}

export interface BasicApiCredentials {
    username?: string;
    password?: string;
}

export interface OAuth2ClientCredentials {
    client_id: string;
    client_secret: string;
}

/** A NetSuite token (TBA), optionally with the end user's own consumer. */
export interface TbaCredentials {
    token_id: string;
    token_secret: string;
    oauth_client_id_override?: string;
    oauth_client_secret_override?: string;
}

/** Per-connection OAuth app credentials, passed to the authorization URL instead of the integration's. */
export interface OAuthCredentialsOverride {
    oauth_client_id_override: string;
    oauth_client_secret_override: string;
    oauth_refresh_token_override?: string;
}

export interface AuthOptions {
    /** Connection-config values, e.g. `{ subdomain: 'acme' }`. */
    params?: Record<string, string>;
    user_scope?: string[];
    authorization_params?: Record<string, string>;
    /** Key-based credentials connect without a pop-up; an OAuth override is forwarded to the pop-up. */
    credentials?: ApiKeyCredentials | BasicApiCredentials | OAuth2ClientCredentials | TbaCredentials | OAuthCredentialsOverride;
    /** Reject with `window_closed` when the user closes the pop-up. Off by default: some providers
     * detach the pop-up from its opener, which looks the same as closing it. */
    detectClosedAuthWindow?: boolean;
}

export interface ConnectUIEventReady {
    type: 'ready';
}
export interface ConnectUIEventClose {
    type: 'close';
}
export interface ConnectUIEventConnect {
    type: 'connect';
    payload: AuthResult;
}
export interface ConnectUIEventError {
    type: 'error';
    payload: { errorType: AuthErrorType; errorMessage: string };
}
export type ConnectUIEvent = ConnectUIEventReady | ConnectUIEventClose | ConnectUIEventConnect | ConnectUIEventError;

/** What the host page sends to the Connect UI frame. */
export interface SessionTokenMessage {
    type: 'session_token';
    sessionToken: string;
}

/** A message on the OAuth-result WebSocket (`connection_ack`, then `success` or `error`). */
export interface SocketMessage {
    message_type?: string;
    ws_client_id?: string;
    provider_config_key?: string;
    connection_id?: string;
    is_pending?: boolean;
    error_type?: string;
    error_desc?: string;
}
