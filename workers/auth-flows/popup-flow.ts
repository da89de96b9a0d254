import type { Credentials } from '../connections/credentials.js';
import type { OAuthSessionPayload } from './oauth-sessions.js';

/** The paths the popup returns to: providers' OAuth callback, and GitHub Apps' setup URL. */
export const CALLBACK_PATH = '/oauth/callback';
export const APP_SETUP_PATH = '/app-auth/connect';

/** How a popup flow begins: what to remember, and where to send the browser once the state exists. */
export interface FlowStart {
    payload: OAuthSessionPayload;
    /** The state to store the flow under, when the provider dictates it (OAuth 1.0a's temporary token). */
    state?: string;
    location: (state: string) => string;
    /** Where the provider sends the browser back, so the state cookie goes there. */
    returnPaths: string[];
}

/** What the provider's redirect back carries, whichever flow it ends. */
export type CallbackQuery = Record<string, string | undefined>;

/** What a finished flow stores: the credentials, and config learned on the way (token metadata, installation id). */
export interface FlowResult {
    credentials: Credentials;
    config: Record<string, unknown>;
}
