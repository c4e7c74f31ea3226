/**
 * One floating menu at a time (the message "…" menu, overflow menus). It
 * lives on <body>, outside the re-rendered parts of the page, so a state
 * frame arriving while it is open does not close it.
 */
import { h } from './create-element.ts';

export interface MenuItem {
  label: string;
  /** Extra attributes, e.g. the browser tests' data-testid hooks. */
  attributes?: Record<string, string>;
  onSelect(): void;
}

let open: { menu: HTMLElement; anchor: HTMLElement } | undefined;

export function closeMenu(): void {
  open?.menu.remove();
  open?.anchor.classList.remove('menu-open');
  open = undefined;
}

export function isMenuOpenFor(anchor: HTMLElement): boolean {
  return open?.anchor === anchor;
}

export function openMenu(anchor: HTMLElement, items: readonly MenuItem[]): void {
  const again = open?.anchor === anchor;
  closeMenu();
  if (again) return; // a second click on the same button closes it
  const menu = h(
    'div',
    { class: 'menu', role: 'menu', 'data-testid': 'menu' },
    items.map((item) =>
      h(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          role: 'menuitem',
          ...item.attributes,
          onclick: () => {
            closeMenu();
            item.onSelect();
          },
        },
        item.label,
      ),
    ),
  );
  document.body.append(menu);
  const box = anchor.getBoundingClientRect();
  const width = menu.offsetWidth;
  const height = menu.offsetHeight;
  const left = Math.max(8, Math.min(box.right - width, window.innerWidth - width - 8));
  const below = box.bottom + 4;
  const top = below + height > window.innerHeight - 8 ? Math.max(8, box.top - height - 4) : below;
  menu.style.left = `${left}px`;
  menu.style.top = `${top}px`;
  anchor.classList.add('menu-open');
  open = { menu, anchor };
}

document.addEventListener('mousedown', (event) => {
  if (!open) return;
  const target = event.target as Node;
  if (!open.menu.contains(target) && !open.anchor.contains(target)) closeMenu();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeMenu();
});
