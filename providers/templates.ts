/**
 * Provider templates: `${connectionConfig.subdomain}`, `${credentials.apiKey}`, `${accessToken}`.
 * Kept deliberately small: no expressions, no helpers, so every entry stays data.
 */

export type TemplateVariable =
    | { scope: 'connectionConfig' | 'credentials'; name: string; raw: string }
    | { scope: 'accessToken'; name: 'accessToken'; raw: string };

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const SCOPED = /^(connectionConfig|credentials)\.([A-Za-z][\w.-]*)$/;

/** Lists the placeholders of a template; throws on one that is not a known variable. */
export function templateVariables(template: string): TemplateVariable[] {
    const found: TemplateVariable[] = [];
    for (const match of template.matchAll(PLACEHOLDER)) {
        const raw = (match[1] ?? '').trim();
        if (raw === 'accessToken') {
            found.push({ scope: 'accessToken', name: 'accessToken', raw });
            continue;
        }
        const scoped = SCOPED.exec(raw);
        if (!scoped) {
            throw new Error(`\${${raw}} is not a template variable (use connectionConfig.<name>, credentials.<name> or accessToken)`);
        }
        found.push({ scope: scoped[1] as 'connectionConfig' | 'credentials', name: scoped[2]!, raw });
    }
    return found;
}

export interface TemplateValues {
    connectionConfig?: Record<string, unknown>;
    credentials?: Record<string, unknown>;
    accessToken?: string;
}

/**
 * Fills a template, or returns null when a variable has no value, so callers can fall back to the
 * next candidate. With `encode`, values are URL-encoded so a crafted subdomain such as
 * `evil.com#` cannot change the host; a placeholder that opens the template is a whole base URL
 * (Salesforce's `instance_url`) and is left as is.
 */
export function fillTemplate(template: string, values: TemplateValues, { encode }: { encode: boolean }): string | null {
    let missing = false;
    const filled = template.replace(PLACEHOLDER, (_, inner: string, offset: number) => {
        const raw = inner.trim();
        let value: unknown;
        if (raw === 'accessToken') {
            value = values.accessToken;
        } else {
            const scoped = SCOPED.exec(raw);
            value = scoped ? values[scoped[1] as 'connectionConfig' | 'credentials']?.[scoped[2]!] : undefined;
        }
        if (value === undefined || value === null || value === '') {
            missing = true;
            return '';
        }
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return encode && offset > 0 ? encodeURIComponent(text) : text;
    });
    return missing ? null : filled;
}
