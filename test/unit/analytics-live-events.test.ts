/**
 * Slack events keep analytics current between syncs: messages, edits,
 * deletions and reactions in channels Pulse syncs change the stored rows;
 * DMs, group DMs and channels Pulse does not sync change nothing; Pulse being
 * added to a channel starts a sync. A real migrated database throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from '../../src/analytics/analytics-settings.ts';
import type { SyncTrigger } from '../../src/analytics/analytics-sync.ts';
import { AnalyticsLiveEvents, type ChannelMessageEvent } from '../../src/analytics/live-events.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { createPseudonymizer } from '../../src/analytics/pseudonym.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsQueries } from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createLogger } from '../../src/logger.ts';

const TEAM = 'T0ACME';
const BOT = 'U0PULSE';
const ADA = 'U01ADA';
const BEA = 'U02BEA';
const CY = 'U03CY';
/** A channel Pulse is a member of (synced). */
const ENG = 'C01ENG';
/** A private channel Pulse was invited to (synced). */
const LEADS = 'G01LEADS';
/** A channel Pulse knows of but is not a member of. */
const RANDOM = 'C02RANDOM';
/** A channel Pulse has never seen. */
const UNKNOWN = 'C09UNKNOWN';

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

// ---- small factories -------------------------------------------------------

interface StoredRow {
  ts: string;
  author_id: string | null;
  text: string | null;
  char_count: number;
  reactions_received: number;
  edited: number;
  is_root: number;
  is_reply: number;
}

function aWorld(initialSettings: Partial<AnalyticsSettings> = {}, options: { syncFails?: Error } = {}) {
  const database = openDatabase(':memory:');
  opened.push(database);
  const store = createAnalyticsStore(database.db);
  const queries = createAnalyticsQueries(database.db);
  const channels = createAnalyticsChannelStore(database.db);
  channels.saveSeen(TEAM, { channelId: ENG, name: 'eng', isPrivate: false, isArchived: false, isMember: true });
  channels.saveSeen(TEAM, { channelId: LEADS, name: 'leads', isPrivate: true, isArchived: false, isMember: true });
  channels.saveSeen(TEAM, { channelId: RANDOM, name: 'random', isPrivate: false, isArchived: false, isMember: false });
  let settings: AnalyticsSettings = { ...DEFAULT_ANALYTICS_SETTINGS, ...initialSettings };
  const pseudonymize = createPseudonymizer(Buffer.alloc(32, 7), TEAM);
  const syncs: { teamId: string; trigger: SyncTrigger }[] = [];
  const logLines: string[] = [];
  const events = new AnalyticsLiveEvents({
    store,
    channels,
    settings: () => settings,
    pseudonymizer: () => pseudonymize,
    // The sync is another module's business: here it only has to be asked.
    sync: {
      sync: async (teamId, trigger) => {
        syncs.push({ teamId, trigger });
        if (options.syncFails) throw options.syncFails;
        return { trigger, startedAt: new Date(0), finishedAt: new Date(0), channels: 0, joined: [], messages: 0, failed: [] };
      },
    },
    logger: createLogger({ level: 'error', sink: (line) => logLines.push(line) }),
  });
  const sqlite = database.db.$client;
  return {
    events,
    store,
    channels,
    syncs,
    logLines,
    pseudonymize,
    changeSettings: (changes: Partial<AnalyticsSettings>) => {
      settings = { ...settings, ...changes };
    },
    /** Stores messages as a sync would have read them. */
    synced: (channelId: string, messages: SlackMessageLike[]) =>
      store.writeMessages(
        TEAM,
        messages.map((message) =>
          toStoredMessage(extractMessageMetadata(message, { teamId: TEAM, channelId, storeText: settings.storeText }), message.latest_reply ?? null),
        ),
      ),
    rows: (channelId: string): StoredRow[] =>
      sqlite
        .prepare(
          'SELECT ts, author_id, text, char_count, reactions_received, edited, is_root, is_reply FROM analytics_messages WHERE team_id = ? AND channel_id = ? ORDER BY ts',
        )
        .all(TEAM, channelId) as StoredRow[],
    /** Who reacted with what, as the messages' rows store it, by ts, name and user. */
    reactions: (channelId: string) =>
      (sqlite.prepare('SELECT ts, reactions FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND reactions IS NOT NULL').all(TEAM, channelId) as {
        ts: string;
        reactions: string;
      }[])
        .flatMap((row) => (JSON.parse(row.reactions) as [string, string][]).map(([name, userId]) => ({ ts: row.ts, name, userId })))
        .sort((a, b) => a.ts.localeCompare(b.ts) || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId)),
    /** Person messages and reactions received per person in the channel's day sums (what metrics read). */
    dailyMessages: (channelId: string) => {
      const scope = { teamId: TEAM, groupBy: ['person' as const], channelIds: [channelId], fromDay: 0, toDay: 100_000 };
      const received = new Map(queries.metric({ ...scope, metric: 'reactions_received' }).map((row) => [row.keys.person, row.value]));
      return queries
        .metric({ ...scope, metric: 'messages' })
        .map((row) => ({ personId: row.keys.person, messages: row.value, received: received.get(row.keys.person) ?? 0 }));
    },
    totalRows: () => Object.values(store.rowCounts(TEAM)).reduce((sum, count) => sum + count, 0),
  };
}

