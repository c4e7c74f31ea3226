/** The aubergine sidebar: workspace name, channels, direct messages, and the Pulse app. */
import type { PlaygroundConversation, PlaygroundState } from '../protocol.ts';
import { h } from './create-element.ts';
import type { Selection } from './page-selection.ts';
import { sidebarSections } from './workspace-names.ts';

export interface SidebarHandlers {
  openConversation(id: string): void;
  openPulse(): void;
}

function prefixOf(conversation: PlaygroundConversation): string {
  if (conversation.kind === 'public') return '#';
  if (conversation.kind === 'private') return '🔒';
  return conversation.kind === 'mpim' ? '👥' : '●';
}

export function renderSidebar(state: PlaygroundState, selection: Selection, handlers: SidebarHandlers): HTMLElement[] {
  const { channels, directMessages } = sidebarSections(state.conversations);
  // The DM with Pulse opens as the app (highlighted under Apps), so only a plain conversation lights up here.
  const activeId = selection.kind === 'conversation' ? selection.id : undefined;
  const item = (conversation: PlaygroundConversation) =>
    h(
      'button',
      {
        type: 'button',
        class: `sidebar-item${conversation.id === activeId ? ' active' : ''}${conversation.isArchived ? ' archived' : ''}`,
        'data-testid': 'conversation',
        'data-id': conversation.id,
        'data-kind': conversation.kind,
        title: conversation.isArchived ? `${conversation.name} (archived)` : conversation.name,
        onclick: () => handlers.openConversation(conversation.id),
      },
      h('span', { class: `prefix${conversation.kind === 'im' ? ' presence' : ''}` }, prefixOf(conversation)),
      h('span', { class: 'name' }, conversation.name),
      conversation.isArchived ? h('span', { class: 'archived-tag' }, 'archived') : null,
    );
  return [
    h('div', { class: 'workspace-name', title: state.team.id }, state.team.name, h('span', { class: 'caret' }, '▾')),
    h(
      'nav',
      { class: 'sidebar-sections', 'aria-label': 'Conversations' },
      h('div', { class: 'sidebar-heading' }, 'Channels'),
      channels.length > 0 ? channels.map(item) : h('div', { class: 'sidebar-empty' }, 'No channels yet'),
      h('div', { class: 'sidebar-heading' }, 'Direct messages'),
      directMessages.map(item),
      h('div', { class: 'sidebar-heading' }, 'Apps'),
      h(
        'button',
        {
          type: 'button',
          class: `sidebar-item app${selection.kind === 'pulse' ? ' active' : ''}`,
          'data-testid': 'app-pulse',
          onclick: () => handlers.openPulse(),
        },
        h('span', { class: 'app-icon' }, 'P'),
        h('span', { class: 'name' }, state.bot.name),
      ),
    ),
  ];
}
