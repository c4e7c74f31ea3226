/**
 * The analytics sync: which channels it lists, joins and reads, how a channel's
 * history pass resumes from its saved cursor, what later syncs re-read, and
 * how failures, cancellation and progress are reported. A real migrated
 * database throughout; Slack is a small in-memory fake of the
 * AnalyticsSlackSource port (history newest first and paged, replies parent
 * first), except at the end, where the real Slack source talks to a tiny fake
 * Web API server to show what it filters and maps.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from '../../src/analytics/analytics-settings.ts';
import { AnalyticsSync, type SyncProgress } from '../../src/analytics/analytics-sync.ts';
import {
  msToTs,
  REFRESH_WINDOW_MS,
  SlackCallError,
  type AnalyticsSlackSource,
  type ChannelListing,
  type MessagePage,
} from '../../src/analytics/channel-sync.ts';
import type { SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { createPseudonymizer } from '../../src/analytics/pseudonym.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { decodePeopleSums } from '../../src/db/people-sums.ts';
import { createLogger } from '../../src/logger.ts';
import { createAnalyticsSlackSource } from '../../src/slack/analytics-slack-source.ts';

const TEAM = 'T0ACME';
const DAY_MS = 86_400_000;
/** Whole seconds, so cursor timestamps round-trip exactly. */
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const ADA = 'U01ADA';
const BEA = 'U02BEA';
const CY = 'U03CY';
/** What a per-channel failure may say: a sentence with a reference, nothing of the raw error. */
const SAFE_FAILURE = /^The sync failed \(ref [0-9a-f]{8}\); it will be retried on the next sync\.$/;

const opened: OpenedDatabase[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) database.close();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

// ---- the fake Slack --------------------------------------------------------

interface HistoryCall {
  channelId: string;
  oldest: string;
  latest: string;
  cursor: string | undefined;
  /** The ts of every message the page returned (empty when the call failed). */
  served: string[];
}

function compareTs(a: string, b: string): number {
  const [aSeconds = 0, aMicros = 0] = a.split('.').map(Number);
  const [bSeconds = 0, bMicros = 0] = b.split('.').map(Number);
  return aSeconds - bSeconds || aMicros - bMicros;
}

/** A Slack ts `days` days (and `minutes` minutes) before NOW. */
function daysAgo(days: number, minutes = 0): string {
  return msToTs(NOW - days * DAY_MS + minutes * 60_000);
}

const CURSOR_PREFIX = 'next_ts:';

/**
 * An in-memory workspace behind the AnalyticsSlackSource port: history pages
 * newest first within [oldest, latest] (inclusive), replies parent first, both
 * with opaque cursors; thread roots carry reply_count, reply_users and
 * latest_reply as Slack computes them. Every call is recorded; hooks let a
 * test fail or interrupt a chosen call.
 */