function aMessageEvent(overrides: Partial<ChannelMessageEvent> = {}): ChannelMessageEvent {
  return { type: 'message', channel: ENG, channel_type: 'channel', ts: '1717000000.000100', user: ADA, text: 'Deploy is green', ...overrides } as ChannelMessageEvent;
}

function anEdit(channel: string, message: SlackMessageLike): ChannelMessageEvent {
  return aMessageEvent({ channel, subtype: 'message_changed', ts: '1717009999.000100', message, user: undefined, text: undefined });
}

const aReaction = (overrides: { user?: string; reaction?: string; channel?: string; ts?: string; type?: string } = {}) => ({
  user: overrides.user ?? BEA,
  reaction: overrides.reaction ?? 'tada',
  item: { type: overrides.type ?? 'message', channel: overrides.channel ?? ENG, ts: overrides.ts ?? '1717000000.000100' },
});

// ---- messages --------------------------------------------------------------

describe('message events', () => {
  it('stores a new message in a channel Pulse syncs', () => {
    const world = aWorld();

    world.events.onMessage(TEAM, aMessageEvent());

    expect(world.rows(ENG)).toEqual([
      { ts: '1717000000.000100', author_id: ADA, text: null, char_count: 15, reactions_received: 0, edited: 0, is_root: 0, is_reply: 0 },
    ]);
    expect(world.dailyMessages(ENG)).toEqual([{ personId: ADA, messages: 1, received: 0 }]);
  });

  it('stores messages in private channels Pulse was invited to', () => {
    const world = aWorld();

    world.events.onMessage(TEAM, aMessageEvent({ channel: LEADS, channel_type: 'group' }));

    expect(world.rows(LEADS)).toHaveLength(1);
  });

  it('keeps message text only when the workspace stores text', () => {
    const world = aWorld({ storeText: true });

    world.events.onMessage(TEAM, aMessageEvent());

    expect(world.rows(ENG)[0]?.text).toBe('Deploy is green');
  });

  it('stores people as pseudonyms in a pseudonymized workspace', () => {
    const world = aWorld({ pseudonymize: true });

    world.events.onMessage(TEAM, aMessageEvent());

    expect(world.rows(ENG)[0]?.author_id).toBe(world.pseudonymize(ADA));
  });

  it('makes a stored message a thread root when a reply to it arrives', () => {
    const world = aWorld();
    world.synced(ENG, [{ ts: '1717000000.000100', user: ADA, text: 'Which branch?' }]);

    world.events.onMessage(TEAM, aMessageEvent({ ts: '1717000060.000100', thread_ts: '1717000000.000100', user: BEA, text: 'main' }));

    expect(world.rows(ENG).map((row) => ({ ts: row.ts, root: row.is_root, reply: row.is_reply }))).toEqual([
      { ts: '1717000000.000100', root: 1, reply: 0 },
      { ts: '1717000060.000100', root: 0, reply: 1 },
    ]);
  });

  it('stores a reply also sent to the channel, but not Slack\u2019s "message_replied" notice', () => {
    const world = aWorld();

    world.events.onMessage(TEAM, aMessageEvent({ ts: '1717000060.000100', thread_ts: '1717000000.000100', subtype: 'thread_broadcast' }));
    world.events.onMessage(TEAM, aMessageEvent({ ts: '1717000070.000100', subtype: 'message_replied' }));

    expect(world.rows(ENG).map((row) => row.ts)).toEqual(['1717000060.000100']);
  });

  it('ignores direct messages and group DMs, even in a conversation id Pulse records as synced', () => {
    const world = aWorld();
    world.channels.saveSeen(TEAM, { channelId: 'D01DM', name: 'dm', isPrivate: true, isArchived: false, isMember: true });
    const before = world.totalRows();

    world.events.onMessage(TEAM, aMessageEvent({ channel: 'D01DM', channel_type: 'im' }));
    world.events.onMessage(TEAM, aMessageEvent({ channel: ENG, channel_type: 'mpim' }));
    world.events.onMessage(TEAM, aMessageEvent({ channel: ENG, channel_type: undefined }));

    expect(world.totalRows()).toBe(before);
    expect(world.rows(ENG)).toEqual([]);
  });

  it('ignores messages in channels Pulse is not a member of or has never seen', () => {
    const world = aWorld();
    const before = world.totalRows();

    world.events.onMessage(TEAM, aMessageEvent({ channel: RANDOM }));
    world.events.onMessage(TEAM, aMessageEvent({ channel: UNKNOWN }));

    expect(world.totalRows()).toBe(before);
  });

  it('stores nothing while analytics is turned off', () => {
    const world = aWorld({ enabled: false });
    const before = world.totalRows();

    world.events.onMessage(TEAM, aMessageEvent());
    world.events.onReaction(TEAM, aReaction(), true);

    expect(world.totalRows()).toBe(before);
  });
});

