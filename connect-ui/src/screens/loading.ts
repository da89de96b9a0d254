import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { t } from '../i18n/strings.js';

export function loadingScreen(title = t('dialog.loading')): Screen {
    return {
        title,
        body: h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner spinner-large', 'aria-hidden': 'true' }), h('span', { class: 'visually-hidden' }, t('dialog.loading')))
    };
}
