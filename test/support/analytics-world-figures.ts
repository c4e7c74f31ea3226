/**
 * `expectedFigures`: the reference numbers Pulse should report for the
 * analytics test world, computed with Pulse's own pure signal functions over
 * exactly the messages a correct sync would store.
 */
import type { LinkKind } from '../../src/analytics/classify-link.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { tsToMs } from '../../src/analytics/message-roles.ts';
import {
  channelActivity,
  helpReplies,
  linksByKind,
  mentionsGivenReceived,
  messagesPerPersonChannelDay,
  reactionsGivenReceived,
  threadDepth,
  threadsStarted,
  type ChannelActivity,
  type PersonChannelDayCount,
  type ThreadDepth,
} from '../../src/analytics/signals.ts';
import { DAY_MS, type AnalyticsWorld, type ChannelName, type WorldMessage } from './analytics-world-shape.ts';

export interface ExpectedFigures {
  channelIds: string[];
  fromMs: number;
  toMs: number;
  /** Person messages (roots, replies, broadcasts, file shares) per author. */
  messagesByPerson: Record<string, number>;
  messagesByChannel: Record<string, number>;
  /** Channel id → ISO week start (Monday, UTC, YYYY-MM-DD) → person messages. */
  messagesByChannelWeek: Record<string, Record<string, number>>;
  messagesPerPersonChannelDay: PersonChannelDayCount[];
  threadsStartedByPerson: Record<string, number>;
  helpRepliesByPerson: Record<string, number>;
  threads: ThreadDepth[];
  reactionsGiven: Record<string, number>;
  reactionsReceived: Record<string, number>;
  mentionsGiven: Record<string, number>;
  mentionsReceived: Record<string, number>;
  linksByKind: Partial<Record<LinkKind, number>>;
  linksByPerson: Record<string, Partial<Record<LinkKind, number>>>;
  linksByChannel: Record<string, Partial<Record<LinkKind, number>>>;
  channelActivity: Record<string, ChannelActivity>;
  totals: {
    /** Every message in scope: people's, bots' and Slack's notices. */
    messages: number;
    personMessages: number;
    botMessages: number;
    threads: number;
    helpReplies: number;
    reactionsGiven: number;
    reactionsReceived: number;
    mentions: number;
    links: number;
  };
}

/**
 * The figures Pulse should report for `channels` (names) over
 * fromMs ≤ ts < toMs: the world's messages in scope, shaped as
 * conversations.history/replies return them (a root carries Slack's
 * reply_count and reply_users over its whole thread), through
 * extractMessageMetadata and the signal functions. People with no count are
 * left out of the per-person objects.
 */
