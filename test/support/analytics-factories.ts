/**
 * Analytics test data: a seeded PRNG, small MessageMetadata factories, a
 * generator of realistic random workspaces, the ways a sync may write them,
 * and the reference oracle — the rows a metric query must return, worked out
 * with the pure, hand-verified definitions in signals.ts.
 */
import { LINK_KINDS, type LinkKind } from '../../src/analytics/classify-link.ts';
import type { MessageMetadata, ReactionMetadata } from '../../src/analytics/message-metadata.ts';
import { groupThreads, isReply, threadKey, tsToMs } from '../../src/analytics/message-roles.ts';
import {
  channelActivity,
  channelsActiveIn,
  helpReplies,
  linksByKind,
  mentionsGivenReceived,
  messagesPerPersonChannelDay,
  reactionsGivenReceived,
  threadDepth,
  threadsStarted,
} from '../../src/analytics/signals.ts';
import { dayOfMs, linkKindBit, MS_PER_DAY, toStoredMessage, type StoredMessage } from '../../src/analytics/stored-message.ts';
import { THREAD_METRICS, type Dimension, type Metric, type MetricQuery, type MetricRow } from '../../src/db/analytics-queries.ts';
import type { AnalyticsQueries } from '../../src/db/analytics-queries.ts';
import type { AnalyticsStore } from '../../src/db/analytics-store.ts';

// ---- seeded PRNG (mulberry32): the same seed gives the same workspace ------

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  sample<T>(items: readonly T[], count: number): T[];
  shuffle<T>(items: readonly T[]): T[];
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    sample: (items, count) => shuffle(items).slice(0, count),
    shuffle,
  };
}

// ---- small factories -------------------------------------------------------

export const TEAM = 'T0ACME';
export const OTHER_TEAM = 'T0OTHER';
export const CHANNELS = ['C01ENG', 'C02SUPPORT', 'C03RANDOM', 'C04INCIDENTS'] as const;
export const PEOPLE = ['U01ADA', 'U02BEA', 'U03CY', 'U04DEV', 'U05EVE', 'U06FIN', 'U07GUS', 'U08HAL'] as const;
const CI_BOT = { authorId: 'U0CIBOT', botId: 'B0CI', isBot: true } as const;
const WEBHOOK = { authorId: null, botId: 'B0HOOK', subtype: 'bot_message', isBot: true } as const;
const SLACKBOT = { authorId: 'USLACKBOT', botId: null, isBot: true } as const;
const EMOJI = ['+1', 'eyes', 'tada', 'pray', 'white_check_mark', 'rocket'];

/** 2024-01-01, a Monday; generated workspaces start here and cross two month ends. */
export const FIRST_DAY = dayOfMs(Date.UTC(2024, 0, 1));

/** A Slack ts `second` seconds into UTC day number `day`. */
export function tsAt(day: number, second: number, micros = 100): string {
  return `${day * 86_400 + second}.${String(micros).padStart(6, '0')}`;
}

export function dayOfTs(ts: string): number {
  return dayOfMs(tsToMs(ts));
}

export function message(overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return {
    teamId: TEAM, channelId: CHANNELS[0], threadTs: null, authorId: PEOPLE[0], botId: null, subtype: null, isBot: false,
    charCount: 12, replyCount: 0, replyUserIds: [], reactions: [], mentionedUserIds: [], linkKinds: [], fileCount: 0,
    edited: false, isQuestion: false, text: null, ...overrides,
  };
}

/** A thread root as Slack returns it once it has replies (thread_ts === ts). */
export function threadRoot(overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return message({ threadTs: overrides.ts, replyCount: 1, ...overrides });
}

export function reply(root: MessageMetadata, overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return message({ teamId: root.teamId, channelId: root.channelId, threadTs: root.ts, ...overrides });
}

// ---- random workspaces -----------------------------------------------------

export interface WorkspaceShape {
  teamId?: string;
  roots?: number;
  days?: number;
}

/**
 * Roots over `days` days in four channels, about half of them with 1–6
 * replies (some by the root's author, some by a bot, some broadcast, some
 * days later), plus a few replies whose root is older than the data. Bots of
 * every kind, Slack notices, questions, reactions with self-reactions and
 * counts above the listed users, mentions with self-mentions, every link kind.
 */
