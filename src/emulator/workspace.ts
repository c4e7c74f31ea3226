/**
 * The emulated workspace: users, conversations, messages, reactions, files,
 * views. Pure state plus Slack's rules; HTTP and Socket Mode live elsewhere.
 * Every change is announced to `onChange` so the event dispatcher can turn
 * it into the Events API payloads Slack would send.
 *
 * Built in layers: workspace-core.ts (record maps, team and bot, ts clock,
 * change announcements, users), workspace-conversations.ts (conversations,
 * membership, message lists), and here the messages themselves: posting,
 * importing history, editing, deleting, threads and reactions.
 */
import { randomUUID } from 'node:crypto';
import { compareTs } from './ids.ts';
import { SlackError } from './slack-error.ts';
import type { EmulatedMessage, EmulatedUser, ImportedMessage, NewMessage } from './types.ts';
import { WorkspaceConversations } from './workspace-conversations.ts';
import { lowerBound, microsToTs, tsToMicros } from './workspace-timestamps.ts';

export { SlackError } from './slack-error.ts';
export type { ImportedMessage, NewMessage, NewUser, TeamInfo, WorkspaceChange } from './types.ts';

/** Slack's message ts: unix seconds, a dot, six digits of microseconds. */
const SLACK_TS = /^\d{1,10}\.\d{6}$/;
/** How long after an imported message its `edited.ts` is set (any later instant would do). */
const IMPORTED_EDIT_DELAY_MICROS = 90_000_000;

function isReplyMessage(message: EmulatedMessage): boolean {
  return message.threadTs !== undefined && message.threadTs !== message.ts;
}

export class Workspace extends WorkspaceConversations {
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
