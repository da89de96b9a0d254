/** Keys whose values are secrets wherever they appear in logged data. */
const SECRET_KEY = /(secret|password|passwd|token|api_?key|apikey|private_?key|authorization|credential|signature|cookie|client_?certificate)/i;

/** Names that only describe a secret (`token_url`, `credentials_type`) and are safe to keep. */
const DESCRIPTIVE = /(_url|_type|_path|_method|_format|_unit|_metadata|_label)$/i;

export const REDACTED = '[redacted]';

/**
 * Copies a value for the operation log with every secret-looking field replaced. Applied to all
 * meta before it is written, so a new call site cannot leak by forgetting to.
 */
export function redact(value: unknown, depth = 0): unknown {
    if (depth > 8) return REDACTED;
    if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
    if (value && typeof value === 'object') {
        return Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && !DESCRIPTIVE.test(k) ? REDACTED : redact(v, depth + 1)])
        );
    }
    return value;
}