function aFakeSlack(options: { pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? 3;
  const listing: ChannelListing[] = [];
  const messages = new Map<string, SlackMessageLike[]>();
  const calls = { list: 0, joins: [] as string[], history: [] as HistoryCall[], replies: [] as { channelId: string; threadTs: string; cursor: string | undefined }[] };
  const hooks: {
    onList?: () => void;
    onJoin?: (channelId: string) => void;
    /** Runs before a history page is served; `index` counts from 1 over the fake's life. */
    onHistory?: (call: HistoryCall, index: number) => void;
    /** Runs before a replies page is served. */
    onReplies?: (threadTs: string) => void;
  } = {};
  /** Threads whose root is gone by the time replies are read (the real source maps thread_not_found to an empty page). */
  const vanishedThreads = new Set<string>();

  const of = (channelId: string) => messages.get(channelId) ?? [];
  const isReply = (message: SlackMessageLike) => message.thread_ts !== undefined && message.thread_ts !== message.ts;
  const repliesTo = (channelId: string, ts: string) =>
    of(channelId)
      .filter((message) => isReply(message) && message.thread_ts === ts)
      .sort((a, b) => compareTs(a.ts, b.ts));
  /** A message as Slack returns it: a root with replies carries the thread's bookkeeping. */
  const render = (channelId: string, message: SlackMessageLike): MessagePage['messages'][number] => {
    const replies = isReply(message) ? [] : repliesTo(channelId, message.ts);
    if (replies.length === 0) return { ...message };
    return {
      ...message,
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users: [...new Set(replies.map((reply) => reply.user as string))],
      latest_reply: (replies.at(-1) as SlackMessageLike).ts,
    };
  };
  const cursorTs = (cursor: string) => cursor.slice(CURSOR_PREFIX.length);

  const source: AnalyticsSlackSource = {
    async listChannels() {
      calls.list += 1;
      hooks.onList?.();
      return listing.map((channel) => ({ ...channel }));
    },
    async joinChannel(channelId) {
      calls.joins.push(channelId);
      hooks.onJoin?.(channelId);
      const channel = listing.find((candidate) => candidate.id === channelId);
      if (channel) channel.isMember = true;
    },
    async history(channelId, range, signal) {
      signal?.throwIfAborted();
      const call: HistoryCall = { channelId, oldest: range.oldest, latest: range.latest, cursor: range.cursor, served: [] };
      calls.history.push(call);
      hooks.onHistory?.(call, calls.history.length);
      const channelLevel = of(channelId)
        .filter((message) => !isReply(message) || message.subtype === 'thread_broadcast')
        .filter((message) => compareTs(message.ts, range.oldest) >= 0 && compareTs(message.ts, range.latest) <= 0)
        .sort((a, b) => compareTs(b.ts, a.ts));
      const start = range.cursor === undefined ? 0 : channelLevel.findIndex((message) => compareTs(message.ts, cursorTs(range.cursor as string)) <= 0);
      const page = start < 0 ? [] : channelLevel.slice(start, start + pageSize);
      const next = start < 0 ? undefined : channelLevel[start + pageSize];
      call.served = page.map((message) => message.ts);
      return { messages: page.map((message) => render(channelId, message)), nextCursor: next ? `${CURSOR_PREFIX}${next.ts}` : undefined };
    },
    async replies(channelId, threadTs, cursor, signal) {
      signal?.throwIfAborted();
      calls.replies.push({ channelId, threadTs, cursor });
      hooks.onReplies?.(threadTs);
      const root = of(channelId).find((message) => message.ts === threadTs && !isReply(message));
      if (!root || vanishedThreads.has(threadTs)) return { messages: [], nextCursor: undefined };
      const replies = repliesTo(channelId, threadTs);
      const start = cursor === undefined ? 0 : replies.findIndex((reply) => compareTs(reply.ts, cursorTs(cursor)) >= 0);
      const page = replies.slice(start, start + pageSize);
      const next = replies[start + pageSize];
      // Slack repeats the parent at the top of every page.
      return { messages: [render(channelId, root), ...page], nextCursor: next ? `${CURSOR_PREFIX}${next.ts}` : undefined };
    },
  };

  return {
    source,
    calls,
    hooks,
    vanishedThreads,
    addChannel(channel: Partial<ChannelListing> & { id: string; name: string }): void {
      listing.push({ isPrivate: false, isArchived: false, isMember: true, ...channel });
    },
    post(channelId: string, message: SlackMessageLike): string {
      messages.set(channelId, [...of(channelId), message]);
      return message.ts;
    },
    reply(channelId: string, rootTs: string, message: SlackMessageLike): string {
      return this.post(channelId, { ...message, thread_ts: rootTs });
    },
    /** History calls of one channel. */
    historyOf: (channelId: string) => calls.history.filter((call) => call.channelId === channelId),
  };
}

type FakeSlack = ReturnType<typeof aFakeSlack>;

/**
 * A channel's history over 45 days: top-level messages every few days, two
 * threads (one with more replies than a page holds), a reply also sent to
 * the channel, and messages older than a 30-day lookback.
 */
function fillEng(slack: FakeSlack, channelId = 'C01ENG'): { withinThirtyDays: string[]; olderThanThirtyDays: string[] } {
  const older = [slack.post(channelId, { ts: daysAgo(45), user: ADA, text: 'ancient' }), slack.post(channelId, { ts: daysAgo(31), user: BEA, text: 'old' })];
  const roots = [
    slack.post(channelId, { ts: daysAgo(29), user: ADA, text: 'How do I rotate the keys?' }),
    slack.post(channelId, { ts: daysAgo(12), user: CY, text: 'Release notes are up' }),
  ];
  const threadReplies = [
    slack.reply(channelId, roots[0] as string, { ts: daysAgo(29, 5), user: BEA, text: 'Use the runbook' }),
    ...[10, 20, 30, 40].map((minutes, index) => slack.reply(channelId, roots[1] as string, { ts: daysAgo(12, minutes), user: index % 2 ? ADA : BEA, text: 'nice' })),
    slack.reply(channelId, roots[1] as string, { ts: daysAgo(12, 50), user: ADA, text: 'broadcast', subtype: 'thread_broadcast' }),
  ];
  const singles = [20, 15, 9, 6, 3, 2, 1].map((days, index) => slack.post(channelId, { ts: daysAgo(days), user: [ADA, BEA, CY][index % 3], text: `update ${index}` }));
  return { withinThirtyDays: [...roots, ...threadReplies, ...singles].sort(compareTs), olderThanThirtyDays: older };
}

// ---- the world -------------------------------------------------------------

interface WorldOptions {
  slack?: FakeSlack;
  /** Reuse a database: a restart of Pulse over the same data. */
  database?: OpenedDatabase;
  settings?: Partial<AnalyticsSettings>;
}

function aWorld(options: WorldOptions = {}) {
  const database = options.database ?? openDatabase(':memory:');
  if (!options.database) opened.push(database);
  const slack = options.slack ?? aFakeSlack();
  let now = NOW;
  let settings: AnalyticsSettings = { ...DEFAULT_ANALYTICS_SETTINGS, lookbackDays: 30, ...options.settings };
  const store = createAnalyticsStore(database.db);
  const channels = createAnalyticsChannelStore(database.db, () => new Date(now));
  const logLines: string[] = [];
  const progress: (SyncProgress | undefined)[] = [];
  const pseudonymize = createPseudonymizer(Buffer.alloc(32, 9), TEAM);
  const sync = new AnalyticsSync({
    slack: slack.source,
    store,
    channels,
    settings: () => settings,
    pseudonymizer: () => pseudonymize,
    logger: createLogger({ level: 'info', sink: (line) => logLines.push(line) }),
    now: () => now,
    onProgress: (_teamId, current) => progress.push(current ? { ...current } : undefined),
  });
  const sqlite = database.db.$client;
  return {
    database,
    slack,
    sync,
    store,
    channels,
    logLines,
    progress,
    pseudonymize,
    advance: (ms: number) => {
      now += ms;
    },
    changeSettings: (changes: Partial<AnalyticsSettings>) => {
      settings = { ...settings, ...changes };
    },
    storedTs: (channelId: string) =>
      (sqlite.prepare('SELECT ts FROM analytics_messages WHERE team_id = ? AND channel_id = ?').all(TEAM, channelId) as { ts: string }[])
        .map((row) => row.ts)
        .sort(compareTs),
    /**
     * Every analytics row but the channels' sync bookkeeping (whose timestamps differ between runs), with the packed
     * per-person sums read out by person id (the small keys behind them depend on who was seen first).
     */
    snapshot: () => {
      const names = new Map(sqlite.prepare('SELECT person_key, person_id FROM analytics_people WHERE team_id = ?').raw().all(TEAM) as [number, string][]);
      const unpack = (row: Record<string, unknown>) => ({
        ...row,
        people: Object.fromEntries([...decodePeopleSums(row.people as Buffer | null)].map(([key, sums]) => [names.get(key), sums]).sort()),
      });
      const rows = (table: string, order: string) => sqlite.prepare(`SELECT * FROM ${table} WHERE team_id = ? ORDER BY ${order}`).all(TEAM) as Record<string, unknown>[];
      return {
        ...Object.fromEntries(
          ['analytics_messages', 'analytics_links', 'analytics_threads'].map((table) => [table, rows(table, '1, 2, 3, 4')]),
        ),
        analytics_channel_days: rows('analytics_channel_days', '1, 2, 3').map(unpack),
        analytics_person_days: rows('analytics_person_days', '1, 2').map(unpack),
      };
    },
  };
}

// ---- first sync ------------------------------------------------------------

describe('a first sync', () => {
  it('stores exactly the messages within the lookback, thread replies included', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    const { withinThirtyDays } = fillEng(slack);
    const world = aWorld({ slack });

    const summary = await world.sync.sync(TEAM, 'manual');

    expect(world.storedTs('C01ENG')).toEqual(withinThirtyDays);
    expect(new Set(slack.calls.history.map((call) => `${call.oldest}..${call.latest}`))).toEqual(new Set([`${daysAgo(30)}..${msToTs(NOW)}`]));
    expect(summary).toMatchObject({ trigger: 'manual', channels: 1, joined: [], failed: [] });
    expect(world.channels.get(TEAM, 'C01ENG')).toMatchObject({
      status: 'synced',
      coveredFromTs: daysAgo(30),
      coveredToTs: msToTs(NOW),
      passCursor: null,
      lastSyncError: null,
    });
  });

  it('reads every page of a long thread', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    fillEng(slack);
    const world = aWorld({ slack });

    await world.sync.sync(TEAM, 'manual');

    const longThread = slack.calls.replies.filter((call) => call.threadTs === daysAgo(12));
    expect(longThread.map((call) => call.cursor)).toEqual([undefined, `${CURSOR_PREFIX}${daysAgo(12, 30)}`, `${CURSOR_PREFIX}${daysAgo(12, 50)}`]);
    expect(world.store.pendingThreads(TEAM, 'C01ENG', 10)).toEqual([]);
  });

  it('stores people as pseudonyms when the workspace pseudonymizes', async () => {
    const slack = aFakeSlack();
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    slack.post('C01ENG', { ts: daysAgo(1), user: ADA, text: 'hello' });
    const world = aWorld({ slack, settings: { pseudonymize: true } });

    await world.sync.sync(TEAM, 'manual');

    const authors = world.database.db.$client.prepare('SELECT author_id AS author FROM analytics_messages').all();
    expect(authors).toEqual([{ author: world.pseudonymize(ADA) }]);
  });
});

