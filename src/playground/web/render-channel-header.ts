/** The bar above the messages: the conversation's name, or the Pulse app with its Home and Messages tabs. */
import type { PlaygroundState } from '../protocol.ts';
import { h } from './create-element.ts';
import type { Selection } from './page-selection.ts';

export interface HeaderHandlers {
  /** A tab was clicked (also the one already shown: reopening Home asks Pulse for it again). */
  openTab(tab: 'home' | 'messages'): void;
}

/** The header's content, and the window title to go with it. */
export function renderChannelHeader(state: PlaygroundState, selection: Selection, handlers: HeaderHandlers): { content: HTMLElement[]; title: string } {
  if (selection.kind === 'pulse') {
    const tab = (name: 'home' | 'messages', label: string) =>
      h(
        'button',
        {
          type: 'button',
          class: `tab${selection.tab === name ? ' active' : ''}`,
          role: 'tab',
          'aria-selected': String(selection.tab === name),
          'data-testid': `tab-${name}`,
          onclick: () => handlers.openTab(name),
        },
        label,
      );
    return {
      content: [
        h('div', { class: 'header-title' }, h('span', { class: 'app-icon large' }, 'P'), h('span', {}, state.bot.name), h('span', { class: 'badge' }, 'APP')),
        h('div', { class: 'tabs', role: 'tablist' }, tab('home', 'Home'), tab('messages', 'Messages')),
      ],
      title: state.bot.name,
    };
  }
  const conversation = state.conversations.find((candidate) => candidate.id === selection.id);
  const prefix = conversation?.kind === 'public' ? '# ' : conversation?.kind === 'private' ? '🔒 ' : '';
  const name = `${prefix}${conversation?.name ?? selection.id}`;
  return {
    content: [
      h('div', { class: 'header-title' }, h('span', {}, name), conversation?.isArchived ? h('span', { class: 'archived-tag' }, 'archived') : null),
    ],
    title: name,
  };
}
