/**
 * Collaboration signals over stored message metadata (pure). Each function
 * documents its definition precisely; README.md ("Metrics and signals") repeats them.
 *
 * Common rules:
 * - Person signals count person messages only (see isPersonMessage): bots,
 *   Slackbot and Slack's notices (joins, topic changes…) are excluded.
 * - A person is whatever id is stored: a Slack user id, or its pseudonym.
 * - Signals see exactly the messages they are given; filter by time first.
 * - Days are UTC calendar days of the message ts.
 * - Rows are sorted by their key columns so results are stable.
 */
import { LINK_KINDS, type LinkKind } from './classify-link.ts';
import type { MessageMetadata } from './message-metadata.ts';
import { compareText, groupThreads, isPersonMessage, isThreadRoot, tsToMs, tsToUtcDay } from './message-roles.ts';

export interface PersonChannelDayCount { personId: string; channelId: string; day: string; messages: number }

/**
 * Messages sent per person per channel per UTC day: person messages, roots
 * and replies alike (a reply is counted in the channel of its thread).
 */
export function messagesPerPersonChannelDay(messages: readonly MessageMetadata[]): PersonChannelDayCount[] {
  const counts = new Map<string, PersonChannelDayCount>();
  for (const message of messages.filter(isPersonMessage)) {
    const day = tsToUtcDay(message.ts);
    const key = `${day}\0${message.channelId}\0${message.authorId}`;
    const row = counts.get(key) ?? { personId: message.authorId, channelId: message.channelId, day, messages: 0 };
    row.messages += 1;
    counts.set(key, row);
  }
  return [...counts.values()].sort(
    (a, b) => compareText(a.day, b.day) || compareText(a.channelId, b.channelId) || compareText(a.personId, b.personId),
  );
}

export interface TimeRange { fromMs: number; toMs: number }
export interface ChannelsActiveIn { personId: string; channels: number; channelIds: string[] }

/**
 * Channels active in, per person: the distinct channels in which the person
 * sent at least one person message with fromMs ≤ ts < toMs. Reacting alone
 * does not make someone active.
 */
export function channelsActiveIn(messages: readonly MessageMetadata[], range: TimeRange): ChannelsActiveIn[] {
  const byPerson = new Map<string, Set<string>>();
  for (const message of messages.filter(isPersonMessage)) {
    const at = tsToMs(message.ts);
    if (at < range.fromMs || at >= range.toMs) continue;
    const channels = byPerson.get(message.authorId) ?? new Set<string>();
    channels.add(message.channelId);
    byPerson.set(message.authorId, channels);
  }
  return sortByPerson(
    [...byPerson].map(([personId, channels]) => ({
      personId,
      channels: channels.size,
      channelIds: [...channels].sort(compareText),
    })),
  );
}

export interface PersonCount { personId: string; count: number }

/**
 * Threads started, per person: person messages that are thread roots — Slack
 * marks a root with thread_ts === ts or reply_count > 0, i.e. it got at least
 * one reply (from anyone, bots included).
 */
export function threadsStarted(messages: readonly MessageMetadata[]): PersonCount[] {
  return countByPerson(messages.filter((message) => isPersonMessage(message) && isThreadRoot(message)));
}

/**
 * Help replies, per person: person replies in a thread whose root is a person
 * message that asks a question (isQuestion, see question-heuristic.ts), written
 * by someone other than the root's author. Every such reply counts, so three
 * replies in one thread count three. Replies whose root is not in the data
 * are not counted (the question cannot be checked).
 */
export function helpReplies(messages: readonly MessageMetadata[]): PersonCount[] {
  const helping = groupThreads(messages)
    .filter((thread) => thread.root.isQuestion)
    .flatMap((thread) => thread.replies.filter((reply) => reply.authorId !== thread.root.authorId));
  return countByPerson(helping);
}

export interface ThreadDepth {
  channelId: string;
  threadTs: string;
  rootAuthorId: string;
  replies: number;
  participants: number;
  timeToFirstReplySeconds: number | null;
}

/**
 * Depth of each thread whose root is a person message in the data:
 * - replies: person replies in the data (bot replies such as CI notices excluded);
 * - participants: distinct people among the root author and those repliers;
 * - timeToFirstReplySeconds: seconds from the root to the earliest person
 *   reply by someone other than the root's author; null if there is none.
 */
export function threadDepth(messages: readonly MessageMetadata[]): ThreadDepth[] {
  return groupThreads(messages).map(({ root, replies }) => {
    const rootAuthorId = root.authorId as string;
    const firstAnswer = replies.find((reply) => reply.authorId !== rootAuthorId);
    return {
      channelId: root.channelId,
      threadTs: root.ts,
      rootAuthorId,
      replies: replies.length,
      participants: new Set([rootAuthorId, ...replies.map((reply) => reply.authorId)]).size,
      timeToFirstReplySeconds: firstAnswer ? (tsToMs(firstAnswer.ts) - tsToMs(root.ts)) / 1000 : null,
    };
  });
}

export interface GivenReceived { personId: string; given: number; received: number }

