/**
 * What the page shows in its middle: a conversation, or the Pulse app on
 * its Home or Messages tab (Messages is the person's DM with Pulse). DOM-free.
 */
import type { PlaygroundState } from '../protocol.ts';

export type Selection = { kind: 'conversation'; id: string } | { kind: 'pulse'; tab: 'home' | 'messages' };

/** The conversation whose messages are shown, if any. */
export function shownConversationId(selection: Selection, state: Pick<PlaygroundState, 'pulseDm'>): string | undefined {
  if (selection.kind === 'conversation') return selection.id;
  return selection.tab === 'messages' ? state.pulseDm : undefined;
}

/** Opening a conversation: the DM with Pulse opens as the Pulse app's Messages tab. */
export function selectConversation(id: string, state: Pick<PlaygroundState, 'pulseDm'>): Selection {
  return id === state.pulseDm ? { kind: 'pulse', tab: 'messages' } : { kind: 'conversation', id };
}

/** Where the page starts: #general if the person is in it, else their first channel, else Pulse. */
export function firstSelection(state: Pick<PlaygroundState, 'conversations' | 'pulseDm'>): Selection {
  const channels = state.conversations.filter((conversation) => conversation.isMember && (conversation.kind === 'public' || conversation.kind === 'private'));
  const general = channels.find((conversation) => conversation.name === 'general' && !conversation.isArchived);
  const first = general ?? channels.find((conversation) => !conversation.isArchived) ?? channels[0];
  return first ? { kind: 'conversation', id: first.id } : { kind: 'pulse', tab: 'messages' };
}

/** The selection still valid for a new state (after switching person, leaving a channel…). */
export function keepSelection(selection: Selection | undefined, state: Pick<PlaygroundState, 'conversations' | 'pulseDm'>): Selection {
  if (!selection) return firstSelection(state);
  if (selection.kind === 'pulse') return selection;
  if (selection.id === state.pulseDm) return { kind: 'pulse', tab: 'messages' };
  const still = state.conversations.some((conversation) => conversation.id === selection.id && conversation.isMember);
  return still ? selection : firstSelection(state);
}