export function generateWorkspace(random: Random, shape: WorkspaceShape = {}): MessageMetadata[] {
  const { teamId = TEAM, roots = 260, days = 60 } = shape;
  const taken = new Set<string>();
  const freshTs = (channelId: string, seconds: number): string => {
    for (let offset = 0; ; offset += 1) {
      const ts = `${seconds + offset}.${String(random.int(0, 999_999)).padStart(6, '0')}`;
      if (!taken.has(`${channelId}:${ts}`)) {
        taken.add(`${channelId}:${ts}`);
        return ts;
      }
    }
  };
  const extras = (authorId: string | null): Partial<MessageMetadata> => ({
    charCount: random.int(1, 400),
    reactions: random.chance(0.35) ? random.sample(EMOJI, random.int(1, 3)).map((name) => randomReaction(random, name, authorId)) : [],
    mentionedUserIds: random.chance(0.3)
      ? random.sample([...PEOPLE, CI_BOT.authorId, ...(authorId ? [authorId, authorId] : [])], random.int(1, 3)).filter(unique)
      : [],
    linkKinds: random.chance(0.3) ? Array.from({ length: random.int(1, 3) }, () => random.pick(LINK_KINDS)) : [],
    edited: random.chance(0.1),
  });
  const messages: MessageMetadata[] = [];
  for (let index = 0; index < roots; index += 1) {
    const channelId = random.pick(CHANNELS);
    const seconds = (FIRST_DAY + random.int(0, days - 1)) * 86_400 + random.int(0, 86_399);
    const roll = random.next();
    const author: Partial<MessageMetadata> =
      roll < 0.08 ? { ...CI_BOT } : roll < 0.12 ? { ...WEBHOOK } : roll < 0.14 ? { ...SLACKBOT }
      : roll < 0.21 ? { authorId: random.pick(PEOPLE), subtype: random.pick(['channel_join', 'channel_topic', 'channel_purpose']) }
      : { authorId: random.pick(PEOPLE), subtype: random.pick([null, null, null, null, null, null, 'file_share', 'me_message']) };
    const isNotice = (author.subtype ?? '').startsWith('channel_');
    const ts = freshTs(channelId, seconds);
    const root = message({
      teamId, channelId, ts, ...author, ...extras(author.authorId ?? null),
      isQuestion: !isNotice && random.chance(author.isBot ? 0.2 : 0.35),
      fileCount: author.subtype === 'file_share' ? 1 : 0,
    });
    const replies = isNotice || !random.chance(author.isBot ? 0.3 : 0.5) ? [] : Array.from({ length: random.int(1, 6) }, () => {
      const delay = random.pick([random.int(5, 600), random.int(600, 6 * 3600), random.int(6 * 3600, 3 * 86_400)]);
      const by: Partial<MessageMetadata> =
        random.chance(0.1) ? { ...CI_BOT }
        : random.chance(0.25) && root.authorId && !root.isBot ? { authorId: root.authorId }
        : { authorId: random.pick(PEOPLE), subtype: random.chance(0.1) ? 'thread_broadcast' : null };
      return message({ teamId, channelId, threadTs: ts, ts: freshTs(channelId, seconds + delay), ...by, ...extras(by.authorId ?? null), isQuestion: random.chance(0.1) });
    });
    root.replyCount = replies.length;
    root.replyUserIds = replies.map((one) => one.authorId).filter((id): id is string => id !== null).filter(unique);
    // Slack sets thread_ts === ts on a root; a few roots carry only reply_count, a few keep thread_ts with no replies left.
    root.threadTs = replies.length > 0 ? (random.chance(0.95) ? ts : null) : random.chance(0.03) ? ts : null;
    messages.push(root, ...replies);
  }
  for (let orphan = 0; orphan < 5; orphan += 1) {
    const channelId = random.pick(CHANNELS);
    const rootTs = tsAt(FIRST_DAY - 3, random.int(0, 86_399));
    messages.push(message({ teamId, channelId, threadTs: rootTs, ts: freshTs(channelId, (FIRST_DAY + random.int(0, 3)) * 86_400), authorId: random.pick(PEOPLE) }));
  }
  return messages;
}