// ---- resuming --------------------------------------------------------------

describe('an interrupted sync', () => {
  /** The rows an uninterrupted sync of the same history stores. */
  async function rowsOfAnUninterruptedSync() {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    fillEng(slack);
    const world = aWorld({ slack });
    await world.sync.sync(TEAM, 'manual');
    return world.snapshot();
  }

  it('resumes after a failed page from the saved cursor, re-reads nothing before it, and ends with the same rows', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    fillEng(slack);
    slack.hooks.onHistory = (_call, index) => {
      if (index === 3) throw new Error('socket hang up');
    };
    const world = aWorld({ slack });

    const failed = await world.sync.sync(TEAM, 'manual');
    expect(failed.failed).toEqual([{ name: 'eng', error: expect.stringMatching(SAFE_FAILURE) }]);
    const firstRun = slack.calls.history.splice(0);
    const saved = world.channels.get(TEAM, 'C01ENG');
    expect(saved?.passCursor).toBe(firstRun[2]?.cursor);
    expect(saved?.coveredToTs).toBeNull();

    slack.hooks.onHistory = undefined;
    world.advance(60 * 60_000);
    await world.sync.sync(TEAM, 'manual');

    const secondRun = slack.calls.history;
    expect(secondRun[0]).toMatchObject({ cursor: saved?.passCursor, oldest: saved?.passOldestTs, latest: saved?.passLatestTs });
    const readBefore = new Set(firstRun.flatMap((call) => call.served));
    expect(secondRun.flatMap((call) => call.served).filter((ts) => readBefore.has(ts))).toEqual([]);
    expect(world.snapshot()).toEqual(await rowsOfAnUninterruptedSync());
    expect(world.channels.get(TEAM, 'C01ENG')).toMatchObject({ status: 'synced', passCursor: null, lastSyncError: null });
  });

  it('resumes after a shutdown stopped it, in a restarted Pulse over the same database', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    fillEng(slack);
    const before = aWorld({ slack });
    slack.hooks.onHistory = (_call, index) => {
      // The abort lands while page 2 is in flight: it is stored, and the sync stops before asking for page 3.
      if (index === 2) void before.sync.stop();
    };

    await before.sync.sync(TEAM, 'startup');
    const firstRun = slack.calls.history.splice(0);
    expect(firstRun).toHaveLength(2);
    const saved = before.channels.get(TEAM, 'C01ENG');
    expect(saved).toMatchObject({ status: 'failed', lastSyncError: 'Interrupted by a restart; the next sync resumes here.' });
    // The saved cursor points past everything the stopped run stored.
    expect(saved?.passCursor).toMatch(/^next_ts:\d+\.\d{6}$/);
    const cursorTs = (saved?.passCursor ?? '').slice(CURSOR_PREFIX.length);
    expect(firstRun.flatMap((call) => call.served).every((ts) => compareTs(ts, cursorTs) > 0)).toBe(true);

    slack.hooks.onHistory = undefined;
    const after = aWorld({ slack, database: before.database });
    await after.sync.sync(TEAM, 'startup');

    expect(slack.calls.history[0]?.cursor).toBe(saved?.passCursor);
    const readBefore = new Set(firstRun.flatMap((call) => call.served));
    expect(slack.calls.history.flatMap((call) => call.served).filter((ts) => readBefore.has(ts))).toEqual([]);
    expect(after.snapshot()).toEqual(await rowsOfAnUninterruptedSync());
  });
});

