import { plainButton } from './components.js';
import { h } from './dom.js';
import { t } from './i18n/strings.js';

export interface ConfirmLayer {
    element: HTMLElement;
    /** The safe choice, focused first so Enter or Space never discards by accident. */
    keepButton: HTMLButtonElement;
}

/** "Discard your changes?", shown over the dialog when the user closes it with a half-filled form. */
export function confirmDiscard(onKeep: () => void, onDiscard: () => void): ConfirmLayer {
    const keepButton = plainButton(t('confirm.keep'), onKeep, 'secondary');
    const element = h(
        'div',
        { class: 'confirm-layer' },
        h(
            'div',
            { class: 'confirm', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' },
            h('h2', { id: 'confirm-title', class: 'confirm-title' }, t('confirm.title')),
            h('p', { id: 'confirm-body' }, t('confirm.body')),
            h('div', { class: 'confirm-actions' }, keepButton, plainButton(t('confirm.discard'), onDiscard, 'danger'))
        )
    );
    return { element, keepButton };
}
