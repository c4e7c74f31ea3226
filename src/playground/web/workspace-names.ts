/**
 * Who and what an id names, as the page shows it: "@alice" for <@U…>, "#general"
 * for <#C…>. Built once per state frame from the lists the server sends. DOM-free.
 */
import type { PlaygroundConversation, PlaygroundPerson, PlaygroundState } from '../protocol.ts';

export interface WorkspaceNames {
  /** A person's handle (or Pulse's name) for an @mention; undefined when unknown. */
  userHandle(id: string): string | undefined;
  /** A conversation's name without '#'; undefined when the page may not know it. */
  channelName(id: string): string | undefined;
}

type NamesSource = Pick<PlaygroundState, 'people' | 'bot' | 'conversations'>;

export function buildWorkspaceNames(state: NamesSource): WorkspaceNames {
  const handles = new Map<string, string>(state.people.map((person) => [person.id, person.name]));
  // Pulse is mentioned by its shown name, as people type it ("@Pulse").
  handles.set(state.bot.id, state.bot.name);
  const channels = new Map<string, string>(state.conversations.map((conversation) => [conversation.id, conversation.name]));
  return {
    userHandle: (id) => handles.get(id),
    channelName: (id) => channels.get(id),
  };
}

/** The label of an actor in the "act as" switcher: "Ada Admin (admin)". */
export function describeActor(person: PlaygroundPerson): string {
  return `${person.realName || person.name} (${person.isAdmin ? 'admin' : 'member'})`;
}

/** One or two capitals for an avatar: "Alice Smith" → "AS", "pulse" → "P". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => Array.from(word ?? '')[0] ?? '').join('').toUpperCase() || '?';
}

/** A stable avatar hue for an id, so each person keeps one colour. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** The sidebar's sections: channels the person is in, then DMs, each sorted by name. */
export function sidebarSections(conversations: readonly PlaygroundConversation[]): {
  channels: PlaygroundConversation[];
  directMessages: PlaygroundConversation[];
} {
  const byName = (a: PlaygroundConversation, b: PlaygroundConversation) => a.name.localeCompare(b.name);
  const listed = conversations.filter((conversation) => conversation.isMember);
  return {
    channels: listed.filter((conversation) => conversation.kind === 'public' || conversation.kind === 'private').sort(byName),
    directMessages: listed.filter((conversation) => conversation.kind === 'im' || conversation.kind === 'mpim').sort(byName),
  };
}

export interface MentionCandidate {
  /** What the composer inserts after '@'. */
  handle: string;
  /** What the list shows. */
  label: string;
  id: string;
}

/** Autocomplete for "@…": Pulse first, then people whose handle or name starts with what was typed. */
export function mentionCandidates(state: Pick<PlaygroundState, 'people' | 'bot'>, typed: string, limit = 8): MentionCandidate[] {
  const query = typed.toLowerCase();
  const all: MentionCandidate[] = [
    { handle: state.bot.name, label: `${state.bot.name} (app)`, id: state.bot.id },
    ...state.people
      .filter((person) => !person.isBot && person.id !== state.bot.id)
      .map((person) => ({ handle: person.name, label: `${person.realName || person.name} @${person.name}`, id: person.id })),
  ];
  const matches = (candidate: MentionCandidate) =>
    candidate.handle.toLowerCase().startsWith(query) ||
    candidate.label.toLowerCase().split(/[\s@]+/).some((word) => word.startsWith(query));
  return all.filter(matches).slice(0, limit);
}

/** The "@…" being typed right before the caret, if any: its start index and the text after '@'. */
export function mentionBeingTyped(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|\s)@([\w.-]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return undefined;
  return { start: caret - (match[2] as string).length - 1, query: match[2] as string };
}
