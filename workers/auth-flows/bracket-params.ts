/** Reads `name[key]=value` query parameters, the way Nango's frontend SDK sends params and authorization_params. */
export function bracketParams(url: URL, name: string): Record<string, string> {
    const out: Record<string, string> = {};
    const pattern = new RegExp(`^${name}\\[(.+)\\]$`);
    for (const [param, value] of url.searchParams) {
        const key = pattern.exec(param)?.[1];
        if (key !== undefined) out[key] = value;
    }
    return out;
}

/**
 * The extra authorization URL params of a popup flow: the browser's `authorization_params[k]`,
 * under the session's defaults (which come from the developer's backend). The frontend SDK sends
 * `authorization_params[k]=undefined` to mean "leave k out".
 */
export function requestedAuthorizationParams(url: URL, sessionDefaults: Record<string, string> | undefined): Record<string, string> {
    const requested = Object.entries(bracketParams(url, 'authorization_params')).filter(([, v]) => v !== 'undefined');
    return { ...Object.fromEntries(requested), ...sessionDefaults };
}
