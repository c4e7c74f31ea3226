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
  ImportedMessage,
  NewMessage,
  NewUser,
  TeamInfo,
  WorkspaceChange,
} from './types.ts';

export { SlackError } from './slack-error.ts';
export type { ImportedMessage, NewMessage, NewUser, TeamInfo, WorkspaceChange } from './types.ts';

/** Slack's message ts: unix seconds, a dot, six digits of microseconds. */
const SLACK_TS = /^\d{1,10}\.\d{6}$/;
/** How long after an imported message its `edited.ts` is set (any later instant would do). */
const IMPORTED_EDIT_DELAY_MICROS = 90_000_000;

function tsToMicros(ts: string): number {
  const [seconds = '0', micros = '0'] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(micros.padEnd(6, '0').slice(0, 6));
}

function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Index of the first message whose ts is not older than `ts` (lists are kept in ts order). */
function lowerBound(list: readonly EmulatedMessage[], ts: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareTs((list[middle] as EmulatedMessage).ts, ts) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isReplyMessage(message: EmulatedMessage): boolean {
  return message.threadTs !== undefined && message.threadTs !== message.ts;
}

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
  /** The newest ts handed out or imported, in microseconds. */
  private lastIssuedMicros = 0;
  readonly bot: EmulatedUser & { botId: string; appId: string };
  private readonly listeners: ((change: WorkspaceChange) => void)[] = [];
  readonly now: () => number;
  /** Makes the ids of lasting things (seeded for stable ids across runs). */
  readonly newId: IdSource;

  constructor(options: { teamName?: string; domain?: string; now?: () => number; idSeed?: string } = {}) {
    this.now = options.now ?? (() => Date.now());
    this.newId = createIdSource(options.idSeed);
    const clock = createTsClock(this.now);
    // Live posts stay newer than anything imported at a later ts than the clock has reached.
    this.nextTs = () => {
      this.lastIssuedMicros = Math.max(tsToMicros(clock()), this.lastIssuedMicros + 1);
      return microsToTs(this.lastIssuedMicros);
    };
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
    /** Unix seconds; now by default. */
    created?: number;
  }): EmulatedConversation {
    const kind = options.kind ?? 'public';
    const prefix = kind === 'public' ? 'C' : kind === 'private' ? 'G' : 'G';
    const creator = options.creator ?? options.members?.[0] ?? this.bot.id;
    const conversation: EmulatedConversation = {
      id: this.newId(prefix),
      name: options.name,
      kind,
      created: options.created ?? this.nowSeconds(),
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

  /** The group DM of these people and the bot (what conversations.open returns for 2–8 users): one per set of members. */
  openMpim(userIds: readonly string[]): EmulatedConversation {
    for (const id of userIds) this.requireUser(id);
    const members = new Set([...userIds, this.bot.id]);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'mpim' && conversation.members.size === members.size && [...members].every((id) => conversation.members.has(id))) {
        return conversation;
      }
    }
    const names = [...members].map((id) => this.users.get(id)?.name ?? id);
    const conversation: EmulatedConversation = {
      id: this.newId('C'),
      name: `mpdm-${names.join('--')}-1`,
      kind: 'mpim',
      created: this.nowSeconds(),
      creator: userIds[0] as string,
      isArchived: false,
      isGeneral: false,
      members,
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

  /**
   * Someone joins: member_joined_channel, and the "has joined the channel"
   * notice Slack posts into the conversation (slack-captures joinChannel.json
   * is a bot receiving the notice of its own join).
   */
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
    const notice: EmulatedMessage = {
      ts: this.nextTs(),
      channel: conversation.id,
      type: 'message',
      subtype: 'channel_join',
      user: userId,
      text: `<@${userId}> has joined the channel`,
      replyTs: [],
      replyUsers: [],
      reactions: [],
      fileIds: [],
    };
    this.insertMessage(notice);
    this.emit({ kind: 'message_posted', message: notice });
    return true;
  }

  /** Archives a channel (history stays readable; joining and posting are refused). */
  archiveConversation(id: string): EmulatedConversation {
    const conversation = this.requireConversation(id);
    if (conversation.kind === 'im') throw new SlackError('method_not_supported_for_channel_type');
    if (conversation.isGeneral) throw new SlackError('cant_archive_general');
    if (conversation.isArchived) throw new SlackError('already_archived');
    conversation.isArchived = true;
    return conversation;
  }

  listMessages(channel: string): EmulatedMessage[] {
    return this.messages.get(channel) ?? [];
  }

  findMessage(channel: string, ts: string): EmulatedMessage | undefined {
    const list = this.listMessages(channel);
    const candidate = list[lowerBound(list, ts)];
    return candidate?.ts === ts ? candidate : undefined;
  }

  /** Puts a message in its conversation's list at its place in ts order. */
  private insertMessage(message: EmulatedMessage): void {
    const list = this.listMessages(message.channel);
    list.splice(lowerBound(list, message.ts), 0, message);
  }

  /** Makes `reply` part of `root`'s thread and updates the root's reply_count, reply_users and latest_reply. */
  private threadReply(root: EmulatedMessage, reply: EmulatedMessage): void {
    reply.threadTs = root.ts;
    reply.parentUserId = root.user;
    root.threadTs = root.ts;
    const later = root.replyTs.findIndex((ts) => compareTs(ts, reply.ts) > 0);
    root.replyTs.splice(later < 0 ? root.replyTs.length : later, 0, reply.ts);
    this.recountReplyUsers(root);
  }

  /** reply_users: each replier once, in the order of their first reply. */
  private recountReplyUsers(root: EmulatedMessage): void {
    const users = root.replyTs
      .map((ts) => this.findMessage(root.channel, ts)?.user)
      .filter((user): user is string => user !== undefined);
    root.replyUsers = [...new Set(users)];
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
    this.insertMessage(message);
    if (root) this.threadReply(root, message);
    for (const fileId of message.fileIds) {
      const file = this.files.get(fileId);
      if (file && !file.channels.includes(input.channel)) file.channels.push(input.channel);
    }
    this.emit({ kind: 'message_posted', message });
    return message;
  }

  /**
   * Places a message from before the app was listening at its own ts, without
   * events: history reads return it exactly as if it had been posted then
   * (a reply updates its root's reply_count, reply_users and latest_reply).
   * Archived conversations accept it (their history predates the archiving).
   * Refuses a malformed or taken ts, unknown people, and a reply whose root
   * is missing, is itself a reply, or is not older than the reply.
   */
  importMessage(input: ImportedMessage): EmulatedMessage {
    const conversation = this.requireConversation(input.channel);
    const refuse = (why: string) => new Error(`importMessage ${conversation.id} ${input.ts}: ${why}`);
    if (!SLACK_TS.test(input.ts)) throw refuse('ts must look like "1763000000.000100"');
    const list = this.listMessages(conversation.id);
    if (list[lowerBound(list, input.ts)]?.ts === input.ts) throw refuse('the conversation already has a message at this ts');
    const author = this.importedAuthor(input);
    if (!author) throw refuse('name a known user, or the botId of a bot user');
    let root: EmulatedMessage | undefined;
    if (input.threadTs !== undefined) {
      root = this.findMessage(conversation.id, input.threadTs);
      if (!root) throw refuse(`no thread root at ${input.threadTs}`);
      if (isReplyMessage(root)) throw refuse(`${input.threadTs} is itself a reply`);
      if (compareTs(input.ts, root.ts) <= 0) throw refuse('a reply must be newer than its root');
    } else if (input.replyBroadcast) {
      throw refuse('replyBroadcast needs a threadTs');
    }
    for (const reaction of input.reactions ?? []) {
      if (reaction.users.length === 0) throw refuse(`reaction ${reaction.name} has no users`);
      for (const user of reaction.users) if (!this.users.has(user)) throw refuse(`unknown reacting user ${user}`);
    }
    const subtype = input.replyBroadcast ? 'thread_broadcast' : input.subtype;
    const botId = input.botId ?? author.botId;
    const message: EmulatedMessage = {
      ts: input.ts,
      channel: conversation.id,
      type: 'message',
      user: author.id,
      text: input.text,
      replyTs: [],
      replyUsers: [],
      reactions: (input.reactions ?? []).map((reaction) => ({ name: reaction.name.replace(/^:|:$/g, ''), users: [...reaction.users] })),
      fileIds: [...(input.fileIds ?? [])],
      ...(subtype ? { subtype } : {}),
      ...(botId ? { botId, appId: author.appId ?? this.team.appId } : {}),
      ...(input.blocks ? { blocks: input.blocks } : {}),
      // Slack clients stamp what people type; notices and bot posts carry no client_msg_id.
      ...(!botId && (subtype === undefined || subtype === 'thread_broadcast') ? { clientMsgId: randomUUID() } : {}),
      ...(input.edited ? { edited: { user: botId ?? author.id, ts: microsToTs(tsToMicros(input.ts) + IMPORTED_EDIT_DELAY_MICROS) } } : {}),
    };
    this.insertMessage(message);
    if (root) this.threadReply(root, message);
    for (const fileId of message.fileIds) {
      const file = this.files.get(fileId);
      if (file && !file.channels.includes(conversation.id)) file.channels.push(conversation.id);
    }
    this.lastIssuedMicros = Math.max(this.lastIssuedMicros, tsToMicros(input.ts));
    // A conversation exists before its first message.
    conversation.created = Math.min(conversation.created, Math.floor(tsToMicros(input.ts) / 1_000_000));
    return message;
  }

  private importedAuthor(input: ImportedMessage): EmulatedUser | undefined {
    if (input.user !== undefined) return this.users.get(input.user);
    if (input.botId === undefined) return undefined;
    return [...this.users.values()].find((user) => user.botId === input.botId);
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
      if (root) {
        root.replyTs = root.replyTs.filter((replyTs) => replyTs !== ts);
        this.recountReplyUsers(root);
      }
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
