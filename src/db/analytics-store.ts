/**
 * Writes analytics rows in batched transactions and keeps the derived tables
 * (help-reply flags, threads, daily sums and their per-channel and
 * per-person rollups) right for whatever a batch touched.
 *
 * Raw better-sqlite3 statements rather than the query builder: ingest runs at
 * tens of thousands of rows a second, and the derived tables are rebuilt with
 * set-based SQL over the dirty threads and days a write records in the same
 * transaction. A backfill may defer the rebuild over many pages (one rebuild
 * of a day instead of one per page) and call rebuildPending.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { StoredMessage } from '../analytics/stored-message.ts';
import { createDirtyRebuilder } from './analytics-rebuild.ts';
import { createAnalyticsRetention } from './analytics-retention.ts';
import { mentionsColumn, parseReactions, reactionsColumn } from './message-list-columns.ts';
import type { PulseDatabase } from './open-database.ts';

export interface ReactionChange {
  teamId: string;
  channelId: string;
  ts: string;
  name: string;
  userId: string;
  added: boolean;
}

/** The columns a write sets, in the order of messageValues. */
const MESSAGE_COLUMNS = [
  'team_id', 'channel_id', 'ts', 'ts_ms', 'day', 'thread_ts', 'author_id', 'bot_id', 'subtype', 'is_bot', 'is_person', 'is_reply', 'is_root',
  'is_question', 'char_count', 'reply_count', 'reply_users', 'latest_reply', 'reactions_received', 'mention_count', 'link_count', 'link_mask',
  'file_count', 'edited', 'text', 'reactions', 'mentions',
] as const;

/** What an edit keeps of a stored message: its reactions, which an edit event does not reliably carry. */
interface KeptReactions {
  received: number;
  reactions: string | null;
}

type TouchedMessage = Pick<StoredMessage, 'channelId' | 'ts' | 'threadTs' | 'day' | 'isReply' | 'isRoot'>;

/** The thread a message belongs to (a reply's root, or itself when it is a root), if any. */
function threadOf(message: TouchedMessage): string | undefined {
  if (message.isReply && message.threadTs) return message.threadTs;
  return message.isRoot || message.threadTs ? message.ts : undefined;
}