// ---- later syncs -----------------------------------------------------------

describe('a later sync', () => {
  it('re-reads only the refresh window', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    fillEng(slack);
    const world = aWorld({ slack });
    await world.sync.sync(TEAM, 'manual');
    slack.calls.history.splice(0);
    const posted = slack.post('C01ENG', { ts: msToTs(NOW + 2 * 60 * 60_000), user: BEA, text: 'new today' });

    world.advance(DAY_MS);
    await world.sync.sync(TEAM, 'schedule');

    const windowStart = msToTs(NOW - REFRESH_WINDOW_MS);
    expect(slack.calls.history[0]).toMatchObject({ oldest: windowStart, latest: msToTs(NOW + DAY_MS), cursor: undefined });
    const reread = slack.calls.history.flatMap((call) => call.served);
    expect(reread.every((ts) => compareTs(ts, windowStart) >= 0)).toBe(true);
    expect(reread).toContain(posted);
    expect(world.storedTs('C01ENG')).toContain(posted);
    expect(world.channels.get(TEAM, 'C01ENG')).toMatchObject({ coveredFromTs: daysAgo(30), coveredToTs: msToTs(NOW + DAY_MS) });
  });

  it('reads the replies of a thread whose latest reply moved, and of no other thread', async () => {
    const slack = aFakeSlack();
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    const busy = slack.post('C01ENG', { ts: daysAgo(3), user: ADA, text: 'Who owns billing?' });
    slack.reply('C01ENG', busy, { ts: daysAgo(3, 5), user: BEA, text: 'Cy does' });
    const quiet = slack.post('C01ENG', { ts: daysAgo(4), user: CY, text: 'Lunch?' });
    slack.reply('C01ENG', quiet, { ts: daysAgo(4, 5), user: ADA, text: 'yes' });
    const world = aWorld({ slack });
    await world.sync.sync(TEAM, 'manual');
    slack.calls.replies.splice(0);
    const late = slack.reply('C01ENG', busy, { ts: msToTs(NOW + 60_000), user: CY, text: 'I do, since Monday' });

    world.advance(DAY_MS);
    await world.sync.sync(TEAM, 'schedule');

    expect(slack.calls.replies.map((call) => call.threadTs)).toEqual([busy]);
    expect(world.storedTs('C01ENG')).toContain(late);
    expect(world.store.pendingThreads(TEAM, 'C01ENG', 10)).toEqual([]);
  });

  it('reads further back after the lookback was made longer', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    const { withinThirtyDays } = fillEng(slack);
    const world = aWorld({ slack });
    await world.sync.sync(TEAM, 'manual');
    expect(world.storedTs('C01ENG')).not.toContain(daysAgo(31));
    slack.calls.history.splice(0);

    world.changeSettings({ lookbackDays: 40 });
    world.advance(60 * 60_000);
    await world.sync.sync(TEAM, 'manual');

    const lookbackStart = msToTs(NOW + 60 * 60_000 - 40 * DAY_MS);
    expect(slack.calls.history[0]).toMatchObject({ oldest: lookbackStart, cursor: undefined });
    expect(world.storedTs('C01ENG')).toEqual([daysAgo(31), ...withinThirtyDays]);
    expect(world.channels.get(TEAM, 'C01ENG')?.coveredFromTs).toBe(lookbackStart);
  });

  it('does not read back again when the lookback did not change', async () => {
    const slack = aFakeSlack({ pageSize: 2 });
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    fillEng(slack);
    const world = aWorld({ slack });
    await world.sync.sync(TEAM, 'manual');
    slack.calls.history.splice(0);

    world.advance(60 * 60_000);
    await world.sync.sync(TEAM, 'manual');

    expect(slack.calls.history[0]?.oldest).toBe(msToTs(NOW - REFRESH_WINDOW_MS));
  });

  it('counts a reply that arrived between the history pass and the thread read as read', async () => {
    const slack = aFakeSlack();
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    const root = slack.post('C01ENG', { ts: daysAgo(2), user: ADA, text: 'Who can review?' });
    slack.reply('C01ENG', root, { ts: daysAgo(2, 1), user: BEA, text: 'me' });
    let late: string | undefined;
    slack.hooks.onReplies = () => {
      late ??= slack.reply('C01ENG', root, { ts: msToTs(NOW - 1_000), user: CY, text: 'me too' });
    };
    const world = aWorld({ slack });

    await world.sync.sync(TEAM, 'manual');

    expect(world.storedTs('C01ENG')).toContain(late);
    expect(world.store.pendingThreads(TEAM, 'C01ENG', 10)).toEqual([]);
  });

  it('reads a thread whose root vanished once, gets nothing back, and does not ask again', async () => {
    const slack = aFakeSlack();
    slack.addChannel({ id: 'C01ENG', name: 'eng' });
    const root = slack.post('C01ENG', { ts: daysAgo(2), user: ADA, text: 'Gone soon' });
    slack.reply('C01ENG', root, { ts: daysAgo(2, 1), user: BEA, text: 'reply' });
    slack.vanishedThreads.add(root);
    const world = aWorld({ slack });

    await world.sync.sync(TEAM, 'manual');
    world.advance(60 * 60_000);
    await world.sync.sync(TEAM, 'manual');

    expect(slack.calls.replies.map((call) => call.threadTs)).toEqual([root]);
    expect(world.store.pendingThreads(TEAM, 'C01ENG', 10)).toEqual([]);
  });
});

