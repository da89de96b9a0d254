/**
 * JSON with object keys sorted at every level and no whitespace. Webhook bodies are serialized
 * this way once, stored, and those exact bytes are signed and sent, so a receiver that
 * re-serializes a parsed body the same way can also check the signature.
 */
export function stableStringify(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === 'object' && !(value instanceof Date)) {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])
        );
    }
    return value;
}