function randomReaction(random: Random, name: string, authorId: string | null): ReactionMetadata {
  const listed = random.sample([...PEOPLE, ...(authorId && random.chance(0.25) ? [authorId] : [])], random.int(0, 3)).filter(unique);
  return { name, userIds: listed, count: listed.length + (random.chance(0.2) ? random.int(1, 4) : 0) };
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

// ---- ways a sync may write the same messages -------------------------------

/** Stored rows, each root carrying the ts of its newest reply in the data as Slack's latest_reply. */
export function storedMessages(messages: readonly MessageMetadata[]): StoredMessage[] {
  const latest = new Map<string, string>();
  for (const one of messages.filter(isReply)) {
    const key = threadKey(one, one.threadTs as string);
    if (tsToMs(one.ts) > tsToMs(latest.get(key) ?? '0')) latest.set(key, one.ts);
  }
  return messages.map((one) => toStoredMessage(one, latest.get(threadKey(one, one.ts)) ?? null));
}

export function writeInRandomBatches(store: AnalyticsStore, teamId: string, messages: readonly MessageMetadata[], random: Random): void {
  const rows = random.shuffle(storedMessages(messages));
  while (rows.length > 0) store.writeMessages(teamId, rows.splice(0, random.int(1, 7)));
}

export const WRITE_WAYS: { name: string; write(store: AnalyticsStore, teamId: string, messages: readonly MessageMetadata[], random: Random): void }[] = [
  { name: 'in one batch', write: (store, teamId, messages) => store.writeMessages(teamId, storedMessages(messages)) },
  { name: 'in many small batches in random order', write: writeInRandomBatches },
  {
    name: 'one message per batch, newest first (every reply before its root)',
    write: (store, teamId, messages) => {
      const rows = storedMessages(messages).sort((a, b) => b.tsMs - a.tsMs);
      for (const row of rows) store.writeMessages(teamId, [row]);
    },
  },
  {
    name: 'twice (one batch, then again in random small batches)',
    write: (store, teamId, messages, random) => {
      store.writeMessages(teamId, storedMessages(messages));
      writeInRandomBatches(store, teamId, messages, random);
    },
  },
];

// ---- the reference oracle --------------------------------------------------

export function weekOf(day: number): number {
  return day - ((((day - 4) % 7) + 7) % 7); // day 4 (1970-01-05) was a Monday
}

export function monthOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 7);
}

const BUCKETS: Partial<Record<Dimension, (channelId: string, day: number) => string | number>> = {
  channel: (channelId) => channelId,
  day: (_, day) => day,
  week: (_, day) => weekOf(day),
  month: (_, day) => monthOf(day),
};
/** Metrics whose zero is a value (an average of zeros), not the absence of activity. */
const AVERAGE_METRICS: ReadonlySet<Metric> = new Set(['avg_replies_per_thread', 'avg_participants_per_thread', 'median_minutes_to_first_reply'] as const);

/**
 * What `metric(query)` must return per the reference: the signals.ts function
 * applied to the messages in scope (team, channels, fromDay ≤ day < toDay:
 * "filter by time first"), split by the channel/time dimensions grouped by;
 * person values come from the function's per-person rows. Threads belong to
 * their root's channel and day; help replies to the reply's.
 */
