// The part of node:crypto that test/support/provider-signing.ts uses: the workers tests import it,
// workerd provides it (nodejs_compat), but the Worker tsconfig has no Node types.
declare module 'node:crypto' {
    interface Hmac {
        update(data: string, encoding?: 'utf8'): Hmac;
        digest(encoding: 'hex' | 'base64'): string;
    }
    export function createHmac(algorithm: string, key: string): Hmac;
}
