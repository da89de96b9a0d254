// Every user-facing string goes through t(). Catalogues are bundled: together they weigh less
// than a round trip to fetch one lazily.
import { en } from './en.js';
import { fr } from './fr.js';

export type StringKey = keyof typeof en;
export type Catalogue = Record<StringKey, string>;

const catalogues: Record<string, Catalogue> = { en, fr };
let current: Catalogue = en;

/**
 * Uses the first supported language among the preferences (the `lang` parameter, then the
 * browser's languages), matching on the primary subtag so `fr-CA` gets French. Returns its code.
 */
export function setLanguage(preferences: readonly (string | null | undefined)[]): string {
    for (const preference of preferences) {
        const code = preference?.toLowerCase().split(/[-_]/)[0];
        const catalogue = code ? catalogues[code] : undefined;
        if (code && catalogue) {
            current = catalogue;
            return code;
        }
    }
    current = en;
    return 'en';
}

/** The string for `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key: StringKey, vars: Record<string, string> = {}): string {
    return current[key].replace(/\{(\w+)\}/g, (match, name: string) => vars[name] ?? match);
}