export function referenceMetric(messages: readonly MessageMetadata[], query: MetricQuery): MetricRow[] {
  const scoped = messages.filter((one) => one.teamId === query.teamId && query.channelIds.includes(one.channelId)
    && dayOfTs(one.ts) >= query.fromDay && dayOfTs(one.ts) < query.toDay);
  const buckets = query.groupBy.filter((dimension) => BUCKETS[dimension]);
  const bucketOf = (channelId: string, ts: string) =>
    Object.fromEntries(buckets.map((dimension) => [dimension, (BUCKETS[dimension] as NonNullable<(typeof BUCKETS)['day']>)(channelId, dayOfTs(ts))]));
  const byPerson = query.groupBy.includes('person');
  const byKind = query.groupBy.includes('link_kind');
  const chosen = (person: string) =>
    query.personIds?.length ? query.personIds.includes(person) : !byPerson || person !== ''; // '' = no person (bot messages)
  const rows = new Map<string, { keys: Record<string, string | number>; values: number[] }>();
  const add = (keys: Record<string, string | number>, value: number) => {
    const id = JSON.stringify(keys);
    const row = rows.get(id) ?? { keys, values: [] };
    row.values.push(value);
    rows.set(id, row);
  };

  if ((THREAD_METRICS as readonly string[]).includes(query.metric)) {
    const masks = new Map(groupThreads(scoped).map(({ root, replies }) => [
      `${root.channelId}:${root.ts}`,
      [root, ...replies].flatMap((one) => one.linkKinds).reduce((mask, kind) => mask | linkKindBit(kind), 0),
    ]));
    const wanted = (query.linkKinds ?? []).reduce((mask, kind) => mask | linkKindBit(kind), 0);
    for (const thread of threadDepth(scoped)) {
      if (!chosen(thread.rootAuthorId)) continue;
      if (wanted !== 0 && ((masks.get(`${thread.channelId}:${thread.threadTs}`) ?? 0) & wanted) === 0) continue;
      const keys = { ...bucketOf(thread.channelId, thread.threadTs), ...(byPerson ? { person: thread.rootAuthorId } : {}) };
      const wait = thread.timeToFirstReplySeconds;
      if (query.metric === 'threads') add(keys, 1);
      else if (query.metric === 'avg_replies_per_thread') add(keys, thread.replies);
      else if (query.metric === 'avg_participants_per_thread') add(keys, thread.participants);
      else if (wait !== null) add(keys, wait / 60);
    }
    const fold = query.metric === 'threads' ? sum : query.metric === 'median_minutes_to_first_reply' ? median : mean;
    return [...rows.values()].map(({ keys, values }) => ({ keys, value: fold(values) }));
  }

  const roots = scoped.filter((one) => !isReply(one));
  const partitions = new Map<string, { keys: Record<string, string | number>; messages: MessageMetadata[] }>();
  for (const one of scoped) {
    const keys = bucketOf(one.channelId, one.ts);
    const partition = partitions.get(JSON.stringify(keys)) ?? { keys, messages: [] };
    partition.messages.push(one);
    partitions.set(JSON.stringify(keys), partition);
  }
  for (const { keys, messages: part } of partitions.values()) {
    if (query.metric === 'links' && (byKind || query.linkKinds?.length)) {
      for (const row of linksByKind(part, 'person')) {
        if (!chosen(row.key) || (query.linkKinds?.length && !query.linkKinds.includes(row.kind))) continue;
        add({ ...keys, ...(byPerson ? { person: row.key } : {}), ...(byKind ? { link_kind: row.kind } : {}) }, row.links);
      }
      continue;
    }
    if (query.metric === 'channels_active_in' || query.metric === 'active_people') {
      const active = channelsActiveIn(part, { fromMs: -Infinity, toMs: Infinity }).filter((row) => chosen(row.personId));
      if (byPerson) {
        for (const row of active) add({ ...keys, person: row.personId }, query.metric === 'active_people' ? 1 : row.channels);
      } else {
        add(keys, query.metric === 'active_people' ? active.length : new Set(active.flatMap((row) => row.channelIds)).size);
      }
      continue;
    }
    for (const [person, value] of personValues(query.metric, part, roots)) {
      if (chosen(person)) add({ ...keys, ...(byPerson ? { person } : {}) }, value);
    }
  }
  return [...rows.values()].map(({ keys, values }) => ({ keys, value: sum(values) }));
}