/**
 * Reactions given and received, per person; reacting to one's own message
 * counts for neither.
 * - given: for every message in the data (bot messages included), each
 *   listed reactor of each emoji counts one. Slack lists at most a sample of
 *   reactors on busy messages, so this can undercount.
 * - received: on person messages, Slack's total `count` of each emoji, less
 *   one when the author is among its listed reactors.
 */
export function reactionsGivenReceived(messages: readonly MessageMetadata[]): GivenReceived[] {
  const tally = new Map<string, GivenReceived>();
  for (const message of messages) {
    for (const reaction of message.reactions) {
      for (const reactor of reaction.userIds) {
        if (reactor !== message.authorId) bump(tally, reactor, 'given');
      }
      if (!isPersonMessage(message)) continue;
      const selfReacted = reaction.userIds.includes(message.authorId);
      bump(tally, message.authorId, 'received', reaction.count - (selfReacted ? 1 : 0));
    }
  }
  return sortByPerson([...tally.values()]);
}

/**
 * Mentions given and received, per person, from person messages only: each
 * distinct person mentioned with <@…> in a message counts one given for its
 * author and one received for the person mentioned. Mentioning oneself does
 * not count. Mentions of bots (unknown from metadata) count like any other.
 */
export function mentionsGivenReceived(messages: readonly MessageMetadata[]): GivenReceived[] {
  const tally = new Map<string, GivenReceived>();
  for (const message of messages.filter(isPersonMessage)) {
    for (const mentioned of message.mentionedUserIds) {
      if (mentioned === message.authorId) continue;
      bump(tally, message.authorId, 'given');
      bump(tally, mentioned, 'received');
    }
  }
  return sortByPerson([...tally.values()]);
}

export interface LinksByKind { key: string; kind: LinkKind; links: number }

/**
 * Links to work items by kind, per person (`by: 'person'`, key = author) or
 * per channel (`by: 'channel'`, key = channel id): each distinct URL in a
 * person message counts one for its kind (see classify-link.ts), `other`
 * included. Links bots post (e.g. GitHub notifications) are excluded.
 * Rows are sorted by key, then in LINK_KINDS order.
 */
export function linksByKind(messages: readonly MessageMetadata[], by: 'person' | 'channel'): LinksByKind[] {
  const counts = new Map<string, LinksByKind>();
  for (const message of messages.filter(isPersonMessage)) {
    const key = by === 'person' ? message.authorId : message.channelId;
    for (const kind of message.linkKinds) {
      const row = counts.get(`${key}\0${kind}`) ?? { key, kind, links: 0 };
      row.links += 1;
      counts.set(`${key}\0${kind}`, row);
    }
  }
  return [...counts.values()].sort(
    (a, b) => compareText(a.key, b.key) || LINK_KINDS.indexOf(a.kind) - LINK_KINDS.indexOf(b.kind),
  );
}

export interface ChannelActivity {
  channelId: string;
  messages: number;
  botMessages: number;
  activePeople: number;
  threads: number;
  medianTimeToFirstReplySeconds: number | null;
}

/**
 * Activity per channel:
 * - messages: person messages (roots and replies);
 * - botMessages: messages flagged isBot, any subtype;
 * - activePeople: distinct authors of person messages;
 * - threads: the threads threadDepth reports for the channel;
 * - medianTimeToFirstReplySeconds: median of those threads' non-null
 *   timeToFirstReplySeconds (mean of the middle two when even); null if none.
 * Channels appear when they have at least one message of either kind.
 */
export function channelActivity(messages: readonly MessageMetadata[]): ChannelActivity[] {
  type Tally = { channelId: string; messages: number; botMessages: number; threads: number; people: Set<string>; waits: number[] };
  const channels = new Map<string, Tally>();
  const channel = (channelId: string): Tally => {
    const tally = channels.get(channelId) ?? { channelId, messages: 0, botMessages: 0, threads: 0, people: new Set(), waits: [] };
    channels.set(channelId, tally);
    return tally;
  };
  for (const message of messages) {
    if (message.isBot) channel(message.channelId).botMessages += 1;
    if (!isPersonMessage(message)) continue;
    channel(message.channelId).messages += 1;
    channel(message.channelId).people.add(message.authorId);
  }
  for (const thread of threadDepth(messages)) {
    channel(thread.channelId).threads += 1;
    if (thread.timeToFirstReplySeconds !== null) channel(thread.channelId).waits.push(thread.timeToFirstReplySeconds);
  }
  return [...channels.values()]
    .sort((a, b) => compareText(a.channelId, b.channelId))
    .map(({ people, waits, ...row }) => ({ ...row, activePeople: people.size, medianTimeToFirstReplySeconds: median(waits) }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function countByPerson(messages: readonly MessageMetadata[]): PersonCount[] {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (message.authorId !== null) counts.set(message.authorId, (counts.get(message.authorId) ?? 0) + 1);
  }
  return sortByPerson([...counts].map(([personId, count]) => ({ personId, count })));
}

function bump(tally: Map<string, GivenReceived>, personId: string, field: 'given' | 'received', by = 1): void {
  const row = tally.get(personId) ?? { personId, given: 0, received: 0 };
  row[field] += by;
  tally.set(personId, row);
}

function sortByPerson<T extends { personId: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareText(a.personId, b.personId));
}
