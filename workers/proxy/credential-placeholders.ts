import { CREDENTIAL_PLACEHOLDER_PATTERN } from '../../functions-runtime/host-contract.js';
import type { ConnectionSecrets } from '../connections/credentials.js';

/** Whether a string carries a credential placeholder a function received instead of a secret. */
export const hasPlaceholder = (text: string) => new RegExp(CREDENTIAL_PLACEHOLDER_PATTERN.source).test(text);

/** Puts the real secrets (credentials, secret config fields) in place of the placeholders (see functions-runtime/host-contract.ts). */
export function fillPlaceholders(text: string, secrets: ConnectionSecrets): string {
    const values: Record<string, unknown> = { ...secrets.secretConfig, ...(secrets.credentials as unknown as Record<string, unknown>) };
    return text.replace(new RegExp(CREDENTIAL_PLACEHOLDER_PATTERN.source, 'g'), (placeholder, field: string) => {
        const value = values[field];
        return typeof value === 'string' ? value : placeholder;
    });
}