/** Per-person values of an additive metric over some messages ('' holds what no person did). */
function personValues(metric: Metric, part: readonly MessageMetadata[], roots: readonly MessageMetadata[]): [string, number][] {
  const given = (rows: { personId: string; given: number; received: number }[], field: 'given' | 'received') =>
    rows.map((row): [string, number] => [row.personId, row[field]]);
  const counted = (rows: { personId: string; count: number }[]) => rows.map((row): [string, number] => [row.personId, row.count]);
  switch (metric) {
    case 'messages': return messagesPerPersonChannelDay(part).map((row) => [row.personId, row.messages]);
    case 'threads_started': return counted(threadsStarted(part));
    // A reply counts where it was written; its root may be in any bucket of the scope.
    case 'help_replies': return counted(helpReplies([...roots, ...part.filter(isReply)]));
    case 'replies': return messagesPerPersonChannelDay(part.filter(isReply)).map((row) => [row.personId, row.messages]);
    case 'reactions_given': return given(reactionsGivenReceived(part), 'given');
    case 'reactions_received': return given(reactionsGivenReceived(part), 'received');
    case 'mentions_given': return given(mentionsGivenReceived(part), 'given');
    case 'mentions_received': return given(mentionsGivenReceived(part), 'received');
    case 'links': return linksByKind(part, 'person').map((row) => [row.key, row.links]);
    case 'bot_messages': return [['', sum(channelActivity(part).map((row) => row.botMessages))]];
    default: throw new Error(`no reference for ${metric}`);
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mean(values: number[]): number {
  return sum(values) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Rows as `"person=U01 day=19725": value`, in a stable order, rounded to 1e-6
 * (the reference divides seconds, SQL milliseconds). Zero counts are dropped:
 * SQL keeps a zero row where a day had only other activity.
 */
export function tabulate(rows: readonly MetricRow[], query: Pick<MetricQuery, 'metric' | 'groupBy'>): Record<string, number> {
  const keepZeros = AVERAGE_METRICS.has(query.metric);
  const entries = rows
    .filter((row) => keepZeros || row.value !== 0)
    .map((row): [string, number] => [query.groupBy.map((dimension) => `${dimension}=${row.keys[dimension]}`).join(' '), Math.round(row.value * 1e6) / 1e6]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---- comparing every query with the reference ------------------------------

/** One metric query, its scope defaulting to every channel and all time. */
export interface MetricCase {
  metric: Metric;
  groupBy: Dimension[];
  channelIds?: string[];
  personIds?: string[];
  linkKinds?: LinkKind[];
  fromDay?: number;
  toDay?: number;
}

export function metricQuery(teamId: string, metricCase: MetricCase): MetricQuery {
  return { teamId, channelIds: [...CHANNELS], fromDay: 0, toDay: 1_000_000, ...metricCase };
}

export function describeCase(metricCase: MetricCase): string {
  const { metric, groupBy, channelIds, personIds, linkKinds, fromDay, toDay } = metricCase;
  return [
    metric,
    groupBy.length ? `by ${groupBy.join(', ')}` : 'in total',
    channelIds && `in ${channelIds.join(', ')}`,
    personIds && `for ${personIds.join(', ')}`,
    linkKinds && `with ${linkKinds.join(', ')} links`,
    fromDay !== undefined && `from day +${fromDay - FIRST_DAY} to day +${(toDay ?? 0) - FIRST_DAY}`,
  ].filter(Boolean).join(' ');
}

export const DAILY_METRIC_NAMES: Metric[] = [
  'messages', 'threads_started', 'replies', 'help_replies', 'reactions_given', 'reactions_received',
  'mentions_given', 'mentions_received', 'links', 'bot_messages', 'channels_active_in', 'active_people',
];
export const GROUPINGS: Dimension[][] = [
  [], ['person'], ['channel'], ['day'], ['week'], ['month'], ['person', 'channel', 'day'], ['channel', 'week'], ['person', 'month'],
];

/** Every metric by every grouping, links by kind, and the link-kind filters. */
export const EVERY_METRIC_CASE: MetricCase[] = [
  ...[...DAILY_METRIC_NAMES, ...THREAD_METRICS].flatMap((metric) => GROUPINGS.map((groupBy) => ({ metric, groupBy }))),
  ...[['link_kind'], ['person', 'link_kind'], ['channel', 'link_kind'], ['week', 'link_kind']].map((groupBy) => ({ metric: 'links' as const, groupBy: groupBy as Dimension[] })),
  { metric: 'links', groupBy: ['person'], linkKinds: ['github_pr', 'jira'] },
  { metric: 'threads', groupBy: ['channel'], linkKinds: ['github_pr', 'jira'] },
  { metric: 'avg_replies_per_thread', groupBy: ['person'], linkKinds: ['other'] },
];

/** The cases whose SQL rows differ from the reference, each with both tables. */
export function differencesFromReference(
  queries: AnalyticsQueries,
  messages: readonly MessageMetadata[],
  teamId: string,
  cases: readonly MetricCase[] = EVERY_METRIC_CASE,
): { query: string; actual: Record<string, number>; expected: Record<string, number> }[] {
  return cases.flatMap((metricCase) => {
    const query = metricQuery(teamId, metricCase);
    const actual = tabulate(queries.metric(query), query);
    const expected = tabulate(referenceMetric(messages, query), query);
    return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ query: describeCase(metricCase), actual, expected }];
  });
}