// ---- which channels --------------------------------------------------------

describe('channel selection', () => {
  function aWorkspaceOfChannels() {
    const slack = aFakeSlack();
    slack.addChannel({ id: 'C01', name: 'eng-help', isMember: false });
    slack.addChannel({ id: 'C02', name: 'ENG-Loud', isMember: false });
    slack.addChannel({ id: 'C03', name: 'eng-secret', isMember: false, isPrivate: true });
    slack.addChannel({ id: 'C04', name: 'eng-archive', isMember: false, isArchived: true });
    slack.addChannel({ id: 'C05', name: 'eng-prs' });
    slack.addChannel({ id: 'C06', name: 'engineering', isMember: false });
    slack.addChannel({ id: 'C07', name: 'random', isMember: false });
    slack.addChannel({ id: 'G08', name: 'leads', isPrivate: true });
    for (const id of ['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'G08']) slack.post(id, { ts: daysAgo(1), user: ADA, text: 'hi' });
    return slack;
  }

  it('joins public, unarchived channels matching the pattern (case-insensitively), and reads them with the channels it was already in', async () => {
    const slack = aWorkspaceOfChannels();
    const world = aWorld({ slack, settings: { autoJoinPattern: '^eng-' } });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(slack.calls.joins).toEqual(['C01', 'C02']);
    expect(summary.joined).toEqual(['eng-help', 'ENG-Loud']);
    expect(new Set(slack.calls.history.map((call) => call.channelId))).toEqual(new Set(['C01', 'C02', 'C05', 'G08']));
    expect(world.channels.get(TEAM, 'C01')).toMatchObject({ isMember: true, autoJoinedAt: new Date(NOW) });
    expect(world.channels.get(TEAM, 'C05')?.autoJoinedAt).toBeNull();
    expect(world.channels.get(TEAM, 'C03')).toMatchObject({ isMember: false, isPrivate: true });
  });

  it('joins nothing without a pattern, or with one that is not valid', async () => {
    for (const autoJoinPattern of [undefined, 'eng-(']) {
      const slack = aWorkspaceOfChannels();
      const world = aWorld({ slack, settings: { autoJoinPattern } });

      const summary = await world.sync.sync(TEAM, 'schedule');

      expect(slack.calls.joins).toEqual([]);
      expect(summary.joined).toEqual([]);
      expect(new Set(slack.calls.history.map((call) => call.channelId))).toEqual(new Set(['C05', 'G08']));
    }
  });

  it('reports a join that failed and still reads the other channels', async () => {
    const slack = aWorkspaceOfChannels();
    slack.hooks.onJoin = (channelId) => {
      if (channelId === 'C01') throw new SlackCallError('channel_not_found');
    };
    const world = aWorld({ slack, settings: { autoJoinPattern: '^eng-' } });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(summary.failed).toEqual([
      { name: 'eng-help', error: 'Could not join: Pulse can no longer read this channel (removed, archived or deleted).' },
    ]);
    expect(summary.joined).toEqual(['ENG-Loud']);
    expect(new Set(slack.calls.history.map((call) => call.channelId))).toEqual(new Set(['C02', 'C05', 'G08']));
  });
});

// ---- failures --------------------------------------------------------------

describe('failures', () => {
  function twoChannels() {
    const slack = aFakeSlack();
    slack.addChannel({ id: 'C0A', name: 'alpha' });
    slack.addChannel({ id: 'C0B', name: 'beta' });
    slack.post('C0A', { ts: daysAgo(1), user: ADA, text: 'a' });
    slack.post('C0B', { ts: daysAgo(1), user: BEA, text: 'b' });
    return slack;
  }

  it('keeps reading the other channels when one fails, and records a short sentence with a reference, not the error', async () => {
    const slack = twoChannels();
    const failure = new Error('connect ECONNREFUSED 10.0.0.7:443');
    slack.hooks.onHistory = (call) => {
      if (call.channelId === 'C0A') throw failure;
    };
    const world = aWorld({ slack });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(summary.failed).toEqual([{ name: 'alpha', error: expect.stringMatching(SAFE_FAILURE) }]);
    const error = summary.failed[0]?.error ?? '';
    expect(error).not.toContain('ECONNREFUSED');
    expect(error).not.toMatch(/\n|\bat /);
    expect(world.channels.get(TEAM, 'C0A')).toMatchObject({ status: 'failed', lastSyncError: error, isMember: true });
    expect(world.channels.get(TEAM, 'C0B')).toMatchObject({ status: 'synced', lastSyncError: null });
    expect(world.storedTs('C0B')).toEqual([daysAgo(1)]);
    expect(summary.channels).toBe(2);
    // The reference leads to the full error in the log.
    const reference = /ref ([0-9a-f]{8})/.exec(error)?.[1] as string;
    expect(world.logLines.find((line) => line.includes(reference))).toContain('ECONNREFUSED');
  });

  it('marks a channel Pulse can no longer read as not a member', async () => {
    const slack = twoChannels();
    slack.hooks.onHistory = (call) => {
      if (call.channelId === 'C0A') throw new SlackCallError('not_in_channel');
    };
    const world = aWorld({ slack });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(summary.failed).toEqual([{ name: 'alpha', error: 'Pulse can no longer read this channel (removed, archived or deleted).' }]);
    expect(world.channels.get(TEAM, 'C0A')).toMatchObject({ isMember: false, status: 'failed' });
    expect(world.channels.get(TEAM, 'C0B')?.status).toBe('synced');
  });

  it('says a Slack permission is missing when Slack answers missing_scope', async () => {
    const slack = twoChannels();
    slack.hooks.onHistory = (call) => {
      if (call.channelId === 'C0B') throw new SlackCallError('missing_scope');
    };
    const world = aWorld({ slack });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(summary.failed).toEqual([
      { name: 'beta', error: 'Pulse lacks a Slack permission to read this channel; update the app from manifest.json.' },
    ]);
  });

  it('reports a channel list that failed with a reference, and reads nothing', async () => {
    const slack = twoChannels();
    slack.hooks.onList = () => {
      throw new Error('invalid_auth');
    };
    const world = aWorld({ slack });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(summary.failed).toEqual([{ name: 'channel list', error: expect.stringMatching(/^Could not list channels \(ref [0-9a-f]{8}\)\.$/) }]);
    expect(summary.channels).toBe(0);
    expect(slack.calls.history).toEqual([]);
  });

  it('skips the sync, calling Slack not at all, while analytics is turned off', async () => {
    const slack = twoChannels();
    const world = aWorld({ slack, settings: { enabled: false } });

    const summary = await world.sync.sync(TEAM, 'schedule');

    expect(summary.skipped).toBe('Analytics is turned off in App Home.');
    expect(slack.calls.list).toBe(0);
    expect(world.sync.lastResult(TEAM)).toBeUndefined();
  });
});

// ---- one sync at a time, progress, cancel ----------------------------------

describe('running syncs', () => {
  function threeChannels() {
    const slack = aFakeSlack({ pageSize: 2 });
    for (const [id, name] of [['C0A', 'alpha'], ['C0B', 'beta'], ['C0C', 'gamma']] as const) {
      slack.addChannel({ id, name });
      for (let day = 1; day <= 5; day += 1) slack.post(id, { ts: daysAgo(day), user: ADA, text: `${name} ${day}` });
    }
    return slack;
  }

  it('gives a second request the running sync instead of starting another', async () => {
    const world = aWorld({ slack: threeChannels() });

    const first = world.sync.sync(TEAM, 'manual');
    const second = world.sync.sync(TEAM, 'schedule');

    expect(second).toBe(first);
    expect(world.sync.isRunning(TEAM)).toBe(true);
    expect((await first).trigger).toBe('manual');
    expect(world.slack.calls.list).toBe(1);
    expect(world.sync.isRunning(TEAM)).toBe(false);
  });

  it('runs once more right after when Pulse joined a channel during a sync', async () => {
    const world = aWorld({ slack: threeChannels() });

    const first = world.sync.sync(TEAM, 'manual');
    expect(world.sync.sync(TEAM, 'joined')).toBe(first);
    await first;

    expect(world.sync.isRunning(TEAM)).toBe(true);
    const again = await world.sync.sync(TEAM, 'manual');
    expect(again.trigger).toBe('joined');
    expect(world.slack.calls.list).toBe(2);
  });

  it('reports progress after every stored page and clears it when the sync ends', async () => {
    const slack = threeChannels();
    const seen: (SyncProgress | undefined)[] = [];
    const world = aWorld({ slack });
    slack.hooks.onHistory = () => {
      const current = world.sync.progressOf(TEAM);
      seen.push(current ? { ...current } : undefined);
    };

    const summary = await world.sync.sync(TEAM, 'manual');

    expect(seen[0]).toMatchObject({ trigger: 'manual', channelsTotal: 3, channelsDone: 0, currentChannel: 'alpha', messages: 0 });
    expect(seen.at(-1)).toMatchObject({ channelsDone: 2, currentChannel: 'gamma' });
    const reported = world.progress.filter((entry): entry is SyncProgress => entry !== undefined);
    expect(reported.map((entry) => entry.messages)).toEqual([...reported.map((entry) => entry.messages)].sort((a, b) => a - b));
    expect(reported.at(-1)).toMatchObject({ channelsDone: 3, messages: 15 });
    expect(world.progress.at(-1)).toBeUndefined();
    expect(world.sync.progressOf(TEAM)).toBeUndefined();
    expect(summary).toMatchObject({ channels: 3, messages: 15 });
    expect(world.sync.lastResult(TEAM)).toBe(summary);
  });

  it('stops a cancelled sync at its next page and waits until it has stopped', async () => {
    const slack = threeChannels();
    const world = aWorld({ slack });
    let cancelled: Promise<void> | undefined;
    slack.hooks.onHistory = (_call, index) => {
      if (index === 2) cancelled = world.sync.cancel(TEAM);
    };

    const running = world.sync.sync(TEAM, 'manual');
    await new Promise<void>((resolve) => {
      const wait = () => (cancelled ? resolve() : setImmediate(wait));
      wait();
    });
    await cancelled;

    expect(world.sync.isRunning(TEAM)).toBe(false);
    expect(slack.calls.history).toHaveLength(2);
    expect(slack.calls.history.every((call) => call.channelId === 'C0A')).toBe(true);
    const summary = await running;
    expect(summary.failed).toEqual([]);
    expect(world.channels.get(TEAM, 'C0B')?.status).toBe('never');
  });

  it('cancels a joined-channel follow-up that was waiting for the running sync', async () => {
    const slack = threeChannels();
    const world = aWorld({ slack });
    slack.hooks.onHistory = (_call, index) => {
      if (index === 1) void world.sync.cancel(TEAM);
    };

    const first = world.sync.sync(TEAM, 'manual');
    void world.sync.sync(TEAM, 'joined');
    await first;

    expect(world.sync.isRunning(TEAM)).toBe(false);
    expect(slack.calls.list).toBe(1);
  });
});

// ---- the real Slack source -------------------------------------------------

/** A tiny Slack Web API: answers each method with a fixed body (no WebClient is mocked). */
async function aSlackApi(answers: Record<string, (params: URLSearchParams) => unknown>): Promise<{ url: string; requests: { method: string; params: URLSearchParams }[] }> {
  const requests: { method: string; params: URLSearchParams }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] as string;
      const params = new URLSearchParams(body);
      requests.push({ method, params });
      const answer = answers[method];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer ? answer(params) : { ok: false, error: 'unknown_method' }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, requests };
}