describe('edit events', () => {
  it('updates an edited message and keeps the reactions the sync stored', () => {
    const world = aWorld({ storeText: true });
    world.synced(ENG, [
      { ts: '1717000000.000100', user: ADA, text: 'Deploy is green', reactions: [{ name: 'tada', users: [BEA, CY], count: 2 }] },
    ]);

    // An edit event's message says nothing reliable about reactions.
    world.events.onMessage(TEAM, anEdit(ENG, { ts: '1717000000.000100', user: ADA, text: 'Deploy is green again', edited: { user: ADA, ts: '1717009999.000000' } }));

    expect(world.rows(ENG)).toEqual([
      { ts: '1717000000.000100', author_id: ADA, text: 'Deploy is green again', char_count: 21, reactions_received: 2, edited: 1, is_root: 0, is_reply: 0 },
    ]);
    expect(world.reactions(ENG)).toEqual([
      { ts: '1717000000.000100', name: 'tada', userId: BEA },
      { ts: '1717000000.000100', name: 'tada', userId: CY },
    ]);
    expect(world.dailyMessages(ENG)).toEqual([
      { personId: ADA, messages: 1, received: 2 },
      { personId: BEA, messages: 0, received: 0 },
      { personId: CY, messages: 0, received: 0 },
    ]);
  });

  it('keeps the thread bookkeeping of an edited thread root', () => {
    const world = aWorld();
    world.synced(ENG, [
      { ts: '1717000000.000100', thread_ts: '1717000000.000100', user: ADA, text: 'Which branch?', reply_count: 1, reply_users: [BEA], latest_reply: '1717000060.000100' },
      { ts: '1717000060.000100', thread_ts: '1717000000.000100', user: BEA, text: 'main' },
    ]);

    world.events.onMessage(TEAM, anEdit(ENG, { ts: '1717000000.000100', thread_ts: '1717000000.000100', user: ADA, text: 'Which branch, please?', edited: {} }));

    expect(world.store.pendingThreads(TEAM, ENG, 10)).toEqual([{ ts: '1717000000.000100', latestReply: '1717000060.000100' }]);
    expect(world.rows(ENG)[0]).toMatchObject({ is_root: 1, edited: 1 });
  });

  it('ignores an edit in a channel Pulse does not sync', () => {
    const world = aWorld();
    const before = world.totalRows();

    world.events.onMessage(TEAM, anEdit(RANDOM, { ts: '1717000000.000100', user: ADA, text: 'edited' }));

    expect(world.totalRows()).toBe(before);
  });
});

