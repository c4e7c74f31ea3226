/**
 * The emulated workspace: users, conversations, messages, reactions, files,
 * views. Pure state plus Slack's rules; HTTP and Socket Mode live elsewhere.
 * Every change is announced to `onChange` so the event dispatcher can turn
 * it into the Events API payloads Slack would send.
 */
import { randomUUID } from 'node:crypto';
import { compareTs, createIdSource, createTsClock, type IdSource } from './ids.ts';
import { SlackError } from './slack-error.ts';
import type {
  ConversationKind,
  EmulatedConversation,
  EmulatedFile,
  EmulatedMessage,
  EmulatedUser,
  EmulatedView,
  NewMessage,
  NewUser,
  TeamInfo,
  WorkspaceChange,
} from './types.ts';

export { SlackError } from './slack-error.ts';
export type { NewMessage, NewUser, TeamInfo, WorkspaceChange } from './types.ts';

export class Workspace {
  readonly team: TeamInfo;
  readonly users = new Map<string, EmulatedUser>();
  readonly conversations = new Map<string, EmulatedConversation>();
  /** Messages per conversation, kept in ts order (roots and replies together). */
  readonly messages = new Map<string, EmulatedMessage[]>();
  readonly files = new Map<string, EmulatedFile>();
  readonly views = new Map<string, EmulatedView>();
  readonly homeViews = new Map<string, string>();
  readonly nextTs: () => string;
  readonly bot: EmulatedUser & { botId: string; appId: string };
  private readonly listeners: ((change: WorkspaceChange) => void)[] = [];
  readonly now: () => number;
  /** Makes the ids of lasting things (seeded for stable ids across runs). */
  readonly newId: IdSource;

  constructor(options: { teamName?: string; domain?: string; now?: () => number; idSeed?: string } = {}) {
    this.now = options.now ?? (() => Date.now());
    this.newId = createIdSource(options.idSeed);
    this.nextTs = createTsClock(this.now);
    const appId = this.newId('A');
    this.team = {
      id: this.newId('T'),
      name: options.teamName ?? 'Pulse Emulated Workspace',
      domain: options.domain ?? 'pulse-emulated',
      appId,
      enterpriseId: null,
    };
    const botId = this.newId('B');
    const botUser = this.addUser({ name: 'pulse', realName: 'Pulse', isBot: true });
    botUser.botId = botId;
    botUser.appId = appId;
    this.bot = botUser as EmulatedUser & { botId: string; appId: string };
  }

  onChange(listener: (change: WorkspaceChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: WorkspaceChange): void {
    if (this.quietDepth > 0) return;
    for (const listener of this.listeners) listener(change);
  }

  private quietDepth = 0;

  /** Runs `change` without announcing it: history that existed before the app was listening. */
  silently<T>(change: () => T): T {
    this.quietDepth += 1;
    try {
      return change();
    } finally {
      this.quietDepth -= 1;
    }
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  addUser(user: NewUser): EmulatedUser {
    const record: EmulatedUser = {
      id: user.id ?? this.newId('U'),
      name: user.name,
      realName: user.realName ?? user.name,
      displayName: user.displayName ?? user.name,
      email: user.email ?? `${user.name}@example.com`,
      isAdmin: user.isAdmin ?? user.isOwner ?? false,
      isOwner: user.isOwner ?? false,
      isPrimaryOwner: user.isPrimaryOwner ?? false,
      isBot: user.isBot ?? false,
      deleted: false,
      tz: user.tz ?? 'Europe/London',
      tzLabel: 'Greenwich Mean Time',
      tzOffset: 0,
    };
    this.users.set(record.id, record);
    return record;
  }

  requireUser(id: string): EmulatedUser {
    const user = this.users.get(id);
    if (!user) throw new SlackError('user_not_found');
    return user;
  }

  createConversation(options: {
    name: string;
    kind?: Exclude<ConversationKind, 'im'>;
    members?: string[];
    creator?: string;
    isGeneral?: boolean;
  }): EmulatedConversation {
    const kind = options.kind ?? 'public';
    const prefix = kind === 'public' ? 'C' : kind === 'private' ? 'G' : 'G';
    const creator = options.creator ?? options.members?.[0] ?? this.bot.id;
    const conversation: EmulatedConversation = {
      id: this.newId(prefix),
      name: options.name,
      kind,
      created: this.nowSeconds(),
      creator,
      isArchived: false,
      isGeneral: options.isGeneral ?? false,
      members: new Set(options.members ?? []),
      topic: '',
      purpose: '',
    };
    this.conversations.set(conversation.id, conversation);
    this.messages.set(conversation.id, []);
    return conversation;
  }

  /** The DM between a user and the bot (what conversations.open returns). */
  openIm(userId: string): EmulatedConversation {
    this.requireUser(userId);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'im' && conversation.imUser === userId) return conversation;
    }
    const conversation: EmulatedConversation = {
      id: this.newId('D'),
      name: userId,
      kind: 'im',
      created: this.nowSeconds(),
      creator: userId,
      isArchived: false,
      isGeneral: false,
      members: new Set([userId, this.bot.id]),
      imUser: userId,
      topic: '',
      purpose: '',
    };
    this.conversations.set(conversation.id, conversation);
    this.messages.set(conversation.id, []);
    return conversation;
  }

