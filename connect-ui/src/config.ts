import type { Theme } from '../../sdk/frontend/src/types.js';

/** How this page was opened, read once from its URL. */
export interface LaunchConfig {
    /** Inside an iframe: the token arrives by postMessage and events go back to the parent. */
    embedded: boolean;
    /** Connect link (`?session_token=`): a tab of its own, nothing to report to. */
    sessionToken: string | null;
    apiURL: string;
    lang: string | null;
    theme: Theme | null;
    detectClosedAuthWindow: boolean;
}

const THEMES: readonly string[] = ['light', 'dark', 'system'] satisfies Theme[];

export function readConfig(): LaunchConfig {
    const params = new URLSearchParams(window.location.search);
    const sessionToken = params.get('session_token');
    const theme = params.get('theme');
    return {
        embedded: window.parent !== window && !sessionToken,
        sessionToken,
        // A connect link always talks to its own origin: honouring `apiURL` there would let anyone
        // craft a link on our domain that sends what the user types to a server of their choosing.
        apiURL: apiUrl(sessionToken ? null : params.get('apiURL')),
        lang: params.get('lang'),
        theme: theme && THEMES.includes(theme) ? (theme as Theme) : null,
        detectClosedAuthWindow: params.get('detectClosedAuthWindow') === 'true'
    };
}

/** The API base without a trailing slash; only http(s) URLs are accepted. */
function apiUrl(value: string | null): string {
    if (value) {
        try {
            const url = new URL(value);
            if (url.protocol === 'https:' || url.protocol === 'http:') return url.href.replace(/\/+$/, '');
        } catch {
            // Falls back to this page's origin below.
        }
    }
    return window.location.origin;
}
