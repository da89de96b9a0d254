// The one render helper: creates an element with attributes, listeners and children. Text children
// become text nodes, so provider and server strings are never parsed as HTML.

type Child = Node | string | false | null | undefined;
// `never` lets a handler declare the event type it expects (KeyboardEvent, MouseEvent…).
type Handler = (event: never) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

/** `on*` keys add listeners; `true` sets an empty attribute; false, null and undefined set nothing. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (typeof value === 'function') element.addEventListener(name.slice(2), value as EventListener);
        else if (value === true) element.setAttribute(name, '');
        else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
        if (child !== false && child !== null && child !== undefined) element.append(child);
    }
    return element;
}

let lastId = 0;
/** A document-unique id for aria and label references. */
export function uniqueId(prefix: string): string {
    lastId += 1;
    return `${prefix}-${lastId}`;
}