export function expectedFigures(world: AnalyticsWorld, scope: { channels: readonly string[]; fromMs: number; toMs: number }): ExpectedFigures {
  const channelIds = scope.channels.map((name) => {
    const id = world.channels[name as ChannelName];
    if (!id) throw new Error(`The analytics world has no channel named ${name}`);
    return id;
  });
  const threads = new Map<string, WorldMessage[]>();
  for (const message of world.messages) {
    if (message.threadTs === undefined) continue;
    const key = `${message.channel}:${message.threadTs}`;
    threads.set(key, [...(threads.get(key) ?? []), message]);
  }
  const inScope = world.messages.filter((message) => {
    const at = tsToMs(message.ts);
    return channelIds.includes(message.channel) && at >= scope.fromMs && at < scope.toMs;
  });
  const metadata = inScope.map((message) =>
    extractMessageMetadata(asSlackReturnsIt(message, threads.get(`${message.channel}:${message.ts}`) ?? []), {
      teamId: world.teamId,
      channelId: message.channel,
      storeText: false,
    }),
  );

  const perDay = messagesPerPersonChannelDay(metadata);
  const messagesByPerson: Record<string, number> = {};
  const messagesByChannel: Record<string, number> = {};
  const messagesByChannelWeek: Record<string, Record<string, number>> = {};
  for (const row of perDay) {
    add(messagesByPerson, row.personId, row.messages);
    add(messagesByChannel, row.channelId, row.messages);
    add((messagesByChannelWeek[row.channelId] ??= {}), isoWeekStart(row.day), row.messages);
  }
  const reactions = reactionsGivenReceived(metadata);
  const mentions = mentionsGivenReceived(metadata);
  const links = linksByKind(metadata, 'person');
  const linksByKindTotal: Partial<Record<LinkKind, number>> = {};
  const linksByPerson: Record<string, Partial<Record<LinkKind, number>>> = {};
  for (const row of links) {
    add(linksByKindTotal, row.kind, row.links);
    add((linksByPerson[row.key] ??= {}), row.kind, row.links);
  }
  const linksByChannel: Record<string, Partial<Record<LinkKind, number>>> = {};
  for (const row of linksByKind(metadata, 'channel')) add((linksByChannel[row.key] ??= {}), row.kind, row.links);
  const depth = threadDepth(metadata);
  const help = countsByPerson(helpReplies(metadata).map((row) => [row.personId, row.count]));
  const activity = channelActivity(metadata);

  return {
    channelIds,
    fromMs: scope.fromMs,
    toMs: scope.toMs,
    messagesByPerson,
    messagesByChannel,
    messagesByChannelWeek,
    messagesPerPersonChannelDay: perDay,
    threadsStartedByPerson: countsByPerson(threadsStarted(metadata).map((row) => [row.personId, row.count])),
    helpRepliesByPerson: help,
    threads: depth,
    reactionsGiven: countsByPerson(reactions.map((row) => [row.personId, row.given])),
    reactionsReceived: countsByPerson(reactions.map((row) => [row.personId, row.received])),
    mentionsGiven: countsByPerson(mentions.map((row) => [row.personId, row.given])),
    mentionsReceived: countsByPerson(mentions.map((row) => [row.personId, row.received])),
    linksByKind: linksByKindTotal,
    linksByPerson,
    linksByChannel,
    channelActivity: Object.fromEntries(activity.map((row) => [row.channelId, row])),
    totals: {
      messages: inScope.length,
      personMessages: sum(Object.values(messagesByPerson)),
      botMessages: sum(activity.map((row) => row.botMessages)),
      threads: depth.length,
      helpReplies: sum(Object.values(help)),
      reactionsGiven: sum(reactions.map((row) => row.given)),
      reactionsReceived: sum(reactions.map((row) => row.received)),
      mentions: sum(mentions.map((row) => row.given)),
      links: sum(links.map((row) => row.links)),
    },
  };
}

/** A world message as conversations.history / conversations.replies return it. */
function asSlackReturnsIt(message: WorldMessage, replies: readonly WorldMessage[]): SlackMessageLike {
  const thread =
    message.threadTs !== undefined
      ? { thread_ts: message.threadTs }
      : replies.length > 0
        ? { thread_ts: message.ts, reply_count: replies.length, reply_users: [...new Set(replies.map((reply) => reply.user))] }
        : {};
  return {
    ts: message.ts,
    user: message.user,
    text: message.text,
    ...(message.botId ? { bot_id: message.botId } : {}),
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...thread,
    reactions: message.reactions.map((reaction) => ({ name: reaction.name, users: [...reaction.users], count: reaction.users.length })),
    ...(message.fileIds.length > 0 ? { files: message.fileIds.map((id) => ({ id })) } : {}),
    ...(message.edited ? { edited: { user: message.botId ?? message.user } } : {}),
  };
}

/** The Monday (UTC) starting the ISO week of a YYYY-MM-DD day. */
export function isoWeekStart(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

function add<K extends string>(target: Partial<Record<K, number>>, key: K, by: number): void {
  target[key] = (target[key] ?? 0) + by;
}

function countsByPerson(rows: [string, number][]): Record<string, number> {
  return Object.fromEntries(rows.filter(([, count]) => count !== 0));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
