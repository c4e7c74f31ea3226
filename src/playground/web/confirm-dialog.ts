/**
 * Block Kit's confirmation dialog ({ title, text, confirm, deny }), shown
 * before a button's action is sent, as Slack does.
 */
import { h, withTrustedHtml } from './create-element.ts';
import { renderMrkdwn } from './render-mrkdwn.ts';
import type { WorkspaceNames } from './workspace-names.ts';

export interface ConfirmObject {
  title?: { text?: string };
  text?: { type?: string; text?: string };
  confirm?: { text?: string };
  deny?: { text?: string };
  style?: string;
}

export function askToConfirm(confirm: ConfirmObject, names: WorkspaceNames, onConfirm: () => void): void {
  const close = () => {
    overlay.remove();
    document.removeEventListener('keydown', onKey);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
  };
  const body = h('div', { class: 'confirm-text md' });
  if (confirm.text?.type === 'mrkdwn') withTrustedHtml(body, renderMrkdwn(confirm.text.text ?? '', names));
  else body.textContent = confirm.text?.text ?? 'Are you sure?';
  const yes = h(
    'button',
    {
      type: 'button',
      class: `button ${confirm.style === 'danger' ? 'danger' : 'primary'}`,
      'data-testid': 'confirm-yes',
      onclick: () => {
        close();
        onConfirm();
      },
    },
    confirm.confirm?.text ?? 'Yes',
  );
  const overlay = h(
    'div',
    { class: 'overlay confirm-overlay' },
    h(
      'div',
      { class: 'dialog confirm-dialog', role: 'alertdialog', 'aria-modal': 'true', 'data-testid': 'confirm-dialog' },
      h('div', { class: 'dialog-header' }, h('h2', {}, confirm.title?.text ?? 'Are you sure?')),
      h('div', { class: 'dialog-body' }, body),
      h(
        'div',
        { class: 'dialog-footer' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'confirm-no', onclick: close }, confirm.deny?.text ?? 'Cancel'),
        yes,
      ),
    ),
  );
  document.body.append(overlay);
  document.addEventListener('keydown', onKey);
  yes.focus();
}
