/**
 * What the playground page shows one person: the emulated workspace seen
 * through their membership, in the wire format of protocol.ts. A pure
 * builder over the emulator's records; it never changes the workspace.
 */
import type { EmulatedConversation, EmulatedMessage, EmulatedUser, EmulatedView } from '../emulator/types.ts';
import type { Workspace } from '../emulator/workspace.ts';
import {
  PLAYGROUND_FILES_PATH,
  type PlaygroundConversation,
  type PlaygroundFile,
  type PlaygroundMessage,
  type PlaygroundPerson,
  type PlaygroundState,
  type PlaygroundView,
} from './protocol.ts';

/** Newest messages per conversation sent to the page (a seeded channel holds a few hundred). */
export const MAX_MESSAGES_PER_CONVERSATION = 1_000;

export interface StateOptions {
  /** Who the page acts as. */
  userId: string;
  /** The people the page may act as. */
  actorIds: readonly string[];
  /** The DM between the acting person and Pulse (opened by the caller). */
  pulseDm: string;
  /** Message shortcuts offered in the "…" menu. */
  shortcuts: readonly { callbackId: string; name: string }[];
  /** Field errors of the last submission per modal view id. */
  viewErrors: ReadonlyMap<string, Record<string, string>>;
}

const person = (user: EmulatedUser): PlaygroundPerson => ({
  id: user.id,
  name: user.name,
  realName: user.realName,
  isAdmin: user.isAdmin,
  isBot: user.isBot,
});

/** What the page may know of a conversation: private ones only when the person is in them. */
function visibleConversation(conversation: EmulatedConversation, userId: string, users: ReadonlyMap<string, EmulatedUser>) {
  const isMember = conversation.members.has(userId);
  if (!isMember && conversation.kind !== 'public') return undefined;
  const view: PlaygroundConversation = {
    id: conversation.id,
    name: conversation.name,
    kind: conversation.kind,
    isArchived: conversation.isArchived,
    isMember,
  };
  if (conversation.kind === 'im' && conversation.imUser) {
    // A DM is named after the other party: for a person's DM with Pulse, that is Pulse.
    const other = [...conversation.members].find((id) => id !== userId) ?? conversation.imUser;
    view.imUser = other;
    view.name = users.get(other)?.realName ?? other;
  }
  return view;
}

function file(workspace: Workspace, fileId: string): PlaygroundFile | undefined {
  const stored = workspace.files.get(fileId);
  if (!stored?.completed) return undefined;
  return {
    id: stored.id,
    name: stored.name,
    title: stored.title,
    mimetype: stored.mimetype,
    url: `${PLAYGROUND_FILES_PATH}${encodeURIComponent(stored.id)}/${encodeURIComponent(stored.name)}`,
    isImage: stored.mimetype.startsWith('image/'),
  };
}

function message(workspace: Workspace, stored: EmulatedMessage, userId: string): PlaygroundMessage {
  const author = workspace.users.get(stored.user);
  const isBot = stored.botId !== undefined || author?.isBot === true;
  return {
    ts: stored.ts,
    channel: stored.channel,
    user: stored.user,
    userName: author ? author.realName || author.name : stored.user,
    isBot,
    ...(stored.subtype ? { subtype: stored.subtype } : {}),
    text: stored.text,
    ...(stored.blocks ? { blocks: stored.blocks } : {}),
    ...(stored.threadTs ? { threadTs: stored.threadTs } : {}),
    replyCount: stored.replyTs.length,
    replyUsers: [...stored.replyUsers],
    reactions: stored.reactions.map((reaction) => ({
      name: reaction.name,
      count: reaction.users.length,
      users: [...reaction.users],
      mine: reaction.users.includes(userId),
    })),
    files: stored.fileIds.map((id) => file(workspace, id)).filter((found): found is PlaygroundFile => found !== undefined),
    edited: stored.edited !== undefined,
    streaming: stored.streaming === true,
  };
}

const viewOf = (view: EmulatedView, errors: ReadonlyMap<string, Record<string, string>>): PlaygroundView => ({
  id: view.id,
  view: view.view,
  errors: errors.get(view.id) ?? {},
});

export function buildPlaygroundState(workspace: Workspace, options: StateOptions): PlaygroundState {
  const me = workspace.requireUser(options.userId);
  const conversations = [...workspace.conversations.values()]
    .map((conversation) => visibleConversation(conversation, me.id, workspace.users))
    .filter((conversation): conversation is PlaygroundConversation => conversation !== undefined);
  const messages: Record<string, PlaygroundMessage[]> = {};
  for (const conversation of conversations) {
    if (!conversation.isMember) continue;
    const list = workspace.listMessages(conversation.id);
    messages[conversation.id] = list.slice(-MAX_MESSAGES_PER_CONVERSATION).map((stored) => message(workspace, stored, me.id));
  }
  const homeId = workspace.homeViews.get(me.id);
  const home = homeId ? workspace.views.get(homeId) : undefined;
  const modals = [...workspace.views.values()].filter((view) => view.userId === me.id && view.type === 'modal' && !view.closed);
  return {
    team: { id: workspace.team.id, name: workspace.team.name },
    me: person(me),
    actors: options.actorIds.map((id) => person(workspace.requireUser(id))),
    people: [...workspace.users.values()].filter((user) => !user.deleted).map(person),
    bot: { id: workspace.bot.id, name: workspace.bot.realName },
    conversations,
    pulseDm: options.pulseDm,
    messages,
    home: home ? viewOf(home, options.viewErrors) : null,
    modals: modals.map((view) => viewOf(view, options.viewErrors)),
    shortcuts: [...options.shortcuts],
  };
}

/**
 * Turns "@Pulse" and "@handle" (as typed in the composer) into Slack's
 * <@U…> mentions; other @words stay text. Longest handles first, so
 * "@ana" does not take the start of "@anabel".
 */
export function mentionsToSlack(text: string, people: readonly { id: string; name: string; realName?: string }[], bot: { id: string; name: string }): string {
  const handles = new Map<string, string>();
  for (const someone of people) handles.set(someone.name.toLowerCase(), someone.id);
  handles.set(bot.name.toLowerCase(), bot.id);
  const names = [...handles.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  if (names.length === 0) return text;
  const pattern = new RegExp(`(^|[^\\w<])@(${names.join('|')})(?![\\w-]|\\.\\w)`, 'gi');
  return text.replace(pattern, (_match, before: string, name: string) => `${before}<@${handles.get(name.toLowerCase()) ?? name}>`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
