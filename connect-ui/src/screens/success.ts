import { plainButton, statusBlock } from '../components.js';
import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { t } from '../i18n/strings.js';
import { targetHeader, targetName, type Target } from '../target.js';

/** In a connect link there is no page to go back to, so the user is told to close the tab. */
export function successScreen(target: Target, onFinish: (() => void) | null): Screen {
    const finish = onFinish ? plainButton(t('success.finish'), onFinish, 'primary') : null;
    return {
        ...targetHeader(target),
        body: statusBlock(
            'success',
            t('success.title'),
            h('p', { role: 'status' }, t('success.body', { provider: targetName(target) })),
            finish ? h('div', { class: 'actions' }, finish) : h('p', { class: 'muted' }, t('success.closeTab'))
        ),
        focus: () => finish
    };
}
