/**
 * Message metadata → the rows Pulse stores for it (pure). The per-message
 * figures are computed here, once, by the same rules as signals.ts, so the
 * SQL that sums them cannot drift from the definitions.
 */
import { LINK_KINDS, type LinkKind } from './classify-link.ts';
import type { MessageMetadata } from './message-metadata.ts';
import { isPersonMessage, isReply, isThreadRoot, tsToMs } from './message-roles.ts';

export const MS_PER_DAY = 86_400_000;

export interface StoredMessage {
  teamId: string;
  channelId: string;
  ts: string;
  tsMs: number;
  /** UTC day number: days since 1970-01-01. */
  day: number;
  threadTs: string | null;
  authorId: string | null;
  botId: string | null;
  subtype: string | null;
  isBot: boolean;
  isPerson: boolean;
  isReply: boolean;
  isRoot: boolean;
  isQuestion: boolean;
  charCount: number;
  replyCount: number;
  replyUsers: string[];
  latestReply: string | null;
  reactionsReceived: number;
  mentionCount: number;
  linkCount: number;
  linkMask: number;
  fileCount: number;
  edited: boolean;
  text: string | null;
  /** Every listed reactor of every emoji (given counts skip the author at query time). */
  reactions: { name: string; userId: string }[];
  /** Distinct people mentioned, oneself excluded; person messages only. */
  mentions: string[];
  /** Distinct URLs per kind; person messages only. */
  links: { kind: LinkKind; count: number }[];
}

export function dayOfMs(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

export function linkKindBit(kind: LinkKind): number {
  return 1 << LINK_KINDS.indexOf(kind);
}

export function toStoredMessage(message: MessageMetadata, latestReply: string | null = null): StoredMessage {
  const tsMs = tsToMs(message.ts);
  const person = isPersonMessage(message);
  const author = message.authorId;
  const mentions = person ? message.mentionedUserIds.filter((userId) => userId !== author) : [];
  const links = person ? countLinksByKind(message.linkKinds) : [];
  const reactionsReceived = person
    ? message.reactions.reduce((sum, reaction) => sum + reaction.count - (reaction.userIds.includes(author as string) ? 1 : 0), 0)
    : 0;
  return {
    teamId: message.teamId,
    channelId: message.channelId,
    ts: message.ts,
    tsMs,
    day: dayOfMs(tsMs),
    threadTs: message.threadTs,
    authorId: author,
    botId: message.botId,
    subtype: message.subtype,
    isBot: message.isBot,
    isPerson: person,
    isReply: isReply(message),
    isRoot: isThreadRoot(message),
    isQuestion: message.isQuestion,
    charCount: message.charCount,
    replyCount: message.replyCount,
    replyUsers: message.replyUserIds,
    latestReply,
    reactionsReceived,
    mentionCount: mentions.length,
    linkCount: person ? message.linkKinds.length : 0,
    linkMask: links.reduce((mask, link) => mask | linkKindBit(link.kind), 0),
    fileCount: message.fileCount,
    edited: message.edited,
    text: message.text,
    reactions: listReactors(message.reactions),
    mentions,
    links,
  };
}

/** How many of the URLs are of each kind, kinds in order of first appearance. */
function countLinksByKind(kinds: readonly LinkKind[]): { kind: LinkKind; count: number }[] {
  const links: { kind: LinkKind; count: number }[] = [];
  for (const kind of kinds) {
    const link = links.find((entry) => entry.kind === kind);
    if (link) link.count += 1;
    else links.push({ kind, count: 1 });
  }
  return links;
}

/** One row per emoji and listed reactor, a reactor listed twice only once. */
function listReactors(reactions: MessageMetadata['reactions']): StoredMessage['reactions'] {
  const rows: StoredMessage['reactions'] = [];
  for (const reaction of reactions) {
    for (const userId of new Set(reaction.userIds)) rows.push({ name: reaction.name, userId });
  }
  return rows;
}
