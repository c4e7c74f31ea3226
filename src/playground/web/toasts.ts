/** What the server refused, as a dismissable note in the corner. */
import { h } from './create-element.ts';

/** A toast leaves by itself after this long (it can be dismissed sooner). */
const TOAST_MS = 12_000;

let shelf: HTMLElement | undefined;

export function showToast(message: string): void {
  shelf ??= document.body.appendChild(h('div', { class: 'toasts', 'aria-live': 'polite' }));
  const dismiss = () => toast.remove();
  const toast = h(
    'div',
    { class: 'toast', role: 'alert', 'data-testid': 'toast' },
    h('span', { class: 'toast-text' }, message),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', 'data-testid': 'toast-close', onclick: dismiss }, '×'),
  );
  shelf.append(toast);
  setTimeout(dismiss, TOAST_MS);
}
