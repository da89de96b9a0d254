import { actionButton, alertBox, guideFooter } from '../components.js';
import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { collectValues, fieldModel, initialValues } from '../fields.js';
import { createFieldSet } from '../form-fields.js';
import { t } from '../i18n/strings.js';
import { icon } from '../icons.js';
import { OAuthFlow, type OAuthFlowOptions, type OAuthOutcome } from '../oauth-popup.js';
import { targetHeader, targetName, type Target } from '../target.js';

export interface OAuthScreenOptions {
    target: Target;
    back: (() => void) | null;
    previous: Record<string, string>;
    connection: Pick<OAuthFlowOptions, 'apiURL' | 'sessionToken' | 'detectClosedAuthWindow'>;
    /** The pop-up's result; the caller moves on to the result screen. */
    onOutcome: (outcome: OAuthOutcome, typed: Record<string, string>) => void;
    /** A blocked or closed pop-up: shown here, reported to the host page by the caller. */
    onInterrupted: (errorType: string, message: string) => void;
}

/** "We'll connect you to X", plus any connection config the provider needs (e.g. a subdomain). */
export function oauthScreen({ target, back, previous, connection, onOutcome, onInterrupted }: OAuthScreenOptions): Screen {
    const name = targetName(target);
    const model = fieldModel(target.provider, target.defaults, false);
    const button = actionButton(t('connect.submit'), t('oauth.waiting', { provider: name }));
    const fields = createFieldSet(model.inputs, initialValues(model, previous), target.docsConnect, () => button.setEnabled(fields.isValid()));
    button.setEnabled(fields.isValid());
    const notice = h('div', { class: 'notice' });

    // Created with the screen so the socket is usually ready before the click.
    const flow = new OAuthFlow({
        ...connection,
        integrationKey: target.integration.unique_key,
        onOutcome: (outcome) => onOutcome(outcome, fields.values()),
        onWindowClosed: () => interrupt('window_closed', t('oauth.closed'))
    });

    const params = (): Record<string, string> => collectValues(model, fields.values()).params;
    const openPopup = (): void => {
        if (!flow.open(params())) {
            interrupt('blocked_by_browser', t('oauth.blocked'));
            return;
        }
        button.setBusy(true);
        fields.setLocked(true);
        const reopen = h('button', { type: 'button', class: 'link-button', onclick: openPopup }, t('oauth.reopen'));
        notice.replaceChildren(h('p', { class: 'waiting', role: 'status' }, t('oauth.waitingHelp', { provider: name }), ' ', reopen));
    };
    function interrupt(errorType: string, message: string): void {
        button.setBusy(false);
        button.setLabel(t('oauth.retry'));
        fields.setLocked(false);
        notice.replaceChildren(alertBox(message));
        onInterrupted(errorType, message);
    }

    const form = h(
        'form',
        {
            class: 'form',
            novalidate: true,
            // Synchronous on purpose: the pop-up must open within the user's click or key press.
            onsubmit: (event: SubmitEvent) => {
                event.preventDefault();
                if (!button.isBusy() && fields.revealErrors()) openPopup();
            }
        },
        h('div', { class: 'oauth-intro' }, icon('popup', 'oauth-icon'), h('p', {}, t('oauth.intro', { provider: name }))),
        fields.element,
        notice,
        h('div', { class: 'actions' }, button.element),
        guideFooter(target.docsConnect)
    );
    return {
        ...targetHeader(target),
        back,
        body: form,
        isDirty: () => fields.isDirty(),
        focus: () => fields.firstInput() ?? button.element,
        dispose: () => flow.dispose()
    };
}
