/**
 * Everything the OAuth popup's last page says, in one place so it can be translated. The page
 * knows no language preference (the provider's redirect carries none), so it speaks English.
 */
export const callbackPageStrings = {
    lang: 'en',
    connectedTitle: 'Connected',
    connectedBody: 'You can close this window.',
    failedTitle: 'Connection failed',
    closeWindow: 'Close window'
} as const;
