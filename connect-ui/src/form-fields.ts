// Renders a provider's fields as labelled inputs and tracks their values and validity.
import { externalLink, safeUrl } from './components.js';
import { h, uniqueId } from './dom.js';
import type { FieldSpec } from './fields.js';
import { t } from './i18n/strings.js';
import { icon } from './icons.js';
import { validate } from './validation.js';

export interface FieldSet {
    element: HTMLElement;
    values(): Record<string, string>;
    isValid(): boolean;
    isDirty(): boolean;
    /** Shows every field's error and focuses the first invalid one; true when all are valid. */
    revealErrors(): boolean;
    /** Locks the inputs while a submission runs. */
    setLocked(locked: boolean): void;
    firstInput(): HTMLElement | null;
}

interface FieldControl {
    spec: FieldSpec;
    element: HTMLElement;
    input: HTMLInputElement | HTMLSelectElement;
    showError(): void;
}

export function createFieldSet(specs: FieldSpec[], initial: Record<string, string>, docsConnect: string | undefined, onChange: () => void): FieldSet {
    const controls = specs.map((spec) => renderField(spec, initial[spec.id] ?? '', docsConnect, onChange));
    const values = (): Record<string, string> => Object.fromEntries(controls.map((c) => [c.spec.id, c.input.value]));
    return {
        element: h('div', { class: 'fields' }, controls.map((c) => c.element)),
        values,
        isValid: () => controls.every((c) => validate(c.spec.field, c.input.value) === null),
        isDirty: () => controls.some((c) => c.input.value !== (initial[c.spec.id] ?? '')),
        revealErrors() {
            controls.forEach((c) => c.showError());
            const invalid = controls.find((c) => validate(c.spec.field, c.input.value) !== null);
            invalid?.input.focus();
            return !invalid;
        },
        setLocked(locked) {
            // Read-only rather than disabled keeps focus where it is while a submission runs.
            for (const c of controls) {
                if (c.input instanceof HTMLInputElement) c.input.readOnly = locked;
                else c.input.disabled = locked;
            }
        },
        firstInput: () => controls[0]?.input ?? null
    };
}

function renderField(spec: FieldSpec, value: string, docsConnect: string | undefined, onChange: () => void): FieldControl {
    const { field } = spec;
    const id = uniqueId('field');
    const helpId = `${id}-help`;
    const errorId = `${id}-error`;
    const describedBy: string[] = [];

    const input = field.enum ? renderSelect(spec, value) : renderInput(spec, value);
    input.id = id;
    input.name = spec.id;
    input.required = !field.optional;

    const prefix = field.prefix ? h('span', { class: 'adornment', id: `${id}-prefix` }, field.prefix) : null;
    const suffix = field.suffix ? h('span', { class: 'adornment', id: `${id}-suffix` }, field.suffix) : null;
    if (prefix) describedBy.push(prefix.id);
    if (suffix) describedBy.push(suffix.id);
    const toggle = field.secret && input instanceof HTMLInputElement ? secretToggle(input, field.title) : null;

    const help = field.description ? h('p', { class: 'field-help', id: helpId }, field.description) : null;
    if (help) describedBy.push(helpId);
    const error = h('p', { class: 'field-error', id: errorId, 'aria-live': 'polite' });
    describedBy.push(errorId);
    input.setAttribute('aria-describedby', describedBy.join(' '));

    const docHref = fieldDocUrl(field.doc_section, docsConnect);
    const docLink = docHref ? externalLink(docHref, icon('help')) : null;
    docLink?.classList.add('field-doc');
    docLink?.setAttribute('aria-label', t('form.fieldHelp', { field: field.title }));

    const label = h(
        'div',
        { class: 'field-label' },
        h('label', { for: id }, field.title, field.optional ? null : h('span', { class: 'required', 'aria-hidden': 'true', title: t('form.required') }, '*')),
        field.optional ? h('span', { class: 'badge' }, t('form.optional')) : null,
        docLink
    );
    const control = h('div', { class: 'control' }, prefix, input, suffix, toggle);
    const element = h('div', { class: 'field' }, label, control, help, error);

    // Errors appear once the user leaves a field, then follow every keystroke until it is fixed.
    let touched = false;
    const showError = (): void => {
        touched = true;
        const message = validate(field, input.value);
        error.textContent = message ?? '';
        input.setAttribute('aria-invalid', String(message !== null));
        control.classList.toggle('is-invalid', message !== null);
    };
    input.addEventListener('input', () => {
        if (touched) showError();
        onChange();
    });
    input.addEventListener('blur', () => {
        if (input.value !== '' || touched) showError();
    });
    input.addEventListener('change', () => {
        if (input instanceof HTMLSelectElement) showError();
        onChange();
    });
    return { spec, element, input, showError };
}

/** `doc_section` is an anchor in the connection guide, or a URL of its own. */
function fieldDocUrl(section: string | undefined, docsConnect: string | undefined): string | null {
    if (!section?.startsWith('#')) return safeUrl(section);
    const guide = safeUrl(docsConnect);
    return guide ? `${guide.split('#')[0]}${section}` : null;
}

function renderInput(spec: FieldSpec, value: string): HTMLInputElement {
    const { field } = spec;
    const type = field.secret ? 'password' : field.format === 'email' ? 'email' : field.format === 'uri' ? 'url' : 'text';
    const input = h('input', {
        type,
        class: 'input',
        placeholder: field.example,
        // Third-party credentials: the browser must not offer the user's passwords for this site.
        autocomplete: 'off',
        autocapitalize: 'off',
        spellcheck: 'false',
        'data-1p-ignore': true
    });
    input.value = value;
    return input;
}

function renderSelect(spec: FieldSpec, value: string): HTMLSelectElement {
    const options = spec.field.enum ?? [];
    const select = h(
        'select',
        { class: 'input' },
        h('option', { value: '', disabled: !spec.field.optional }, t('form.selectPlaceholder')),
        options.map((option) => h('option', { value: option }, option))
    );
    select.value = options.includes(value) ? value : '';
    return select;
}

function secretToggle(input: HTMLInputElement, title: string): HTMLButtonElement {
    // A constant name with aria-pressed: screen readers announce "Show API key, toggle, pressed".
    const button = h('button', { type: 'button', class: 'reveal', 'aria-label': t('form.show', { field: title }) });
    const render = (): void => {
        const shown = input.type === 'text';
        button.replaceChildren(icon(shown ? 'eyeOff' : 'eye'));
        button.setAttribute('aria-pressed', String(shown));
        button.title = t(shown ? 'form.hide' : 'form.show', { field: title });
    };
    button.addEventListener('click', () => {
        input.type = input.type === 'password' ? 'text' : 'password';
        render();
    });
    render();
    return button;
}