describe('delete events', () => {
  it('removes a deleted message and its reactions from the stored rows and the daily sums', () => {
    const world = aWorld();
    world.synced(ENG, [
      { ts: '1717000000.000100', user: ADA, text: 'first', reactions: [{ name: 'eyes', users: [BEA], count: 1 }] },
      { ts: '1717000100.000100', user: ADA, text: 'second' },
    ]);

    world.events.onMessage(TEAM, aMessageEvent({ subtype: 'message_deleted', deleted_ts: '1717000000.000100', user: undefined }));

    expect(world.rows(ENG).map((row) => row.ts)).toEqual(['1717000100.000100']);
    expect(world.reactions(ENG)).toEqual([]);
    expect(world.dailyMessages(ENG)).toEqual([{ personId: ADA, messages: 1, received: 0 }]);
  });

  it('changes nothing for a deletion of a message that was never stored', () => {
    const world = aWorld();
    world.synced(ENG, [{ ts: '1717000100.000100', user: ADA, text: 'kept' }]);

    world.events.onMessage(TEAM, aMessageEvent({ subtype: 'message_deleted', deleted_ts: '1600000000.000100' }));

    expect(world.rows(ENG).map((row) => row.ts)).toEqual(['1717000100.000100']);
  });
});

describe('reaction events', () => {
  it("adds a reaction to a stored message and counts it for its author, then removes it again", () => {
    const world = aWorld();
    world.synced(ENG, [{ ts: '1717000000.000100', user: ADA, text: 'Deploy is green' }]);

    world.events.onReaction(TEAM, aReaction(), true);
    expect(world.reactions(ENG)).toEqual([{ ts: '1717000000.000100', name: 'tada', userId: BEA }]);
    expect(world.rows(ENG)[0]?.reactions_received).toBe(1);

    world.events.onReaction(TEAM, aReaction(), false);
    expect(world.reactions(ENG)).toEqual([]);
    expect(world.rows(ENG)[0]?.reactions_received).toBe(0);
  });

  it("does not count an author's reaction to their own message as received", () => {
    const world = aWorld();
    world.synced(ENG, [{ ts: '1717000000.000100', user: ADA, text: 'Deploy is green' }]);

    world.events.onReaction(TEAM, aReaction({ user: ADA }), true);

    expect(world.reactions(ENG)).toHaveLength(1);
    expect(world.rows(ENG)[0]?.reactions_received).toBe(0);
  });

  it('counts the same reaction from the same person once, however often the event arrives', () => {
    const world = aWorld();
    world.synced(ENG, [{ ts: '1717000000.000100', user: ADA, text: 'Deploy is green' }]);

    world.events.onReaction(TEAM, aReaction(), true);
    world.events.onReaction(TEAM, aReaction(), true);

    expect(world.rows(ENG)[0]?.reactions_received).toBe(1);
  });

  it('stores the reactor as a pseudonym in a pseudonymized workspace', () => {
    const world = aWorld({ pseudonymize: true });
    world.events.onMessage(TEAM, aMessageEvent());

    world.events.onReaction(TEAM, aReaction(), true);

    expect(world.reactions(ENG)).toEqual([{ ts: '1717000000.000100', name: 'tada', userId: world.pseudonymize(BEA) }]);
  });

  it('ignores reactions to files, to messages never stored, and in channels Pulse does not sync', () => {
    const world = aWorld();
    world.synced(ENG, [{ ts: '1717000000.000100', user: ADA, text: 'Deploy is green' }]);
    world.synced(RANDOM, [{ ts: '1717000000.000100', user: ADA, text: 'stored before Pulse left' }]);

    world.events.onReaction(TEAM, aReaction({ type: 'file' }), true);
    world.events.onReaction(TEAM, aReaction({ ts: '1600000000.000100' }), true);
    world.events.onReaction(TEAM, aReaction({ channel: RANDOM }), true);

    expect(world.reactions(ENG)).toEqual([]);
    expect(world.reactions(RANDOM)).toEqual([]);
  });
});

