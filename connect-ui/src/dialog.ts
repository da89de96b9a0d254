// The dialog frame every screen is shown in: header (back, logo, title, close), scrolling content
// and the optional watermark. It owns closing (Esc, X, click outside, with a confirmation when
// a form has unsaved input) and keeps keyboard focus inside while it is modal.
import { confirmDiscard } from './confirm.js';
import { h } from './dom.js';
import { t } from './i18n/strings.js';
import { icon } from './icons.js';

export interface Screen {
    title: string;
    /** Shown before the title, e.g. the provider's logo. */
    icon?: Node | null;
    body: Node;
    /** Shows a back button that calls this. */
    back?: (() => void) | null;
    /** True when closing would lose what the user typed. */
    isDirty?: () => boolean;
    /** What gets focus when the screen appears; the title otherwise, so screen readers announce it. */
    focus?: () => HTMLElement | null;
    /** Called when another screen replaces this one. */
    dispose?: () => void;
}

export interface Shell {
    show(screen: Screen): void;
    setWatermark(visible: boolean): void;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Mounts the frame. `closable` is false for a connect link opened in its own tab: there is no
 * page to return to, so no close button, and the frame is not modal.
 */
export function mountShell(closable: boolean, onClose: () => void): Shell {
    let current: Screen | null = null;
    let confirmOpen = false;

    const title = h('h1', { id: 'dialog-title', class: 'dialog-title', tabindex: '-1' });
    const headerIcon = h('span', { class: 'header-icon' });
    const backButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': t('dialog.back'), title: t('dialog.back'), hidden: true, onclick: () => current?.back?.() }, icon('back'));
    const closeButton = closable ? h('button', { type: 'button', class: 'icon-button', 'aria-label': t('dialog.close'), title: t('dialog.close'), onclick: requestClose }, icon('close')) : null;
    const header = h('header', { class: 'dialog-header' }, backButton, headerIcon, title, closeButton);
    const content = h('div', { class: 'dialog-content' });
    const watermark = h('p', { class: 'watermark', hidden: true }, icon('lock'), t('dialog.watermark'));
    const dialog = h(
        'div',
        { class: 'dialog', role: closable ? 'dialog' : 'main', 'aria-modal': closable ? 'true' : null, 'aria-labelledby': 'dialog-title' },
        header,
        content,
        watermark
    );
    const backdrop = h('div', { class: closable ? 'backdrop is-modal' : 'backdrop' }, dialog);
    document.body.append(backdrop);

    if (closable) {
        // Only a press that starts and ends on the backdrop closes: a text selection dragged out of
        // an input must not.
        let pressedOutside = false;
        backdrop.addEventListener('pointerdown', (event) => (pressedOutside = event.target === backdrop));
        backdrop.addEventListener('click', (event) => {
            if (pressedOutside && event.target === backdrop) requestClose();
        });
        document.addEventListener('keydown', (event) => {
            if (event.key === 'Escape' && !confirmOpen) {
                event.preventDefault();
                requestClose();
            } else if (event.key === 'Tab') {
                trapTab(event);
            }
        });
    }

    function requestClose(): void {
        if (confirmOpen) return;
        if (!current?.isDirty?.()) {
            onClose();
            return;
        }
        const returnFocus = document.activeElement;
        const dismiss = (): void => {
            confirmOpen = false;
            layer.element.remove();
            header.inert = false;
            content.inert = false;
        };
        const layer = confirmDiscard(
            () => {
                dismiss();
                if (returnFocus instanceof HTMLElement) returnFocus.focus();
            },
            () => {
                dismiss();
                onClose();
            }
        );
        layer.element.addEventListener('keydown', (event) => {
            if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                layer.keepButton.click();
            }
        });
        confirmOpen = true;
        header.inert = true;
        content.inert = true;
        dialog.append(layer.element);
        layer.keepButton.focus();
    }

    /** Tab and Shift+Tab cycle through the dialog instead of leaving it for the page behind. */
    function trapTab(event: KeyboardEvent): void {
        const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[inert]') && el.getClientRects().length > 0);
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        if (!first || !last) {
            event.preventDefault();
            return;
        }
        const active = document.activeElement;
        if (!(active instanceof HTMLElement) || !dialog.contains(active)) {
            event.preventDefault();
            (event.shiftKey ? last : first).focus();
            return;
        }
        // Compare positions rather than identity: focus may sit on the title, which is not tabbable.
        const position = (el: HTMLElement): number => active.compareDocumentPosition(el);
        if (event.shiftKey && (active === first || position(first) & Node.DOCUMENT_POSITION_FOLLOWING)) {
            event.preventDefault();
            last.focus();
        } else if (!event.shiftKey && (active === last || position(last) & Node.DOCUMENT_POSITION_PRECEDING)) {
            event.preventDefault();
            first.focus();
        }
    }

    return {
        show(screen) {
            current?.dispose?.();
            current = screen;
            title.textContent = screen.title;
            headerIcon.replaceChildren(screen.icon ?? '');
            headerIcon.hidden = !screen.icon;
            backButton.hidden = !screen.back;
            content.replaceChildren(screen.body);
            content.scrollTop = 0;
            (screen.focus?.() ?? title).focus();
        },
        setWatermark(visible) {
            watermark.hidden = !visible;
        }
    };
}
