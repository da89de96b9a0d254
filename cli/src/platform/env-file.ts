import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Reads a dotenv file: `KEY=value` lines, optional `export `, `#` comments, and values in single
 * quotes (literal) or double quotes (with \n escapes). A missing file is empty.
 */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
    if (!existsSync(file)) return {};
    const variables: Record<string, string> = {};
    for (const raw of (await readFile(file, 'utf8')).split(/\r?\n/)) {
        const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
        if (match) variables[match[1]!] = unquote(match[2]!);
    }
    return variables;
}

function unquote(value: string): string {
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length > 1) {
        const end = value.lastIndexOf(quote);
        if (end > 0) {
            const inner = value.slice(1, end);
            return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
        }
    }
    // Unquoted: a # after whitespace starts a comment.
    return value.replace(/\s+#.*$/, '');
}