  requireConversation(id: string): EmulatedConversation {
    const conversation = this.conversations.get(id);
    if (!conversation) throw new SlackError('channel_not_found');
    return conversation;
  }

  /** What the bot token may read or write: a member conversation, else Slack's errors. */
  requireBotAccess(id: string): EmulatedConversation {
    const conversation = this.requireConversation(id);
    if (!conversation.members.has(this.bot.id)) {
      // Private conversations the bot is not in do not exist as far as its token can tell.
      throw new SlackError(conversation.kind === 'public' ? 'not_in_channel' : 'channel_not_found');
    }
    return conversation;
  }

  join(conversationId: string, userId: string, inviter?: string): boolean {
    const conversation = this.requireConversation(conversationId);
    if (conversation.members.has(userId)) return false;
    conversation.members.add(userId);
    this.emit({
      kind: 'member_joined_channel',
      channel: conversation,
      user: userId,
      ...(inviter ? { inviter } : {}),
    });
    return true;
  }

  listMessages(channel: string): EmulatedMessage[] {
    return this.messages.get(channel) ?? [];
  }

  findMessage(channel: string, ts: string): EmulatedMessage | undefined {
    return this.listMessages(channel).find((message) => message.ts === ts);
  }

  requireMessage(channel: string, ts: string): EmulatedMessage {
    const message = this.findMessage(channel, ts);
    if (!message) throw new SlackError('message_not_found');
    return message;
  }

  postMessage(input: NewMessage): EmulatedMessage {
    const conversation = this.requireConversation(input.channel);
    if (conversation.isArchived) throw new SlackError('is_archived');
    let root: EmulatedMessage | undefined;
    if (input.threadTs !== undefined) {
      root = this.findMessage(input.channel, input.threadTs);
      // Slack accepts a thread_ts naming a reply: the reply's root is used.
      if (root?.threadTs !== undefined && root.threadTs !== root.ts) {
        root = this.findMessage(input.channel, root.threadTs);
      }
      if (!root) throw new SlackError('thread_not_found');
    }
    const message: EmulatedMessage = {
      ts: this.nextTs(),
      channel: input.channel,
      type: 'message',
      user: input.user,
      text: input.text,
      replyTs: [],
      replyUsers: [],
      reactions: [],
      fileIds: input.fileIds ?? [],
      ...(input.subtype ? { subtype: input.subtype } : {}),
      ...(input.botId ? { botId: input.botId, appId: input.appId ?? this.team.appId } : {}),
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(input.metadata ? { metadata: input.metadata } : {}),
      ...(input.streaming ? { streaming: true } : {}),
      ...(input.botId ? {} : { clientMsgId: randomUUID() }),
    };
    if (root) {
      message.threadTs = root.ts;
      message.parentUserId = root.user;
      root.threadTs = root.ts;
      root.replyTs.push(message.ts);
      if (!root.replyUsers.includes(message.user)) root.replyUsers.push(message.user);
    }
    const list = this.listMessages(input.channel);
    list.push(message);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    for (const fileId of message.fileIds) {
      const file = this.files.get(fileId);
      if (file && !file.channels.includes(input.channel)) file.channels.push(input.channel);
    }
    this.emit({ kind: 'message_posted', message });
    return message;
  }

