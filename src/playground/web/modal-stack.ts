/**
 * Open modals over the page, the last on top. A modal is drawn again only
 * when its view or errors change, and what was typed into it is kept (by
 * view id) across those re-renders, as is the focused field.
 */
import type { ClientFrame, PlaygroundConversation, PlaygroundView } from '../protocol.ts';
import { asArray, collectValues, textOf, type InputReader } from './block-kit-json.ts';
import { h } from './create-element.ts';
import { renderBlocks, type BlockContext } from './render-blocks.ts';
import type { WorkspaceNames } from './workspace-names.ts';

export interface ModalEnvironment {
  names: WorkspaceNames;
  conversations: readonly PlaygroundConversation[];
  /** Changes whenever names or conversations do, so modals showing them are redrawn. */
  version: string;
  send(frame: ClientFrame): void;
}

interface Shown {
  signature: string;
  node: HTMLElement;
  inputs: InputReader[];
}

export class ModalStack {
  readonly element: HTMLElement = h('div', { class: 'overlay modal-overlay', hidden: true });
  private shown = new Map<string, Shown>();
  private readonly drafts = new Map<string, Map<string, string>>();

  update(modals: readonly PlaygroundView[], environment: ModalEnvironment): void {
    const next = new Map<string, Shown>();
    modals.forEach((modal, index) => {
      const signature = `${environment.version}\u0000${JSON.stringify(modal.view)}\u0000${JSON.stringify(modal.errors)}`;
      const known = this.shown.get(modal.id);
      let entry = known;
      if (!known || known.signature !== signature) {
        const focused = known ? focusedField(known.node) : undefined;
        const scroll = known?.node.querySelector('.dialog-body')?.scrollTop ?? 0;
        entry = this.render(modal, environment, signature);
        if (known) known.node.replaceWith(entry.node);
        entry.node.querySelector('.dialog-body')?.scrollTo(0, scroll);
        if (focused) restoreFocus(entry.node, focused);
      }
      const shown = entry as Shown;
      next.set(modal.id, shown);
      // Keep stacking order: bottom first, the last on top.
      if (this.element.children[index] !== shown.node) this.element.insertBefore(shown.node, this.element.children[index] ?? null);
    });
    for (const [id, entry] of this.shown) {
      if (next.has(id)) continue;
      entry.node.remove();
      this.drafts.delete(id);
    }
    this.shown = next;
    this.element.hidden = modals.length === 0;
    document.body.classList.toggle('has-modal', modals.length > 0);
  }

  private render(modal: PlaygroundView, environment: ModalEnvironment, signature: string): Shown {
    const drafts = this.drafts.get(modal.id) ?? new Map<string, string>();
    this.drafts.set(modal.id, drafts);
    const context: BlockContext = {
      names: environment.names,
      conversations: environment.conversations,
      act: (action) => environment.send({ type: 'block_action', target: { viewId: modal.id }, action }),
      drafts,
      errors: modal.errors,
      inputs: [],
    };
    const view = modal.view;
    const submitLabel = textOf(view.submit);
    const close = () => environment.send({ type: 'close_view', viewId: modal.id });
    const submit = () => environment.send({ type: 'submit_view', viewId: modal.id, values: collectValues(context.inputs) });
    const form = h(
      'form',
      {
        class: 'dialog modal',
        role: 'dialog',
        'aria-modal': 'true',
        'data-testid': 'modal',
        'data-view-id': modal.id,
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (submitLabel !== undefined) submit();
        },
      },
      h(
        'div',
        { class: 'dialog-header' },
        h('h2', {}, textOf(view.title) ?? 'Pulse'),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: close }, '×'),
      ),
      h('div', { class: 'dialog-body' }, renderBlocks(asArray(view.blocks), context)),
      h(
        'div',
        { class: 'dialog-footer' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'modal-close', onclick: close }, textOf(view.close) ?? (submitLabel ? 'Cancel' : 'Close')),
        submitLabel !== undefined ? h('button', { type: 'submit', class: 'button primary', 'data-testid': 'modal-submit' }, submitLabel) : null,
      ),
    );
    return { signature, node: form, inputs: context.inputs };
  }
}

interface FocusedField {
  blockId: string;
  actionId: string;
  /** The caret in a text field. */
  selection?: [number, number];
}

function focusedField(root: HTMLElement): FocusedField | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !root.contains(active)) return undefined;
  const holder = active.closest<HTMLElement>('[data-action-id]');
  if (!holder) return undefined;
  const field: FocusedField = { blockId: holder.dataset.blockId ?? '', actionId: holder.dataset.actionId ?? '' };
  if (active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && active.type === 'text')) {
    field.selection = [active.selectionStart ?? 0, active.selectionEnd ?? 0];
  }
  return field;
}

function restoreFocus(root: HTMLElement, field: FocusedField): void {
  const holder = [...root.querySelectorAll<HTMLElement>('[data-action-id]')].find(
    (element) => element.dataset.blockId === field.blockId && element.dataset.actionId === field.actionId,
  );
  const target = holder?.matches('input, textarea, select, button') ? holder : holder?.querySelector<HTMLElement>('input, textarea, select, button');
  target?.focus();
  if (field.selection && (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement)) target.setSelectionRange(...field.selection);
}
