/**
 * Turns a value into plain JSON data, so it can cross the RPC boundary and be stored as JSON:
 * Errors keep their name, message and stack, bigints become strings, and a value JSON cannot
 * represent (a cycle, a bare function) becomes its string form.
 */
export function toPlainData(value: unknown): unknown {
    if (value === undefined) return undefined;
    try {
        const json = JSON.stringify(value, replacer);
        return json === undefined ? String(value) : JSON.parse(json);
    } catch {
        return String(value);
    }
}

function replacer(_key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    return value;
}
