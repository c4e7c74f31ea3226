/**
 * A small hyperscript for building the page's DOM: attributes as strings,
 * `on*` functions as listeners, text children as text nodes (never HTML).
 */

type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | undefined | null | Listener>;
export type Child = Node | string | number | false | null | undefined | Child[];

function append(parent: Node, child: Child): void {
  if (child === false || child === null || child === undefined) return;
  if (Array.isArray(child)) {
    for (const inner of child) append(parent, inner);
    return;
  }
  parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'value' && 'value' in element) (element as HTMLInputElement).value = String(value);
    else if (name === 'checked' && element instanceof HTMLInputElement) element.checked = value === true;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** An element whose content is HTML this page produced itself (render-mrkdwn escapes everything it was given). */
export function withTrustedHtml<T extends HTMLElement>(element: T, html: string): T {
  element.innerHTML = html;
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.textContent = '';
  append(parent, children);
}
