/**
 * The SQL layer (analytics-store + analytics-queries) against the pure,
 * hand-verified signal definitions: random but realistic workspaces, written
 * in several ways, must give exactly what signals.ts computes for every
 * metric, grouping and filter.
 *
 * Time ranges, as the product owner decided them:
 * - help replies: a reply counts when the reply is in the range; its question
 *   (the thread root) may be older, as long as it is stored;
 * - thread metrics and the thread list: the threads whose root is in the
 *   range, with all their stored replies, those after the range end included;
 *   the people filter picks the root's author;
 * - an ungrouped thread average is a number (0 when no thread has a reply),
 *   and no thread in scope gives no row;
 * - every other metric counts the messages written on the days of the range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageMetadata } from '../../src/analytics/message-metadata.ts';
import { groupThreads } from '../../src/analytics/message-roles.ts';
import { channelActivity, channelsActiveIn, messagesPerPersonChannelDay, threadDepth } from '../../src/analytics/signals.ts';
import {
  createAnalyticsQueries,
  THREAD_METRICS,
  type AnalyticsQueries,
  type Dimension,
  type ThreadListQuery,
  type ThreadRow,
} from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import {
  CHANNELS,
  FIRST_DAY,
  OTHER_TEAM,
  PEOPLE,
  TEAM,
  WRITE_WAYS,
  createRandom,
  dayOfTs,
  generateWorkspace,
  message,
  reply,
  threadRoot,
  tsAt,
} from '../support/analytics-factories.ts';
import {
  DAILY_METRIC_NAMES,
  EVERY_METRIC_CASE,
  GROUPINGS,
  compareThreads,
  describeCase,
  differencesFromReference,
  metricQuery,
  referenceMetric,
  referenceThreads,
  tabulate,
  type MetricCase,
} from '../support/analytics-reference.ts';

const SEED = 20240101;
const ALL_TIME = { fromDay: 0, toDay: 1_000_000 };

/** A database holding `workspace` (written the given way) and a smaller workspace of another team on the same channel ids. */
function storeWorkspace(write: (typeof WRITE_WAYS)[number]['write'], workspace: readonly MessageMetadata[], seed: number) {
  const database = openDatabase(':memory:');
  const store = createAnalyticsStore(database.db);
  write(store, TEAM, workspace, createRandom(seed));
  write(store, OTHER_TEAM, generateWorkspace(createRandom(seed + 1), { teamId: OTHER_TEAM, roots: 80 }), createRandom(seed + 2));
  return { database, queries: createAnalyticsQueries(database.db) };
}

function expectMatchesReference(queries: AnalyticsQueries, workspace: readonly MessageMetadata[], metricCase: MetricCase): void {
  const query = metricQuery(TEAM, metricCase);
  expect(tabulate(queries.metric(query), query)).toEqual(tabulate(referenceMetric(workspace, query), query));
}

/** Every thread `threads()` lists for the scope, in the order referenceThreads gives them. */
function listThreads(queries: AnalyticsQueries, scope: Omit<ThreadListQuery, 'order' | 'limit'>): ThreadRow[] {
  return queries.threads({ ...scope, order: 'replies', limit: 100_000 }).sort(compareThreads);
}

