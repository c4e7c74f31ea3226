/**
 * A Slack message → the metadata Pulse stores about it (pure).
 *
 * The text is read only to count characters, find mentions and links and
 * decide whether the message asks a question; it is kept only when an admin
 * has opted in to storing content. Every person id (author, reply users,
 * reaction users, mentioned users) goes through `pseudonymize` when given.
 * Bot ids are not people and are kept as they are.
 */
import { classifyLink, extractLinks, type LinkKind } from './classify-link.ts';
import { isQuestion } from './question-heuristic.ts';
import { countVisibleCharacters, extractMentionedUserIds } from './visible-text.ts';

/** A message as conversations.history / conversations.replies return it (fields Pulse reads). */
export interface SlackMessageLike {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  reply_count?: number;
  reply_users?: string[];
  /** On a thread root: the ts of its newest reply. */
  latest_reply?: string;
  reactions?: { name: string; count?: number; users?: string[] }[];
  files?: unknown[];
  edited?: unknown;
  blocks?: unknown[];
}

export interface ReactionMetadata {
  name: string;
  /** Slack's total, which may exceed `userIds.length`: Slack lists only some reactors. */
  count: number;
  userIds: string[];
}

export interface MessageMetadata {
  teamId: string;
  channelId: string;
  ts: string;
  /** Set on replies and on thread roots (Slack gives a root thread_ts === ts). */
  threadTs: string | null;
  /** The author's user id or pseudonym; null when Slack names no user (some bot posts). */
  authorId: string | null;
  botId: string | null;
  subtype: string | null;
  isBot: boolean;
  /** Unicode code points of the text as a reader sees it (see visible-text.ts). */
  charCount: number;
  replyCount: number;
  replyUserIds: string[];
  reactions: ReactionMetadata[];
  /** Distinct people mentioned with <@U…>, in order of first appearance. */
  mentionedUserIds: string[];
  /** One kind per distinct URL in the text, in order of appearance. */
  linkKinds: LinkKind[];
  fileCount: number;
  edited: boolean;
  isQuestion: boolean;
  /** The raw Slack text, only when the workspace stores content; otherwise null. */
  text: string | null;
}

export interface ExtractOptions {
  teamId: string;
  channelId: string;
  storeText: boolean;
  pseudonymize?: (userId: string) => string;
}

/** Slack's own user for automated notices; its posts are not a person's. */
export const SLACKBOT_USER_ID = 'USLACKBOT';

function keepUserId(userId: string): string {
  return userId;
}

export function extractMessageMetadata(message: SlackMessageLike, options: ExtractOptions): MessageMetadata {
  const person = options.pseudonymize ?? keepUserId;
  const text = message.text ?? '';
  return {
    teamId: options.teamId,
    channelId: options.channelId,
    ts: message.ts,
    threadTs: message.thread_ts ?? null,
    authorId: message.user ? person(message.user) : null,
    botId: message.bot_id ?? null,
    subtype: message.subtype ?? null,
    isBot: Boolean(message.bot_id) || message.subtype === 'bot_message' || message.user === SLACKBOT_USER_ID,
    charCount: countVisibleCharacters(text),
    replyCount: message.reply_count ?? 0,
    replyUserIds: (message.reply_users ?? []).map(person),
    reactions: (message.reactions ?? []).map((reaction) => ({
      name: reaction.name,
      count: reaction.count ?? reaction.users?.length ?? 0,
      userIds: (reaction.users ?? []).map(person),
    })),
    mentionedUserIds: extractMentionedUserIds(text).map(person),
    linkKinds: extractLinks(text).map(classifyLink),
    fileCount: message.files?.length ?? 0,
    edited: Boolean(message.edited),
    isQuestion: isQuestion(text),
    text: options.storeText ? text : null,
  };
}