// ---- membership and channel changes ----------------------------------------

describe('member_joined_channel', () => {
  it('starts a sync when Pulse itself is added to a channel, and records the membership', () => {
    const world = aWorld();

    world.events.onMemberJoined(TEAM, { user: BOT, channel: RANDOM, channel_type: 'C' }, BOT);

    expect(world.syncs).toEqual([{ teamId: TEAM, trigger: 'joined' }]);
    expect(world.channels.get(TEAM, RANDOM)?.isMember).toBe(true);
  });

  it('starts a sync for a channel Pulse has not seen yet, leaving its listing to the sync', () => {
    const world = aWorld();

    world.events.onMemberJoined(TEAM, { user: BOT, channel: UNKNOWN }, BOT);

    expect(world.syncs).toEqual([{ teamId: TEAM, trigger: 'joined' }]);
    expect(world.channels.get(TEAM, UNKNOWN)).toBeUndefined();
  });

  it('logs a sync that failed after Pulse was added, rather than leaving the rejection unhandled', async () => {
    const world = aWorld({}, { syncFails: new Error('database is locked') });

    world.events.onMemberJoined(TEAM, { user: BOT, channel: RANDOM }, BOT);
    await new Promise((resolve) => setImmediate(resolve));

    expect(world.logLines.join('\n')).toMatch(/analytics sync after joining C02RANDOM failed:.*database is locked/);
  });

  it('does nothing when someone else joins a channel', () => {
    const world = aWorld();

    world.events.onMemberJoined(TEAM, { user: ADA, channel: RANDOM }, BOT);

    expect(world.syncs).toEqual([]);
    expect(world.channels.get(TEAM, RANDOM)?.isMember).toBe(false);
  });

  it('does not sync when Pulse is added while analytics is turned off', () => {
    const world = aWorld({ enabled: false });

    world.events.onMemberJoined(TEAM, { user: BOT, channel: RANDOM }, BOT);

    expect(world.syncs).toEqual([]);
  });
});

describe('channel archive and rename events', () => {
  it('records that a known channel was archived, unarchived or renamed, and keeps its sync state', () => {
    const world = aWorld();
    world.channels.finishPass(TEAM, ENG, '1716000000.000000', '1717000000.000000');

    world.events.onChannelArchived(TEAM, ENG, true);
    expect(world.channels.get(TEAM, ENG)).toMatchObject({ isArchived: true, isMember: true, coveredToTs: '1717000000.000000' });

    world.events.onChannelArchived(TEAM, ENG, false);
    world.events.onChannelRenamed(TEAM, ENG, 'engineering');
    expect(world.channels.get(TEAM, ENG)).toMatchObject({ name: 'engineering', isArchived: false, coveredToTs: '1717000000.000000' });
  });

  it('ignores archive and rename events for channels Pulse has never seen', () => {
    const world = aWorld();

    world.events.onChannelArchived(TEAM, UNKNOWN, true);
    world.events.onChannelRenamed(TEAM, UNKNOWN, 'whatever');

    expect(world.channels.get(TEAM, UNKNOWN)).toBeUndefined();
  });
});
