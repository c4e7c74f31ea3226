/**
 * Writes analytics rows in batched transactions and keeps the derived tables
 * (help-reply flags, threads, daily sums) right for whatever a batch touched.
 *
 * Raw better-sqlite3 statements rather than the query builder: ingest runs at
 * tens of thousands of rows a second, and the derived tables are rebuilt with
 * set-based SQL over temp tables of the touched threads and days.
 */
import type { Database, Statement } from 'better-sqlite3';
import { LINK_KINDS } from '../analytics/classify-link.ts';
import type { StoredMessage } from '../analytics/stored-message.ts';
import type { PulseDatabase } from './open-database.ts';

export interface ReactionChange {
  teamId: string;
  channelId: string;
  ts: string;
  name: string;
  userId: string;
  added: boolean;
}

const LINK_MASK_OR = LINK_KINDS.map((_, bit) => `MAX(m.link_mask & ${1 << bit})`).join(' | ');

export function createAnalyticsStore(db: PulseDatabase) {
  const sqlite: Database = db.$client;
  sqlite.exec(`
    CREATE TEMP TABLE IF NOT EXISTS touched_threads (channel_id TEXT NOT NULL, thread_ts TEXT NOT NULL, PRIMARY KEY (channel_id, thread_ts)) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS touched_days (channel_id TEXT NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (channel_id, day)) WITHOUT ROWID;
  `);
  const statement = (sql: string): Statement => sqlite.prepare(sql);

  const upsertMessage = statement(`
    INSERT INTO analytics_messages (team_id, channel_id, ts, ts_ms, day, thread_ts, author_id, bot_id, subtype, is_bot, is_person,
      is_reply, is_root, is_question, char_count, reply_count, reply_users, latest_reply, reactions_received, mention_count,
      link_count, link_mask, file_count, edited, text)
    VALUES (@teamId, @channelId, @ts, @tsMs, @day, @threadTs, @authorId, @botId, @subtype, @isBot, @isPerson,
      @isReply, @isRoot, @isQuestion, @charCount, @replyCount, @replyUsers, @latestReply, @reactionsReceived, @mentionCount,
      @linkCount, @linkMask, @fileCount, @edited, @text)
    ON CONFLICT (team_id, channel_id, ts) DO UPDATE SET
      thread_ts = excluded.thread_ts, author_id = excluded.author_id, bot_id = excluded.bot_id, subtype = excluded.subtype,
      is_bot = excluded.is_bot, is_person = excluded.is_person, is_reply = excluded.is_reply,
      is_root = excluded.is_root OR analytics_messages.is_root, is_question = excluded.is_question,
      char_count = excluded.char_count, reply_count = MAX(excluded.reply_count, analytics_messages.reply_count),
      reply_users = CASE WHEN excluded.reply_count >= analytics_messages.reply_count THEN excluded.reply_users ELSE analytics_messages.reply_users END,
      latest_reply = COALESCE(MAX(excluded.latest_reply, analytics_messages.latest_reply), excluded.latest_reply, analytics_messages.latest_reply),
      reactions_received = excluded.reactions_received, mention_count = excluded.mention_count, link_count = excluded.link_count,
      link_mask = excluded.link_mask, file_count = excluded.file_count, edited = excluded.edited, text = excluded.text`);
  const deleteReactionsOf = statement('DELETE FROM analytics_reactions WHERE team_id = ? AND channel_id = ? AND ts = ?');
  const deleteMentionsOf = statement('DELETE FROM analytics_mentions WHERE team_id = ? AND channel_id = ? AND ts = ?');
  const deleteLinksOf = statement('DELETE FROM analytics_links WHERE team_id = ? AND channel_id = ? AND ts = ?');
  const insertReaction = statement(
    'INSERT OR IGNORE INTO analytics_reactions (team_id, channel_id, ts, name, user_id, author_id, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMention = statement(
    'INSERT OR IGNORE INTO analytics_mentions (team_id, channel_id, ts, user_id, author_id, day) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertLink = statement(
    'INSERT INTO analytics_links (team_id, channel_id, ts, kind, count, author_id, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // A reply makes its root a thread root, even when the root was stored before it had replies.
  const markRoot = statement(
    'UPDATE analytics_messages SET is_root = 1, thread_ts = COALESCE(thread_ts, ts) WHERE team_id = ? AND channel_id = ? AND ts = ? AND is_root = 0',
  );
  const touchThread = statement('INSERT OR IGNORE INTO temp.touched_threads (channel_id, thread_ts) VALUES (?, ?)');
  const touchDay = statement('INSERT OR IGNORE INTO temp.touched_days (channel_id, day) VALUES (?, ?)');
  const clearTouched = [statement('DELETE FROM temp.touched_threads'), statement('DELETE FROM temp.touched_days')];

  // Every message of a touched thread may change help-reply status (its root may have arrived or changed).
  const touchThreadDays = statement(`
    INSERT OR IGNORE INTO temp.touched_days (channel_id, day)
    SELECT m.channel_id, m.day FROM temp.touched_threads t
    JOIN analytics_messages m ON m.team_id = @teamId AND m.channel_id = t.channel_id AND m.thread_ts = t.thread_ts`);
  const updateHelpReplies = statement(`
    UPDATE analytics_messages AS m SET is_help_reply = (
      m.is_person AND m.is_reply AND EXISTS (
        SELECT 1 FROM analytics_messages r
        WHERE r.team_id = m.team_id AND r.channel_id = m.channel_id AND r.ts = m.thread_ts
          AND r.is_root AND r.is_person AND r.is_question AND r.author_id <> m.author_id))
    WHERE m.rowid IN (
      SELECT x.rowid FROM temp.touched_threads t
      JOIN analytics_messages x ON x.team_id = @teamId AND x.channel_id = t.channel_id AND x.thread_ts = t.thread_ts)`);
  const deleteThreads = statement(`
    DELETE FROM analytics_threads WHERE team_id = @teamId
      AND rowid IN (SELECT a.rowid FROM temp.touched_threads t
        JOIN analytics_threads a ON a.team_id = @teamId AND a.channel_id = t.channel_id AND a.thread_ts = t.thread_ts)`);
  const insertThreads = statement(`
    INSERT INTO analytics_threads (team_id, channel_id, thread_ts, root_author_id, root_is_question, ts_ms, day, replies,
      participants, first_reply_ms, link_mask)
    SELECT r.team_id, r.channel_id, r.ts, r.author_id, r.is_question, r.ts_ms, r.day,
      COUNT(m.ts) FILTER (WHERE m.ts <> r.ts),
      COUNT(DISTINCT m.author_id),
      MIN(m.ts_ms) FILTER (WHERE m.author_id <> r.author_id) - r.ts_ms,
      ${LINK_MASK_OR}
    FROM temp.touched_threads t
    JOIN analytics_messages r ON r.team_id = @teamId AND r.channel_id = t.channel_id AND r.ts = t.thread_ts
    JOIN analytics_messages m ON m.team_id = @teamId AND m.channel_id = r.channel_id
      AND (m.ts = r.ts OR (m.thread_ts = r.ts AND m.is_reply AND m.is_person))
    WHERE r.is_root AND r.is_person
    GROUP BY r.channel_id, r.ts`);
  const deleteDaily = statement(`
    DELETE FROM analytics_daily WHERE rowid IN (SELECT a.rowid FROM temp.touched_days t
      JOIN analytics_daily a ON a.team_id = @teamId AND a.day = t.day AND a.channel_id = t.channel_id)`);
  const insertDaily = statement(`
    INSERT INTO analytics_daily (team_id, channel_id, person_id, day, messages, threads_started, replies, help_replies,
      reactions_given, reactions_received, mentions_given, mentions_received, links, bot_messages)
    SELECT @teamId, channel_id, person_id, day, SUM(messages), SUM(threads_started), SUM(replies), SUM(help_replies),
      SUM(reactions_given), SUM(reactions_received), SUM(mentions_given), SUM(mentions_received), SUM(links), SUM(bot_messages)
    FROM (
      SELECT m.channel_id, CASE WHEN m.is_person THEN m.author_id ELSE '' END AS person_id, m.day,
        m.is_person AS messages, (m.is_person AND m.is_root) AS threads_started, (m.is_person AND m.is_reply) AS replies,
        m.is_help_reply AS help_replies, 0 AS reactions_given, m.reactions_received, m.mention_count AS mentions_given,
        0 AS mentions_received, m.link_count AS links, m.is_bot AS bot_messages
      FROM temp.touched_days t JOIN analytics_messages m ON m.team_id = @teamId AND m.channel_id = t.channel_id AND m.day = t.day
      UNION ALL
      SELECT r.channel_id, r.user_id, r.day, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0
      FROM temp.touched_days t JOIN analytics_reactions r ON r.team_id = @teamId AND r.channel_id = t.channel_id AND r.day = t.day
      WHERE r.user_id IS NOT COALESCE(r.author_id, '')
      UNION ALL
      SELECT n.channel_id, n.user_id, n.day, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0
      FROM temp.touched_days t JOIN analytics_mentions n ON n.team_id = @teamId AND n.channel_id = t.channel_id AND n.day = t.day
    )
    GROUP BY channel_id, person_id, day`);

  function insertChildren(message: StoredMessage, keepReactions: boolean): void {
    const { teamId, channelId, ts, day, authorId } = message;
    if (!keepReactions) deleteReactionsOf.run(teamId, channelId, ts);
    deleteMentionsOf.run(teamId, channelId, ts);
    deleteLinksOf.run(teamId, channelId, ts);
    if (!keepReactions) {
      for (const reaction of message.reactions) insertReaction.run(teamId, channelId, ts, reaction.name, reaction.userId, authorId, day);
    }
    for (const userId of message.mentions) insertMention.run(teamId, channelId, ts, userId, authorId, day);
    for (const link of message.links) insertLink.run(teamId, channelId, ts, link.kind, link.count, authorId, day);
  }

  function touch(message: Pick<StoredMessage, 'channelId' | 'ts' | 'threadTs' | 'day' | 'isReply'>): void {
    touchDay.run(message.channelId, message.day);
    touchThread.run(message.channelId, message.isReply ? message.threadTs : message.ts);
  }

  /** Rebuilds help-reply flags, threads and daily sums for what was touched since the last clear. */
  function rebuildTouched(teamId: string): void {
    const params = { teamId };
    touchThreadDays.run(params);
    updateHelpReplies.run(params);
    deleteThreads.run(params);
    insertThreads.run(params);
    deleteDaily.run(params);
    insertDaily.run(params);
  }

  function inBatch(teamId: string, work: () => void): void {
    sqlite.transaction(() => {
      for (const clear of clearTouched) clear.run();
      work();
      rebuildTouched(teamId);
      for (const clear of clearTouched) clear.run();
    })();
  }

  const messageRow = (message: StoredMessage) => ({
    ...message,
    isBot: Number(message.isBot),
    isPerson: Number(message.isPerson),
    isReply: Number(message.isReply),
    isRoot: Number(message.isRoot),
    isQuestion: Number(message.isQuestion),
    edited: Number(message.edited),
    replyUsers: JSON.stringify(message.replyUsers),
  });

  const selectMessageKey = statement(
    'SELECT channel_id AS channelId, ts, thread_ts AS threadTs, day, is_reply AS isReply FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const deleteMessageRow = statement('DELETE FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?');
  const selectReactionTarget = statement(
    'SELECT author_id AS authorId, day, is_person AS isPerson, thread_ts AS threadTs, is_reply AS isReply FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const addReceived = statement(
    'UPDATE analytics_messages SET reactions_received = MAX(reactions_received + ?, 0) WHERE team_id = ? AND channel_id = ? AND ts = ?',
  );
  const deleteReaction = statement(
    'DELETE FROM analytics_reactions WHERE team_id = ? AND channel_id = ? AND ts = ? AND name = ? AND user_id = ?',
  );
  const selectReceived = statement(
    'SELECT reactions_received AS received FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts = ?',
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
    writeMessages(teamId: string, messages: readonly StoredMessage[], options: { keepReactions?: boolean } = {}): void {
      if (messages.length === 0) return;
      const keepReactions = options.keepReactions ?? false;
      inBatch(teamId, () => {
        for (const message of messages) {
          const stored = keepReactions
            ? (selectReceived.get(teamId, message.channelId, message.ts) as { received: number } | undefined)
            : undefined;
          upsertMessage.run(messageRow(stored ? { ...message, reactionsReceived: stored.received } : message));
          insertChildren(message, keepReactions && stored !== undefined);
          if (message.isReply && message.threadTs) {
            if (markRoot.run(teamId, message.channelId, message.threadTs).changes > 0) {
              const root = selectMessageKey.get(teamId, message.channelId, message.threadTs) as Parameters<typeof touch>[0];
              touchDay.run(root.channelId, root.day);
            }
          }
          touch(message);
        }
      });
    },

    /** Removes one message (deleted in Slack); false if it was not stored. */
    deleteMessage(teamId: string, channelId: string, ts: string): boolean {
      let deleted = false;
      inBatch(teamId, () => {
        const key = selectMessageKey.get(teamId, channelId, ts) as Parameters<typeof touch>[0] | undefined;
        if (!key) return;
        deleteReactionsOf.run(teamId, channelId, ts);
        deleteMentionsOf.run(teamId, channelId, ts);
        deleteLinksOf.run(teamId, channelId, ts);
        deleteMessageRow.run(teamId, channelId, ts);
        touch(key);
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
          | { authorId: string | null; day: number; isPerson: number; threadTs: string | null; isReply: number }
          | undefined;
        if (!target) return;
        const changed = change.added
          ? insertReaction.run(teamId, channelId, ts, name, userId, target.authorId, target.day).changes > 0
          : deleteReaction.run(teamId, channelId, ts, name, userId).changes > 0;
        if (!changed) return;
        if (target.isPerson && userId !== target.authorId) addReceived.run(change.added ? 1 : -1, teamId, channelId, ts);
        touch({ channelId, ts, threadTs: target.threadTs, day: target.day, isReply: Boolean(target.isReply) });
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

    /**
     * Deletes stored messages from UTC days before `beforeDay` and everything
     * derived from them; replies whose root went are no longer help replies.
     * Returns the messages removed.
     */
    pruneBefore(teamId: string, beforeDay: number): number {
      let removed = 0;
      inBatch(teamId, () => {
        removed = sqlite.prepare('DELETE FROM analytics_messages WHERE team_id = ? AND day < ?').run(teamId, beforeDay).changes;
        for (const table of ['analytics_reactions', 'analytics_mentions', 'analytics_links', 'analytics_threads', 'analytics_daily']) {
          sqlite.prepare(`DELETE FROM ${table} WHERE team_id = ? AND day < ?`).run(teamId, beforeDay);
        }
        sqlite
          .prepare(
            `INSERT OR IGNORE INTO temp.touched_threads (channel_id, thread_ts)
             SELECT DISTINCT channel_id, thread_ts FROM analytics_messages
             WHERE team_id = ? AND is_reply AND CAST(thread_ts AS REAL) < ?`,
          )
          .run(teamId, beforeDay * 86_400);
      });
      return removed;
    },

    /** Erases stored message text (content storage turned off); metadata stays. */
    eraseText(teamId: string): void {
      sqlite.prepare('UPDATE analytics_messages SET text = NULL WHERE team_id = ? AND text IS NOT NULL').run(teamId);
    },

    /** Every analytics row of the workspace, sync state included. Returns the messages removed. */
    purge(teamId: string): number {
      let removed = 0;
      sqlite.transaction(() => {
        removed = sqlite.prepare('DELETE FROM analytics_messages WHERE team_id = ?').run(teamId).changes;
        for (const table of ['analytics_reactions', 'analytics_mentions', 'analytics_links', 'analytics_threads', 'analytics_daily', 'analytics_channels']) {
          sqlite.prepare(`DELETE FROM ${table} WHERE team_id = ?`).run(teamId);
        }
      })();
      return removed;
    },

    /** Rows per table for the workspace (App Home, purge confirmations, tests). */
    rowCounts(teamId: string): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const table of ANALYTICS_TABLES) {
        counts[table] = (sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`).get(teamId) as { n: number }).n;
      }
      return counts;
    },
  };
}

export const ANALYTICS_TABLES = [
  'analytics_messages',
  'analytics_reactions',
  'analytics_mentions',
  'analytics_links',
  'analytics_threads',
  'analytics_daily',
  'analytics_channels',
] as const;

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;