  /** `editor` is who Slack names in `edited` (a bot's edits name its bot id); none for stream appends. */
  updateMessage(channel: string, ts: string, changes: { text?: string; blocks?: unknown[] }, editor: string | undefined) {
    const message = this.requireMessage(channel, ts);
    const previous = { ...message };
    if (changes.text !== undefined) message.text = changes.text;
    if (changes.blocks !== undefined) message.blocks = changes.blocks;
    if (editor !== undefined) message.edited = { user: editor, ts: this.nextTs() };
    this.emit({ kind: 'message_changed', message, previous });
    return message;
  }

  deleteMessage(channel: string, ts: string): EmulatedMessage {
    const message = this.requireMessage(channel, ts);
    if (message.threadTs === message.ts && message.replyTs.length > 0) {
      // A thread root with replies stays as Slack's tombstone, so the replies keep their thread.
      const previous = { ...message };
      message.subtype = 'tombstone';
      message.text = 'This message was deleted.';
      message.fileIds = [];
      delete message.blocks;
      this.emit({ kind: 'message_deleted', message: previous });
      return previous;
    }
    const list = this.listMessages(channel);
    list.splice(list.indexOf(message), 1);
    if (message.threadTs && message.threadTs !== message.ts) {
      const root = this.findMessage(channel, message.threadTs);
      if (root) root.replyTs = root.replyTs.filter((replyTs) => replyTs !== ts);
    }
    this.emit({ kind: 'message_deleted', message });
    return message;
  }

  addReaction(channel: string, ts: string, name: string, user: string): void {
    const message = this.requireMessage(channel, ts);
    let reaction = message.reactions.find((candidate) => candidate.name === name);
    if (reaction?.users.includes(user)) throw new SlackError('already_reacted');
    if (!reaction) {
      reaction = { name, users: [] };
      message.reactions.push(reaction);
    }
    reaction.users.push(user);
    this.emit({ kind: 'reaction_added', message, user, reaction: name });
  }

  removeReaction(channel: string, ts: string, name: string, user: string): void {
    const message = this.requireMessage(channel, ts);
    const reaction = message.reactions.find((candidate) => candidate.name === name);
    if (!reaction?.users.includes(user)) throw new SlackError('no_reaction');
    reaction.users = reaction.users.filter((candidate) => candidate !== user);
    if (reaction.users.length === 0) message.reactions.splice(message.reactions.indexOf(reaction), 1);
    this.emit({ kind: 'reaction_removed', message, user, reaction: name });
  }

  /** Thread root and replies in order; the root alone for a message with no replies. */
  threadOf(channel: string, ts: string): EmulatedMessage[] {
    const root = this.findMessage(channel, ts);
    if (!root) throw new SlackError('thread_not_found');
    if (root.threadTs !== undefined && root.threadTs !== root.ts) {
      return this.threadOf(channel, root.threadTs);
    }
    const replies = this.listMessages(channel).filter(
      (message) => message.threadTs === root.ts && message.ts !== root.ts,
    );
    return [root, ...replies];
  }

  permalink(channel: string, ts: string): string {
    const message = this.findMessage(channel, ts);
    const base = `https://${this.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
    if (message?.threadTs && message.threadTs !== message.ts) {
      return `${base}?thread_ts=${message.threadTs}&cid=${channel}`;
    }
    return base;
  }
}
