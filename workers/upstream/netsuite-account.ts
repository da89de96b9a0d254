/**
 * A NetSuite account id is written `1234567_SB1` in the signature's realm and `1234567-sb1` in
 * API host names; end users type either.
 */
export const netsuiteRealm = (accountId: string) => accountId.toUpperCase().replace(/-/g, '_');
export const netsuiteHostLabel = (accountId: string) => accountId.toLowerCase().replace(/_/g, '-');
