import { logo, statusBlock } from '../components.js';
import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { t } from '../i18n/strings.js';
import { icon } from '../icons.js';
import type { Integration } from '../types.js';

/** The integrations the session allows, one button each; arrow keys move between them. */
export function listScreen(integrations: Integration[], onSelect: (integration: Integration) => void): Screen {
    if (integrations.length === 0) {
        return { title: t('list.title'), body: statusBlock('empty', t('list.empty.title'), h('p', {}, t('list.empty.body'))) };
    }
    const buttons = integrations.map((integration) =>
        h(
            'button',
            { type: 'button', class: 'integration', 'aria-label': integration.display_name, onclick: () => onSelect(integration) },
            logo(integration.logo, integration.display_name),
            h('span', { class: 'integration-name' }, integration.display_name),
            icon('chevron', 'icon chevron')
        )
    );
    const list = h('ul', { class: 'integration-list', 'aria-label': t('list.title') }, buttons.map((button) => h('li', {}, button)));
    list.addEventListener('keydown', (event: KeyboardEvent) => {
        const index = buttons.indexOf(event.target as HTMLButtonElement);
        const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
        if (index === -1 || next === undefined) return;
        event.preventDefault();
        buttons[(next + buttons.length) % buttons.length]?.focus();
    });
    return {
        title: t('list.title'),
        body: h('div', {}, h('p', { class: 'intro' }, t('list.intro')), list)
    };
}
