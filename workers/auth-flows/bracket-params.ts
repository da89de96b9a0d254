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
