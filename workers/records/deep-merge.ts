type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `batchUpdate`'s merge: objects merge key by key, at every level; arrays and scalars are replaced; undefined changes nothing. */
export function deepMerge(target: Json, patch: Json): Json {
    const merged: Json = { ...target };
    for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        const current = merged[key];
        merged[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
    }
    return merged;
}