export function createAnalyticsStore(db: PulseDatabase) {
  const sqlite: Database = db.$client;
  const statement = (sql: string): Statement => sqlite.prepare(sql);
  const rebuildDirty = createDirtyRebuilder(sqlite);

  // Positional parameters, in MESSAGE_COLUMNS order: binding 27 named ones from an object cost more than the insert.
  const upsertMessage = statement(`
    INSERT INTO analytics_messages (${MESSAGE_COLUMNS.join(', ')})
    VALUES (${MESSAGE_COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT (team_id, channel_id, ts) DO UPDATE SET
      thread_ts = excluded.thread_ts, author_id = excluded.author_id, bot_id = excluded.bot_id, subtype = excluded.subtype,
      is_bot = excluded.is_bot, is_person = excluded.is_person, is_reply = excluded.is_reply,
      is_root = excluded.is_root OR analytics_messages.is_root, is_question = excluded.is_question,
      char_count = excluded.char_count, reply_count = MAX(excluded.reply_count, analytics_messages.reply_count),
      reply_users = CASE WHEN excluded.reply_count >= analytics_messages.reply_count THEN excluded.reply_users ELSE analytics_messages.reply_users END,
      latest_reply = COALESCE(MAX(excluded.latest_reply, analytics_messages.latest_reply), excluded.latest_reply, analytics_messages.latest_reply),
      reactions_received = excluded.reactions_received, mention_count = excluded.mention_count, link_count = excluded.link_count,
      link_mask = excluded.link_mask, file_count = excluded.file_count, edited = excluded.edited, text = excluded.text,
      reactions = excluded.reactions, mentions = excluded.mentions`);
  /** A message's links, before it is rewritten or deleted (its reactions and mentions are columns of its row). */
  const deleteLinksOf = statement('DELETE FROM analytics_links WHERE team_id = ? AND channel_id = ? AND ts = ?');
  const insertLink = statement(
    'INSERT INTO analytics_links (team_id, channel_id, ts, kind, count, author_id, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // A reply makes its root a thread root, even when the root was stored before it had replies.
  const markRoot = statement(
    'UPDATE analytics_messages SET is_root = 1, thread_ts = COALESCE(thread_ts, ts) WHERE team_id = ? AND channel_id = ? AND ts = ? AND is_root = 0',
  );
  const selectExisting = statement(
    'SELECT ts FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts >= ? AND ts <= ?',
  );
  const touchThread = statement('INSERT OR IGNORE INTO analytics_dirty_threads (team_id, channel_id, thread_ts) VALUES (?, ?, ?)');
  const touchDay = statement('INSERT OR IGNORE INTO analytics_dirty_days (team_id, channel_id, day) VALUES (?, ?, ?)');


  /** Which of a batch's messages are already stored: one range read per channel instead of three deletes per message. */
  function existingTs(teamId: string, messages: readonly StoredMessage[]): Set<string> {
    const ranges = new Map<string, { low: string; high: string }>();
    for (const { channelId, ts } of messages) {
      const range = ranges.get(channelId);
      if (!range) ranges.set(channelId, { low: ts, high: ts });
      else {
        if (ts < range.low) range.low = ts;
        if (ts > range.high) range.high = ts;
      }
    }
    const existing = new Set<string>();
    for (const [channelId, { low, high }] of ranges) {
      for (const row of selectExisting.all(teamId, channelId, low, high) as { ts: string }[]) existing.add(`${channelId}\u0000${row.ts}`);
    }
    return existing;
  }

  function insertLinks(message: StoredMessage, isNew: boolean): void {
    const { teamId, channelId, ts, day, authorId } = message;
    if (!isNew) deleteLinksOf.run(teamId, channelId, ts);
    for (const link of message.links) insertLink.run(teamId, channelId, ts, link.kind, link.count, authorId, day);
  }

  /** Marks a message's day, and its thread when it is in one, for the next rebuild. */
  function touch(teamId: string, message: TouchedMessage): void {
    touchDay.run(teamId, message.channelId, message.day);
    const threadTs = threadOf(message);
    if (threadTs) touchThread.run(teamId, message.channelId, threadTs);
  }

  /** Marks for one batch, each day and thread written once (INSERT OR IGNORE of a mark already made is wasted work). */
  function createBatchMarks(teamId: string) {
    const days = new Set<string>();
    const threads = new Set<string>();
    const touchDayOnce = (channelId: string, day: number) => {
      const key = `${channelId}\u0000${day}`;
      if (days.has(key)) return;
      days.add(key);
      touchDay.run(teamId, channelId, day);
    };
    return {
      touchDay: touchDayOnce,
      touch(message: TouchedMessage): void {
        touchDayOnce(message.channelId, message.day);
        const threadTs = threadOf(message);
        if (!threadTs) return;
        const key = `${message.channelId}\u0000${threadTs}`;
        if (threads.has(key)) return;
        threads.add(key);
        touchThread.run(teamId, message.channelId, threadTs);
      },
    };
  }


  /** Runs `work` in one transaction; the derived rows are rebuilt in it too unless `defer` (then rebuildPending does it). */
  function inBatch(teamId: string, work: () => void, defer = false): void {
    sqlite.transaction(() => {
      work();
      if (!defer) rebuildDirty(teamId);
    })();
  }

  /** The row's values in MESSAGE_COLUMNS order; `kept` (an edit's) replaces the event's reactions with the stored ones. */
  const messageValues = (m: StoredMessage, kept?: KeptReactions): unknown[] => [
    m.teamId, m.channelId, m.ts, m.tsMs, m.day, m.threadTs, m.authorId, m.botId, m.subtype, Number(m.isBot), Number(m.isPerson),
    Number(m.isReply), Number(m.isRoot), Number(m.isQuestion), m.charCount, m.replyCount, JSON.stringify(m.replyUsers), m.latestReply,
    kept ? kept.received : m.reactionsReceived, m.mentionCount, m.linkCount, m.linkMask, m.fileCount, Number(m.edited), m.text,
    kept ? kept.reactions : reactionsColumn(m.reactions.map((reaction) => [reaction.name, reaction.userId])), mentionsColumn(m.mentions),
  ];

  const selectMessageKey = statement(
    'SELECT channel_id AS channelId, ts, thread_ts AS threadTs, day, is_reply AS isReply, is_root AS isRoot FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const deleteMessageRow = statement('DELETE FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?');
  const selectReactionTarget = statement(
    'SELECT author_id AS authorId, day, is_person AS isPerson, reactions FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const updateReactions = statement(
    'UPDATE analytics_messages SET reactions = ?, reactions_received = MAX(reactions_received + ?, 0) WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const selectKeptReactions = statement(
    'SELECT reactions_received AS received, reactions FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const markReplies = statement(
    'UPDATE analytics_messages SET replies_synced_ts = ? WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const selectPendingThreads = statement(`
    SELECT ts, latest_reply AS latestReply FROM analytics_messages
    WHERE team_id = ? AND channel_id = ? AND latest_reply IS NOT NULL AND replies_synced_ts IS NOT latest_reply
    ORDER BY ts LIMIT ?`);

  return {
    /**
     * Upserts messages (with their reactions, mentions, links) and rebuilds what
     * they affect, in one transaction. `keepReactions`: the messages come from
     * an edit event, which says nothing reliable about reactions; keep the stored ones.
     */
    writeMessages(
      teamId: string,
      messages: readonly StoredMessage[],
      options: { keepReactions?: boolean; deferRebuild?: boolean } = {},
    ): void {
      if (messages.length === 0) return;
      // One row per message: a message listed twice in a batch keeps its last version.
      const unique = [...new Map(messages.map((message) => [`${message.channelId}\u0000${message.ts}`, message])).values()];
      const keepReactions = options.keepReactions ?? false;
      inBatch(
        teamId,
        () => {
          const existing = existingTs(teamId, unique);
          // A page's messages share a few days and threads: each is marked once per batch, not once per message.
          const marks = createBatchMarks(teamId);
          for (const message of unique) {
            const isNew = !existing.has(`${message.channelId}\u0000${message.ts}`);
            const kept = keepReactions && !isNew
              ? (selectKeptReactions.get(teamId, message.channelId, message.ts) as KeptReactions | undefined)
              : undefined;
            upsertMessage.run(...messageValues(message, kept));
            insertLinks(message, isNew);
            if (message.isReply && message.threadTs) {
              if (markRoot.run(teamId, message.channelId, message.threadTs).changes > 0) {
                const root = selectMessageKey.get(teamId, message.channelId, message.threadTs) as { day: number };
                marks.touchDay(message.channelId, root.day);
              }
            }
            marks.touch(message);
          }
        },
        options.deferRebuild ?? false,
      );
    },

    /** Rebuilds what deferred writes (and any crash before their rebuild) left pending. */
    rebuildPending(teamId: string): void {
      sqlite.transaction(() => rebuildDirty(teamId))();
    },

    /** Removes one message (deleted in Slack); false if it was not stored. */
    deleteMessage(teamId: string, channelId: string, ts: string): boolean {
      let deleted = false;
      inBatch(teamId, () => {
        const key = selectMessageKey.get(teamId, channelId, ts) as
          | { channelId: string; ts: string; threadTs: string | null; day: number; isReply: number; isRoot: number }
          | undefined;
        if (!key) return;
        deleteLinksOf.run(teamId, channelId, ts);
        deleteMessageRow.run(teamId, channelId, ts);
        touch(teamId, { ...key, isReply: Boolean(key.isReply), isRoot: Boolean(key.isRoot) });
        deleted = true;
      });
      return deleted;
    },

    /** Applies a live reaction_added/removed to a stored message; false if the message is not stored. */
    applyReaction(change: ReactionChange): boolean {
      let applied = false;
      inBatch(change.teamId, () => {
        const { teamId, channelId, ts, name, userId } = change;
        const target = selectReactionTarget.get(teamId, channelId, ts) as
          | { authorId: string | null; day: number; isPerson: number; reactions: string | null }
          | undefined;
        if (!target) return;
        const reactions = target.reactions ? parseReactions(target.reactions) : [];
        const at = reactions.findIndex(([storedName, storedUser]) => storedName === name && storedUser === userId);
        if (change.added === at >= 0) return;
        if (change.added) reactions.push([name, userId]);
        else reactions.splice(at, 1);
        const received = target.isPerson && userId !== target.authorId ? (change.added ? 1 : -1) : 0;
        updateReactions.run(reactionsColumn(reactions), received, teamId, channelId, ts);
        touchDay.run(teamId, channelId, target.day);
        applied = true;
      });
      return applied;
    },

    /** Threads with replies not yet read (or with new ones since), oldest first. */
    pendingThreads(teamId: string, channelId: string, limit: number): { ts: string; latestReply: string }[] {
      return selectPendingThreads.all(teamId, channelId, limit) as { ts: string; latestReply: string }[];
    },

    markRepliesSynced(teamId: string, channelId: string, threadTs: string, latestReply: string): void {
      markReplies.run(latestReply, teamId, channelId, threadTs);
    },

    // Retention, erasing text, deleting everything, row counts.
    ...createAnalyticsRetention(sqlite, inBatch),
  };
}

export { ANALYTICS_TABLES } from './analytics-retention.ts';

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;
