import { plainButton, statusBlock } from '../components.js';
import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { t } from '../i18n/strings.js';

export interface ErrorScreenOptions {
    title: string;
    message: string;
    /** Offers "Try again" when the problem may be temporary. */
    retry?: (() => void) | null;
    back?: (() => void) | null;
}

/** A problem that stops the flow before any form: no token, expired session, unreachable server. */
export function errorScreen({ title, message, retry = null, back = null }: ErrorScreenOptions): Screen {
    const retryButton = retry ? plainButton(t('error.retry'), retry, 'primary') : null;
    return {
        // The header keeps the generic context; the specific problem is the body's heading.
        title: t('list.title'),
        back,
        body: statusBlock('failure', title, h('p', {}, message), retryButton ? h('div', { class: 'actions' }, retryButton) : null),
        focus: () => retryButton
    };
}
