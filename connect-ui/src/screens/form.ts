import { actionButton, guideFooter } from '../components.js';
import type { Screen } from '../dialog.js';
import { h } from '../dom.js';
import { collectValues, fieldModel, initialValues, type CollectedValues } from '../fields.js';
import { createFieldSet } from '../form-fields.js';
import { t } from '../i18n/strings.js';
import { targetHeader, targetName, type Target } from '../target.js';

export interface FormScreenOptions {
    target: Target;
    back: (() => void) | null;
    /** Values typed before a failed attempt, restored on "Try again". */
    previous: Record<string, string>;
    /** Sends the credentials and moves on to the result; never rejects. */
    submit: (values: CollectedValues, typed: Record<string, string>) => Promise<void>;
}

/** Credentials form for API_KEY, BASIC, OAUTH2_CC and TBA, plus the provider's connection config. */
export function formScreen({ target, back, previous, submit }: FormScreenOptions): Screen {
    const model = fieldModel(target.provider, target.defaults, true);
    const button = actionButton(t('connect.submit'), t('connect.submitting'));
    const fields = createFieldSet(model.inputs, initialValues(model, previous), target.docsConnect, () => button.setEnabled(fields.isValid()));
    button.setEnabled(fields.isValid());

    const onSubmit = async (event: SubmitEvent): Promise<void> => {
        event.preventDefault();
        if (button.isBusy() || !fields.revealErrors()) return;
        button.setBusy(true);
        fields.setLocked(true);
        try {
            await submit(collectValues(model, fields.values()), fields.values());
        } finally {
            button.setBusy(false);
            fields.setLocked(false);
        }
    };

    const form = h(
        'form',
        { class: 'form', novalidate: true, onsubmit: (event: SubmitEvent) => void onSubmit(event) },
        h('p', { class: 'intro' }, t('form.intro', { provider: targetName(target) })),
        fields.element,
        h('div', { class: 'actions' }, button.element),
        guideFooter(target.docsConnect)
    );
    return {
        ...targetHeader(target),
        back,
        body: form,
        isDirty: () => fields.isDirty(),
        focus: () => fields.firstInput()
    };
}
