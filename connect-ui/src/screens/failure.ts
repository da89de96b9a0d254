import { guideFooter, plainButton, statusBlock } from '../components.js';
import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { t } from '../i18n/strings.js';
import { targetHeader, targetName, type Target } from '../target.js';

export interface Failure {
    /** The provider's or the server's explanation; empty when there is none. */
    message: string;
    /** Raw error for the expandable details. */
    details: string;
}

export function failureScreen(target: Target, failure: Failure, onRetry: () => void, back: (() => void) | null): Screen {
    const retry = plainButton(t('failure.retry'), onRetry, 'primary');
    return {
        ...targetHeader(target),
        back,
        body: h(
            'div',
            {},
            statusBlock(
                'failure',
                t('failure.title'),
                h('p', { role: 'alert', class: 'failure-message' }, failure.message || t('failure.fallback', { provider: targetName(target) })),
                failure.details ? h('details', { class: 'details' }, h('summary', {}, t('failure.details')), h('pre', {}, failure.details)) : null,
                h('div', { class: 'actions' }, retry)
            ),
            guideFooter(target.docsConnect)
        ),
        focus: () => retry
    };
}