function aRealSource(url: string) {
  return createAnalyticsSlackSource({
    token: 'xoxb-analytics-test',
    slackApiUrl: url,
    callsPerMinute: 60_000,
    logger: createLogger({ level: 'error', sink: () => undefined }),
  });
}

describe('the Slack source', () => {
  it('never lists DMs or group DMs, whatever conversations.list returns', async () => {
    const api = await aSlackApi({
      'conversations.list': () => ({
        ok: true,
        channels: [
          { id: 'C01', name: 'general', is_channel: true, is_member: true },
          { id: 'D01', is_im: true, user: ADA },
          { id: 'D02', name: 'named-dm', is_im: true, is_member: true },
          { id: 'G01', name: 'mpdm-ada--bea-1', is_mpim: true, is_private: true, is_member: true },
          { id: 'G02', name: 'leads', is_group: true, is_private: true, is_member: true },
          { id: 'C02', name: 'old', is_channel: true, is_archived: true, is_member: false },
        ],
        response_metadata: { next_cursor: '' },
      }),
    });

    const listed = await aRealSource(api.url).listChannels();

    expect(listed).toEqual([
      { id: 'C01', name: 'general', isPrivate: false, isArchived: false, isMember: true },
      { id: 'G02', name: 'leads', isPrivate: true, isArchived: false, isMember: true },
      { id: 'C02', name: 'old', isPrivate: false, isArchived: true, isMember: false },
    ]);
    expect(api.requests[0]?.params.get('types')).toBe('public_channel,private_channel');
  });

  it('reads a thread whose root is gone (thread_not_found) as an empty page', async () => {
    const api = await aSlackApi({ 'conversations.replies': () => ({ ok: false, error: 'thread_not_found' }) });

    await expect(aRealSource(api.url).replies('C01', daysAgo(1), undefined)).resolves.toEqual({ messages: [], nextCursor: undefined });
  });

  it("passes Slack's error code on for other platform errors", async () => {
    const api = await aSlackApi({ 'conversations.history': () => ({ ok: false, error: 'not_in_channel' }) });

    const error = await aRealSource(api.url)
      .history('C01', { oldest: daysAgo(2), latest: daysAgo(0) })
      .then(() => undefined, (caught: unknown) => caught);

    expect(error).toBeInstanceOf(SlackCallError);
    expect((error as SlackCallError).slackError).toBe('not_in_channel');
  });

  it('asks for an inclusive history range and follows a cursor only while Slack says there is more', async () => {
    const api = await aSlackApi({
      'conversations.history': (params) =>
        params.get('cursor')
          ? { ok: true, messages: [{ ts: daysAgo(2) }], has_more: false, response_metadata: { next_cursor: 'stale' } }
          : { ok: true, messages: [{ ts: daysAgo(1) }], has_more: true, response_metadata: { next_cursor: 'page-2' } },
    });
    const source = aRealSource(api.url);

    const first = await source.history('C01', { oldest: daysAgo(3), latest: daysAgo(0) });
    const second = await source.history('C01', { oldest: daysAgo(3), latest: daysAgo(0), cursor: first.nextCursor as string });

    expect(first.nextCursor).toBe('page-2');
    expect(second).toEqual({ messages: [{ ts: daysAgo(2) }], nextCursor: undefined });
    expect(Object.fromEntries(api.requests[0]?.params ?? [])).toMatchObject({ channel: 'C01', oldest: daysAgo(3), latest: daysAgo(0), inclusive: 'true' });
  });
});
