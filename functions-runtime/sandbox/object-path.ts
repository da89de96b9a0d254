// Dot paths (`data.items`, `a[0].b`) into response bodies and request bodies.

function segments(path: string): string[] {
    return path.replace(/\[(\w+)\]/g, '.$1').split('.').filter((s) => s !== '');
}

export function getPath(value: unknown, path: string): unknown {
    let current = value;
    for (const key of segments(path)) {
        if (current === null || typeof current !== 'object') return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** A copy of `target` with `value` at `path`; the objects along the path are copied, never mutated, since they may be the caller's. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const [key, ...rest] = segments(path);
    if (key === undefined) return target;
    if (rest.length === 0) return { ...target, [key]: value };
    const child = target[key];
    const base = child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
    return { ...target, [key]: setPath(base, rest.join('.'), value) };
}
