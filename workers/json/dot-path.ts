/** Reads `a.b.c` from parsed JSON; undefined when any step is missing. A key containing dots is tried whole first. */
export function dotGet(value: unknown, path: string): unknown {
    if (value && typeof value === 'object' && path in value) return (value as Record<string, unknown>)[path];
    let current = value;
    for (const key of path.split('.')) {
        if (!current || typeof current !== 'object') return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}