describe.each(WRITE_WAYS.map((way, index) => ({ ...way, seed: SEED + 10 * index })))('a workspace written $name', ({ write, seed }) => {
  const workspace = generateWorkspace(createRandom(seed));
  let database: OpenedDatabase;
  let queries: AnalyticsQueries;
  beforeAll(() => ({ database, queries } = storeWorkspace(write, workspace, seed)));
  afterAll(() => database.close());

  it('is realistic: bots, notices, questions, threads across days, self-reactions, sampled reactors, self-mentions, every link kind', () => {
    const roots = groupThreads(workspace);
    expect(workspace.length).toBeGreaterThan(500);
    expect(workspace.some((one) => one.subtype === 'bot_message' && one.authorId === null)).toBe(true);
    expect(workspace.some((one) => one.subtype === 'channel_join')).toBe(true);
    expect(workspace.some((one) => one.subtype === 'thread_broadcast')).toBe(true);
    expect(roots.some(({ root, replies }) => root.isQuestion && replies.some((r) => r.authorId === root.authorId))).toBe(true);
    expect(roots.some(({ root, replies }) => replies.some((r) => dayOfTs(r.ts) > dayOfTs(root.ts)))).toBe(true);
    expect(workspace.some((one) => one.reactions.some((r) => one.authorId && r.userIds.includes(one.authorId)))).toBe(true);
    expect(workspace.some((one) => one.reactions.some((r) => r.count > r.userIds.length))).toBe(true);
    expect(workspace.some((one) => one.authorId && one.mentionedUserIds.includes(one.authorId))).toBe(true);
    expect(new Set(workspace.flatMap((one) => one.linkKinds)).size).toBe(9);
    expect(new Set(workspace.map((one) => dayOfTs(one.ts))).size).toBeGreaterThan(55);
  });

  for (const metricCase of EVERY_METRIC_CASE) {
    it(`returns what the reference computes for ${describeCase(metricCase)}`, () => expectMatchesReference(queries, workspace, metricCase));
  }

  it('counts messages per person, channel and day exactly as messagesPerPersonChannelDay does', () => {
    const rows = queries.metric({ teamId: TEAM, metric: 'messages', groupBy: ['person', 'channel', 'day'], channelIds: [...CHANNELS], ...ALL_TIME });
    const actual = rows
      .filter((row) => row.value > 0)
      .map((row) => ({ personId: row.keys.person, channelId: row.keys.channel, day: row.keys.day, messages: row.value }))
      .sort((a, b) => Number(a.day) - Number(b.day) || String(a.channelId).localeCompare(String(b.channelId)) || String(a.personId).localeCompare(String(b.personId)));
    const expected = messagesPerPersonChannelDay(workspace).map((row) => ({ ...row, day: Date.parse(`${row.day}T00:00:00Z`) / 86_400_000 }));
    expect(actual).toEqual(expected);
  });

  it('counts the channels each person was active in exactly as channelsActiveIn does', () => {
    const rows = queries.metric({ teamId: TEAM, metric: 'channels_active_in', groupBy: ['person'], channelIds: [...CHANNELS], ...ALL_TIME });
    const expected = channelsActiveIn(workspace, { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
    expect(Object.fromEntries(rows.map((row) => [row.keys.person, row.value]))).toEqual(
      Object.fromEntries(expected.map((row) => [row.personId, row.channels])),
    );
  });

  it('reports bot messages, active people, threads and the median first-reply time per channel as channelActivity does', () => {
    const perChannel = (metric: 'bot_messages' | 'active_people' | 'threads' | 'median_minutes_to_first_reply') =>
      queries.metric({ teamId: TEAM, metric, groupBy: ['channel'], channelIds: [...CHANNELS], ...ALL_TIME });
    const actual = channelActivity(workspace).map(({ channelId }) => {
      const value = (rows: ReturnType<typeof perChannel>) => rows.find((row) => row.keys.channel === channelId)?.value;
      const minutes = value(perChannel('median_minutes_to_first_reply'));
      return { channelId, botMessages: value(perChannel('bot_messages')) ?? 0, activePeople: value(perChannel('active_people')) ?? 0,
        threads: value(perChannel('threads')) ?? 0, medianTimeToFirstReplySeconds: minutes === undefined ? null : Math.round(minutes * 60 * 1e6) / 1e6 };
    });
    expect(actual).toEqual(channelActivity(workspace).map(({ channelId, botMessages, activePeople, threads, medianTimeToFirstReplySeconds }) => ({
      channelId, botMessages, activePeople, threads,
      medianTimeToFirstReplySeconds: medianTimeToFirstReplySeconds === null ? null : Math.round(medianTimeToFirstReplySeconds * 1e6) / 1e6,
    })));
  });

  it('lists every thread with the replies, participants and first-reply time threadDepth reports, and its link kinds', () => {
    const scope = { teamId: TEAM, channelIds: [...CHANNELS], ...ALL_TIME };
    expect(listThreads(queries, scope)).toEqual(referenceThreads(workspace, scope));
  });

  it('lists threads deepest first, then most participants, then oldest', () => {
    const listed = queries.threads({ teamId: TEAM, channelIds: [...CHANNELS], ...ALL_TIME, order: 'replies', limit: 100_000 });
    const sorted = [...listed].sort((a, b) => b.replies - a.replies || b.participants - a.participants || Number(a.threadTs) - Number(b.threadTs));
    expect(listed).toEqual(sorted);
  });
});

/**
 * Threads cut by the range: a question asked the evening before `fromDay`
 * and answered on it, and a thread started the evening before `toDay` whose
 * last reply comes after it.
 */
function threadsAcrossRange({ fromDay, toDay }: { fromDay: number; toDay: number }): MessageMetadata[] {
  const question = threadRoot({ channelId: CHANNELS[0], ts: tsAt(fromDay - 1, 86_000), authorId: PEOPLE[0], isQuestion: true, replyCount: 2 });
  const late = threadRoot({ channelId: CHANNELS[3], ts: tsAt(toDay - 1, 82_800), authorId: PEOPLE[1], isQuestion: true, replyCount: 2 });
  return [
    question,
    reply(question, { ts: tsAt(fromDay, 600), authorId: PEOPLE[1] }),
    reply(question, { ts: tsAt(fromDay + 1, 600), authorId: PEOPLE[4] }),
    late,
    reply(late, { ts: tsAt(toDay - 1, 84_600), authorId: PEOPLE[1] }),
    reply(late, { ts: tsAt(toDay, 3_600), authorId: PEOPLE[6] }),
  ];
}

describe('metric filters', () => {
  const seed = SEED + 100;
  // Thursday of week 2 to the middle of February: partial first week, a month end inside.
  const range = { fromDay: FIRST_DAY + 10, toDay: FIRST_DAY + 45 };
  const workspace = [...generateWorkspace(createRandom(seed)), ...threadsAcrossRange(range)];
  let database: OpenedDatabase;
  let queries: AnalyticsQueries;
  beforeAll(() => ({ database, queries } = storeWorkspace(WRITE_WAYS[1]!.write, workspace, seed)));
  afterAll(() => database.close());

  const people = { personIds: [PEOPLE[1], PEOPLE[4], PEOPLE[6]] };
  const channels = { channelIds: [CHANNELS[0], CHANNELS[3]] };
  // Most channels: per-person sums are then the per-day rows less the channel left out.
  const allButOne = { channelIds: [CHANNELS[0], CHANNELS[1], CHANNELS[3]] };
  const filters: { name: string; scope: Partial<MetricCase> }[] = [
    { name: 'a time range', scope: range },
    { name: 'some people', scope: people },
    { name: 'some channels', scope: channels },
    { name: 'every channel but one', scope: allButOne },
    { name: 'a time range, some people and some channels', scope: { ...range, ...people, ...channels } },
    { name: 'a time range, some people and every channel but one', scope: { ...range, ...people, ...allButOne } },
  ];
  const groupings: Dimension[][] = [[], ['person'], ['channel', 'week'], ['person', 'month'], ['day']];

  for (const metric of [...DAILY_METRIC_NAMES, ...THREAD_METRICS]) {
    for (const { name, scope } of filters) {
      it(`returns what the reference computes over the filtered messages for ${metric} within ${name}`, () => {
        const cases = groupings.map((groupBy) => ({ metric, groupBy, ...scope }));
        expect(differencesFromReference(queries, workspace, TEAM, cases)).toEqual([]);
      });
    }
  }

  for (const { name, scope } of filters) {
    it(`lists the threads the reference keeps within ${name}`, () => {
      const threadScope = { teamId: TEAM, channelIds: [...CHANNELS], ...ALL_TIME, ...scope };
      expect(listThreads(queries, threadScope)).toEqual(referenceThreads(workspace, threadScope));
    });
  }

  it('returns no rows when no channel may be seen', () => {
    expect(queries.metric({ teamId: TEAM, metric: 'messages', groupBy: [], channelIds: [], ...ALL_TIME })).toEqual([]);
  });

  it('starts weeks on Monday and months on the 1st, in UTC', () => {
    const rows = (groupBy: Dimension[]) =>
      queries.metric({ teamId: TEAM, metric: 'messages', groupBy, channelIds: [...CHANNELS], ...ALL_TIME }).map((row) => row.keys[groupBy[0]!]);
    for (const monday of rows(['week'])) expect(new Date(Number(monday) * 86_400_000).getUTCDay()).toBe(1);
    expect(rows(['month'])).toEqual(expect.arrayContaining(['2024-01', '2024-02', '2024-03']));
  });
});

describe('per-person sums over every channel but one (the per-day rows less the channel left out)', () => {
  const [ENG, SUPPORT, RANDOM] = CHANNELS;
  const [ADA, BEA, CY] = PEOPLE;
  // Ada posts in #eng and #random, Bea only in #random (and reacts there), Cy only in #support.
  const messages = [
    message({ ts: tsAt(FIRST_DAY, 100), channelId: ENG, authorId: ADA }),
    message({ ts: tsAt(FIRST_DAY, 200), channelId: RANDOM, authorId: ADA, reactions: [{ name: 'eyes', userIds: [BEA], count: 1 }] }),
    message({ ts: tsAt(FIRST_DAY + 1, 300), channelId: RANDOM, authorId: BEA }),
    message({ ts: tsAt(FIRST_DAY + 2, 400), channelId: SUPPORT, authorId: CY }),
  ];
  let database: OpenedDatabase;
  let queries: AnalyticsQueries;
  beforeAll(() => ({ database, queries } = storeWorkspace(WRITE_WAYS[0]!.write, messages, SEED)));
  afterAll(() => database.close());
  const withoutRandom = CHANNELS.filter((channel) => channel !== RANDOM);
  // The rows as they come, zeros included (tabulate drops them): who is listed is what is being checked.
  const perPerson = (metric: MetricCase['metric'], groupBy: Dimension[] = ['person']) =>
    queries.metric({ teamId: TEAM, metric, groupBy, channelIds: withoutRandom, ...ALL_TIME });

  it('lists only people active in the channels counted: not someone active only in the one left out, even with 0', () => {
    expect(perPerson('messages')).toEqual([
      { keys: { person: ADA }, value: 1 },
      { keys: { person: CY }, value: 1 },
    ]);
    expect(perPerson('reactions_given')).toEqual([
      { keys: { person: ADA }, value: 0 },
      { keys: { person: CY }, value: 0 },
    ]);
    expect(perPerson('messages', ['person', 'day'])).toEqual([
      { keys: { person: ADA, day: FIRST_DAY }, value: 1 },
      { keys: { person: CY, day: FIRST_DAY + 2 }, value: 1 },
    ]);
  });

  it('matches the reference for every sum and grouping', () => {
    const cases = DAILY_METRIC_NAMES.flatMap((metric) => GROUPINGS.map((groupBy) => ({ metric, groupBy, channelIds: withoutRandom })));
    expect(differencesFromReference(queries, messages, TEAM, cases)).toEqual([]);
  });
});

describe('time ranges: help replies by the reply, threads by the root with all their stored replies', () => {
  // The boundary cases the randomized range cases above also cover, spelled out.
  const range = { fromDay: FIRST_DAY + 7, toDay: FIRST_DAY + 14 };
  const [ADA, BEA, , , EVE, , GUS] = PEOPLE;
  const INCIDENTS = CHANNELS[3];
  const messages = threadsAcrossRange(range);
  const late = messages[3]!;
  let database: OpenedDatabase;
  let queries: AnalyticsQueries;
  beforeAll(() => ({ database, queries } = storeWorkspace(WRITE_WAYS[0]!.write, messages, SEED)));
  afterAll(() => database.close());
  const query = (metric: MetricCase['metric'], groupBy: Dimension[] = ['person'], scope: Partial<MetricCase> = {}) =>
    tabulate(queries.metric({ teamId: TEAM, metric, groupBy, channelIds: [...CHANNELS], ...range, ...scope }), { metric, groupBy });

  it('counts a reply in the range as a help reply though its question was asked before the range', () => {
    // Ada asked the evening before fromDay; Bea answered on fromDay, Eve the day after. Gus answered Bea after toDay.
    expect(query('help_replies')).toEqual({ [`person=${BEA}`]: 1, [`person=${EVE}`]: 1 });
    expect(query('help_replies', ['person'], { fromDay: range.fromDay + 1, toDay: range.toDay + 1 }))
      .toEqual({ [`person=${EVE}`]: 1, [`person=${GUS}`]: 1 });
    expect(query('help_replies', ['person'], { personIds: [ADA, GUS] })).toEqual({});
  });

  it('measures a thread started in the range with all its stored replies, those after the range end included', () => {
    // The late thread (Bea, 23:00 on the last day): Bea's own reply at 23:30, Gus's at 01:00 after toDay.
    const incidents = (value: number) => ({ [`channel=${INCIDENTS}`]: value });
    expect(query('threads', ['channel'])).toEqual(incidents(1));
    expect(query('avg_replies_per_thread', ['channel'])).toEqual(incidents(2));
    expect(query('avg_participants_per_thread', ['channel'])).toEqual(incidents(2));
    expect(query('median_minutes_to_first_reply', ['channel'])).toEqual(incidents(120));
    expect(queries.threads({ teamId: TEAM, channelIds: [...CHANNELS], ...range, order: 'replies', limit: 10 })).toEqual([
      { channelId: INCIDENTS, threadTs: late.ts, rootAuthorId: BEA, rootIsQuestion: true, replies: 2, participants: 2, firstReplyMs: 7_200_000, linkMask: 0 },
    ]);
  });

  it('leaves out a thread started before the range though its replies are in it, and picks threads by their root author', () => {
    expect(query('threads', ['channel'], { fromDay: range.fromDay, toDay: range.fromDay + 2 })).toEqual({});
    expect(query('threads', [], { personIds: [GUS] })).toEqual({});
    expect(query('avg_replies_per_thread', ['person'], { personIds: [BEA, GUS] })).toEqual({ [`person=${BEA}`]: 2 });
  });

  it('agrees with the reference on every metric over these threads', () => {
    const cases = [...DAILY_METRIC_NAMES, ...THREAD_METRICS].flatMap((metric) =>
      [[], ['person'], ['channel', 'day']].map((groupBy) => ({ metric, groupBy: groupBy as Dimension[], ...range })));
    expect(differencesFromReference(queries, messages, TEAM, cases)).toEqual([]);
  });
});

describe('thread averages', () => {
  it('averages 0 replies per thread, not no answer, when no thread in scope has a reply yet', () => {
    // threadDepth reports the root (thread_ts === ts, replies not in the data) with replies 0: the mean is 0.
    const started = threadRoot({ ts: tsAt(FIRST_DAY, 3_600), authorId: PEOPLE[0], replyCount: 2 });
    const { database, queries } = storeWorkspace(WRITE_WAYS[0]!.write, [started], SEED);
    const query = { teamId: TEAM, groupBy: [], channelIds: [...CHANNELS], ...ALL_TIME };
    try {
      expect(threadDepth([started])).toEqual([expect.objectContaining({ replies: 0, participants: 1 })]);
      expect(queries.metric({ ...query, metric: 'threads' })).toEqual([{ keys: {}, value: 1 }]);
      expect(queries.metric({ ...query, metric: 'avg_replies_per_thread' })).toEqual([{ keys: {}, value: 0 }]);
      expect(queries.metric({ ...query, metric: 'avg_participants_per_thread' })).toEqual([{ keys: {}, value: 1 }]);
      expect(queries.metric({ ...query, metric: 'median_minutes_to_first_reply' })).toEqual([]);
    } finally {
      database.close();
    }
  });

  it('gives no row, not an average of 0, when no thread is in scope', () => {
    const started = threadRoot({ ts: tsAt(FIRST_DAY, 3_600), authorId: PEOPLE[0], replyCount: 2 });
    const { database, queries } = storeWorkspace(WRITE_WAYS[0]!.write, [started], SEED);
    const query = { teamId: TEAM, groupBy: [], channelIds: [...CHANNELS], fromDay: FIRST_DAY + 1, toDay: FIRST_DAY + 2 };
    try {
      for (const metric of THREAD_METRICS) {
        expect({ metric, rows: queries.metric({ ...query, metric }) }).toEqual({ metric, rows: [] });
        expect(referenceMetric([started], { ...query, metric })).toEqual([]);
      }
    } finally {
      database.close();
    }
  });
});
