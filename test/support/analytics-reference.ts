/**
 * The reference oracle: the rows a metric query (or the thread list) must
 * return, worked out with the pure, hand-verified definitions in signals.ts
 * over the messages a store holds, and a comparison of every query with it.
 *
 * Time ranges, as the product owner decided them:
 * - a help reply counts when the reply is in the range; its question may be
 *   older, as long as it is stored;
 * - a thread counts when its root is in the range, measured with all its
 *   stored replies, those after the range end included;
 * - every other metric counts the messages of the days in the range.
 */
import type { LinkKind } from '../../src/analytics/classify-link.ts';
import type { MessageMetadata } from '../../src/analytics/message-metadata.ts';
import { groupThreads, isReply } from '../../src/analytics/message-roles.ts';
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
import { linkKindBit, MS_PER_DAY } from '../../src/analytics/stored-message.ts';
import {
  THREAD_METRICS,
  type AnalyticsQueries,
  type Dimension,
  type Metric,
  type MetricQuery,
  type MetricRow,
  type ThreadListQuery,
  type ThreadRow,
} from '../../src/db/analytics-queries.ts';
import { CHANNELS, FIRST_DAY, dayOfTs } from './analytics-factories.ts';

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

type Scope = Pick<MetricQuery, 'teamId' | 'channelIds' | 'personIds' | 'linkKinds' | 'fromDay' | 'toDay'>;

/** The team's stored messages, and whether a ts falls on a day of the range. */
function storedOf(messages: readonly MessageMetadata[], scope: Scope) {
  const stored = messages.filter((one) => one.teamId === scope.teamId);
  const inRange = (ts: string) => dayOfTs(ts) >= scope.fromDay && dayOfTs(ts) < scope.toDay;
  return { stored, inRange };
}

/**
 * threadDepth over every stored message, kept when the root is in scope:
 * channel, root day in the range, root author among the people, a link of a
 * wanted kind anywhere in the thread. Replies after the range end still count.
 */
function threadsInScope(messages: readonly MessageMetadata[], scope: Scope) {
  const { stored, inRange } = storedOf(messages, scope);
  const threads = groupThreads(stored);
  const masks = new Map(threads.map(({ root, replies }) => [
    `${root.channelId}:${root.ts}`,
    [root, ...replies].flatMap((one) => one.linkKinds).reduce((mask, kind) => mask | linkKindBit(kind), 0),
  ]));
  const questions = new Set(threads.filter(({ root }) => root.isQuestion).map(({ root }) => `${root.channelId}:${root.ts}`));
  const wanted = (scope.linkKinds ?? []).reduce((mask, kind) => mask | linkKindBit(kind), 0);
  return threadDepth(stored)
    .map((thread) => ({
      ...thread,
      linkMask: masks.get(`${thread.channelId}:${thread.threadTs}`) ?? 0,
      rootIsQuestion: questions.has(`${thread.channelId}:${thread.threadTs}`),
    }))
    .filter((thread) => scope.channelIds.includes(thread.channelId) && inRange(thread.threadTs)
      && (!scope.personIds?.length || scope.personIds.includes(thread.rootAuthorId))
      && (wanted === 0 || (thread.linkMask & wanted) !== 0));
}

/** Threads by channel, then root ts (sort what `threads()` lists this way to compare it with referenceThreads). */
export function compareThreads(a: Pick<ThreadRow, 'channelId' | 'threadTs'>, b: Pick<ThreadRow, 'channelId' | 'threadTs'>): number {
  return a.channelId.localeCompare(b.channelId) || Number(a.threadTs) - Number(b.threadTs);
}

/** What `threads(query)` must list, in compareThreads order. */
export function referenceThreads(messages: readonly MessageMetadata[], query: Omit<ThreadListQuery, 'order' | 'limit'>): ThreadRow[] {
  return threadsInScope(messages, query).sort(compareThreads).map((thread) => ({
    channelId: thread.channelId, threadTs: thread.threadTs, rootAuthorId: thread.rootAuthorId, rootIsQuestion: thread.rootIsQuestion,
    replies: thread.replies, participants: thread.participants, linkMask: thread.linkMask,
    // Exact: the seconds are whole milliseconds divided by 1000.
    firstReplyMs: thread.timeToFirstReplySeconds === null ? null : Math.round(thread.timeToFirstReplySeconds * 1000),
  }));
}

/**
 * What `metric(query)` must return per the reference, split by the channel
 * and time dimensions grouped by; person values come from the signal's
 * per-person rows. Threads belong to their root's channel and day, help
 * replies and every other count to the message's (see the rules above).
 */
export function referenceMetric(messages: readonly MessageMetadata[], query: MetricQuery): MetricRow[] {
  const { stored, inRange } = storedOf(messages, query);
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
    for (const thread of threadsInScope(messages, query)) {
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

  const scoped = stored.filter((one) => query.channelIds.includes(one.channelId) && inRange(one.ts));
  const storedRoots = stored.filter((one) => !isReply(one));
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
    for (const [person, value] of personValues(query.metric, part, storedRoots)) {
      if (chosen(person)) add({ ...keys, ...(byPerson ? { person } : {}) }, value);
    }
  }
  return [...rows.values()].map(({ keys, values }) => ({ keys, value: sum(values) }));
}

/** Per-person values of an additive metric over some messages ('' holds what no person did). */
function personValues(metric: Metric, part: readonly MessageMetadata[], storedRoots: readonly MessageMetadata[]): [string, number][] {
  const given = (rows: { personId: string; given: number; received: number }[], field: 'given' | 'received') =>
    rows.map((row): [string, number] => [row.personId, row[field]]);
  const counted = (rows: { personId: string; count: number }[]) => rows.map((row): [string, number] => [row.personId, row.count]);
  switch (metric) {
    case 'messages': return messagesPerPersonChannelDay(part).map((row) => [row.personId, row.messages]);
    case 'threads_started': return counted(threadsStarted(part));
    // helpReplies judges each reply by its own root alone, so every stored root with this part's replies
    // gives exactly the help replies over all stored messages that were written in this part.
    case 'help_replies': return counted(helpReplies([...storedRoots, ...part.filter(isReply)]));
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
