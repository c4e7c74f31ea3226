/**
 * The SQL layer (analytics-store + analytics-queries) against the pure,
 * hand-verified signal definitions: random but realistic workspaces, written
 * in several ways, must give exactly what signals.ts computes for every
 * metric, grouping and filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageMetadata } from '../../src/analytics/message-metadata.ts';
import { groupThreads } from '../../src/analytics/message-roles.ts';
import { channelActivity, channelsActiveIn, messagesPerPersonChannelDay, threadDepth } from '../../src/analytics/signals.ts';
import { linkKindBit } from '../../src/analytics/stored-message.ts';
import { createAnalyticsQueries, THREAD_METRICS, type AnalyticsQueries, type Dimension } from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import {
  CHANNELS,
  DAILY_METRIC_NAMES,
  EVERY_METRIC_CASE,
  FIRST_DAY,
  OTHER_TEAM,
  PEOPLE,
  TEAM,
  WRITE_WAYS,
  createRandom,
  dayOfTs,
  describeCase,
  differencesFromReference,
  generateWorkspace,
  metricQuery,
  referenceMetric,
  reply,
  tabulate,
  threadRoot,
  tsAt,
  type MetricCase,
} from '../support/analytics-factories.ts';

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
    const listed = queries.threads({ teamId: TEAM, channelIds: [...CHANNELS], ...ALL_TIME, order: 'replies', limit: 100_000 });
    const masks = new Map(groupThreads(workspace).map(({ root, replies }) => [
      root.ts, [root, ...replies].flatMap((one) => one.linkKinds).reduce((mask, kind) => mask | linkKindBit(kind), 0),
    ]));
    const questions = new Set(workspace.filter((one) => one.isQuestion).map((one) => `${one.channelId}:${one.ts}`));
    const byKey = (a: { channelId: string; threadTs: string }, b: { channelId: string; threadTs: string }) =>
      a.channelId.localeCompare(b.channelId) || Number(a.threadTs) - Number(b.threadTs);
    expect(listed.map((row) => ({ ...row, firstReplyMs: row.firstReplyMs === null ? null : row.firstReplyMs / 1000 })).sort(byKey)).toEqual(
      threadDepth(workspace).map((thread) => ({
        channelId: thread.channelId, threadTs: thread.threadTs, rootAuthorId: thread.rootAuthorId,
        rootIsQuestion: questions.has(`${thread.channelId}:${thread.threadTs}`), replies: thread.replies,
        participants: thread.participants, firstReplyMs: thread.timeToFirstReplySeconds, linkMask: masks.get(thread.threadTs),
      })),
    );
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
  const filters: { name: string; scope: Partial<MetricCase> }[] = [
    { name: 'a time range', scope: range },
    { name: 'some people', scope: people },
    { name: 'some channels', scope: channels },
    { name: 'a time range, some people and some channels', scope: { ...range, ...people, ...channels } },
  ];
  const groupings: Dimension[][] = [[], ['person'], ['channel', 'week']];

  for (const metric of [...DAILY_METRIC_NAMES, ...THREAD_METRICS]) {
    for (const { name, scope } of filters) {
      it(`returns what the reference computes over the filtered messages for ${metric} within ${name}`, () => {
        const cases = groupings.map((groupBy) => ({ metric, groupBy, ...scope }));
        expect(differencesFromReference(queries, workspace, TEAM, cases)).toEqual([]);
      });
    }
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

describe('time ranges, as the reference reads them ("filter by time first")', () => {
  // Minimal reproductions of what the randomized range cases above find.
  const range = { fromDay: FIRST_DAY + 7, toDay: FIRST_DAY + 14 };
  let database: OpenedDatabase;
  let queries: AnalyticsQueries;
  beforeAll(() => ({ database, queries } = storeWorkspace(WRITE_WAYS[0]!.write, threadsAcrossRange(range), SEED)));
  afterAll(() => database.close());
  const query = (metric: MetricCase['metric'], groupBy: Dimension[] = ['person']) =>
    tabulate(queries.metric({ teamId: TEAM, metric, groupBy, channelIds: [...CHANNELS], ...range }), { metric, groupBy });

  it('does not count a reply in the range as a help reply when the question was asked before the range', () => {
    // The question (Ada, the evening before fromDay) is not in the range: helpReplies cannot check it.
    expect(query('help_replies')).toEqual({});
  });

  it('leaves replies written after the range out of a thread started inside it', () => {
    // The late thread (Bea, 23:00 on the last day): in the range only Bea's own reply at 23:30.
    expect(query('avg_replies_per_thread', ['channel'])).toEqual({ [`channel=${CHANNELS[3]}`]: 1 });
    expect(query('avg_participants_per_thread', ['channel'])).toEqual({ [`channel=${CHANNELS[3]}`]: 1 });
    expect(query('median_minutes_to_first_reply', ['channel'])).toEqual({});
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
    } finally {
      database.close();
    }
  });
});
