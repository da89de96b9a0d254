// Small building blocks shared by the screens.
import { h } from './dom.js';
import { t } from './i18n/strings.js';
import { icon } from './icons.js';

/** The URL if it is http(s), so a catalogue entry can never smuggle in a `javascript:` link. */
export function safeUrl(value: string | undefined): string | null {
    if (!value) return null;
    try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
        return null;
    }
}

export function externalLink(href: string, ...children: (Node | string)[]): HTMLAnchorElement {
    return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, ...children);
}

/** A provider logo; falls back to its initial if the image does not load. */
export function logo(url: string | undefined, name: string, className = 'logo'): HTMLElement {
    const fallback = h('span', { class: `${className} logo-fallback`, 'aria-hidden': 'true' }, name.trim().charAt(0).toUpperCase());
    const src = safeUrl(url);
    if (!src) return fallback;
    const img = h('img', { class: className, src, alt: t('logo.alt', { provider: name }), width: 40, height: 40, decoding: 'async' });
    img.addEventListener('error', () => img.replaceWith(fallback), { once: true });
    return img;
}

export interface ActionButton {
    element: HTMLButtonElement;
    setEnabled(enabled: boolean): void;
    setBusy(busy: boolean): void;
    setLabel(label: string): void;
    isBusy(): boolean;
}

/**
 * A form's submit button, which can be unavailable (invalid form) or busy. It uses aria-disabled
 * rather than `disabled` so it stays focusable: keyboard users can reach it, and activating it
 * anyway lets the form point at what is missing.
 */
export function actionButton(label: string, busyLabel: string): ActionButton {
    const text = h('span', {}, label);
    const element = h('button', { type: 'submit', class: 'button button-primary' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
    let idleLabel = label;
    let enabled = true;
    let busy = false;
    const sync = (): void => {
        element.setAttribute('aria-disabled', String(!enabled || busy));
        element.setAttribute('aria-busy', String(busy));
        element.classList.toggle('is-busy', busy);
        text.textContent = busy ? busyLabel : idleLabel;
    };
    sync();
    return {
        element,
        setEnabled(value) {
            enabled = value;
            sync();
        },
        setBusy(value) {
            busy = value;
            sync();
        },
        setLabel(value) {
            idleLabel = value;
            sync();
        },
        isBusy: () => busy
    };
}

export function plainButton(label: string, onClick: () => void, variant = 'secondary'): HTMLButtonElement {
    return h('button', { type: 'button', class: `button button-${variant}`, onclick: onClick }, label);
}

export function alertBox(message: string, action?: HTMLElement): HTMLElement {
    return h('div', { class: 'alert', role: 'alert' }, icon('failure'), h('div', { class: 'alert-body' }, h('p', {}, message), action));
}

/** "Need help? View the connection guide", when the provider has an end-user guide. */
export function guideFooter(docsConnect: string | undefined): HTMLElement | null {
    const href = safeUrl(docsConnect);
    if (!href) return null;
    return h('p', { class: 'guide' }, icon('help'), `${t('connect.guide')} `, externalLink(href, t('connect.guideLink'), icon('external', 'icon icon-inline')));
}

/** A centred status block: large icon, heading and text, used by the result and error screens. */
export function statusBlock(kind: 'success' | 'failure' | 'empty', title: string, ...body: (Node | string | null)[]): HTMLElement {
    const name = kind === 'empty' ? 'plug' : kind;
    return h('div', { class: `status status-${kind}` }, icon(name, 'status-icon'), h('h2', { class: 'status-title' }, title), ...body);
}
