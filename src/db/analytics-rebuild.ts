/**
 * Rebuilds the derived analytics rows — help-reply flags, threads, the
 * channel × person × day sums and their per-channel and per-person rollups —
 * for the threads and days marked dirty, then clears the marks. Set-based SQL
 * that starts from the (small) dirty set.
 */
import type { Database, Statement } from 'better-sqlite3';
import { LINK_KINDS } from '../analytics/classify-link.ts';

/**
 * Rows of the dirty day `t.day`, found through the (team, channel, ts) primary key: a ts is ten digits of
 * seconds, a dot and micros, so text order is time order and the day is a ts range (no day index to
 * maintain on every insert).
 */
const DAY_OF = (alias: string) =>
  `${alias}.ts >= CAST(t.day * 86400 AS TEXT) AND ${alias}.ts < CAST((t.day + 1) * 86400 AS TEXT)`;

const LINK_MASK_OR = LINK_KINDS.map((_, bit) => `MAX(m.link_mask & ${1 << bit})`).join(' | ');

export function createDirtyRebuilder(sqlite: Database): (teamId: string) => void {
  const statement = (sql: string): Statement => sqlite.prepare(sql);
  // The rebuild joins start FROM the dirty tables with CROSS JOIN, which SQLite never reorders: otherwise it
  // may scan every row of the workspace and look each one up in the (small) dirty set.
  const dirtyThreads = 'analytics_dirty_threads t';
  const dirtyDays = 'analytics_dirty_days t';
  /** Deletes the rows of `table` whose keys are marked dirty (keys in the order of the table's index). */
  const deleteDirtyRows = (table: string, dirty: string, keys: string[]) =>
    statement(`
    DELETE FROM ${table} WHERE rowid IN (
      SELECT a.rowid FROM ${dirty}
      CROSS JOIN ${table} a ON a.team_id = t.team_id AND ${keys.map((key) => `a.${key} = t.${key}`).join(' AND ')}
      WHERE t.team_id = @teamId)`);
  const SUMS = 'messages, threads_started, replies, help_replies, reactions_given, reactions_received, mentions_given, mentions_received, links, bot_messages';
  const SUM_COLUMNS = SUMS.split(', ');
  const SUMMED = SUM_COLUMNS.map((column) => `SUM(d.${column})`).join(', ');
  // Every message of a touched thread may change help-reply status (its root may have arrived or changed).
  const touchThreadDays = statement(`
    INSERT OR IGNORE INTO analytics_dirty_days (team_id, channel_id, day)
    SELECT DISTINCT t.team_id, m.channel_id, m.day FROM ${dirtyThreads}
    CROSS JOIN analytics_messages m ON m.team_id = t.team_id AND m.channel_id = t.channel_id AND m.thread_ts = t.thread_ts
    WHERE t.team_id = @teamId`);
  const updateHelpReplies = statement(`
    UPDATE analytics_messages AS m SET is_help_reply = (
      m.is_person AND m.is_reply AND EXISTS (
        SELECT 1 FROM analytics_messages r
        WHERE r.team_id = m.team_id AND r.channel_id = m.channel_id AND r.ts = m.thread_ts
          AND r.is_root AND r.is_person AND r.is_question AND r.author_id <> m.author_id))
    WHERE m.rowid IN (
      SELECT x.rowid FROM ${dirtyThreads}
      CROSS JOIN analytics_messages x ON x.team_id = t.team_id AND x.channel_id = t.channel_id AND x.thread_ts = t.thread_ts
      WHERE t.team_id = @teamId)`);
  const deleteThreads = deleteDirtyRows('analytics_threads', dirtyThreads, ['channel_id', 'thread_ts']);
  const insertThreads = statement(`
    INSERT INTO analytics_threads (team_id, channel_id, thread_ts, root_author_id, root_is_question, ts_ms, day, replies,
      participants, first_reply_ms, link_mask)
    SELECT r.team_id, r.channel_id, r.ts, r.author_id, r.is_question, r.ts_ms, r.day,
      COUNT(m.ts) FILTER (WHERE m.ts <> r.ts),
      COUNT(DISTINCT m.author_id),
      MIN(m.ts_ms) FILTER (WHERE m.author_id <> r.author_id) - r.ts_ms,
      ${LINK_MASK_OR}
    FROM ${dirtyThreads}
    CROSS JOIN analytics_messages r ON r.team_id = t.team_id AND r.channel_id = t.channel_id AND r.ts = t.thread_ts
    CROSS JOIN analytics_messages m ON (m.team_id = r.team_id AND m.channel_id = r.channel_id AND m.ts = r.ts)
      OR (m.team_id = r.team_id AND m.channel_id = r.channel_id AND m.thread_ts = r.ts AND m.is_reply AND m.is_person)
    WHERE t.team_id = @teamId AND r.is_root AND r.is_person
    GROUP BY r.channel_id, r.ts`);
  const deleteDaily = deleteDirtyRows('analytics_daily', dirtyDays, ['day', 'channel_id']);
  const insertDaily = statement(`
    INSERT INTO analytics_daily (team_id, channel_id, person_id, day, ${SUMS})
    SELECT @teamId, channel_id, person_id, day, ${SUM_COLUMNS.map((column) => `SUM(${column})`).join(', ')}
    FROM (
      SELECT m.channel_id, CASE WHEN m.is_person THEN m.author_id ELSE '' END AS person_id, m.day,
        m.is_person AS messages, (m.is_person AND m.is_root) AS threads_started, (m.is_person AND m.is_reply) AS replies,
        m.is_help_reply AS help_replies, 0 AS reactions_given, m.reactions_received, m.mention_count AS mentions_given,
        0 AS mentions_received, m.link_count AS links, m.is_bot AS bot_messages
      FROM ${dirtyDays} CROSS JOIN analytics_messages m ON m.team_id = t.team_id AND m.channel_id = t.channel_id AND ${DAY_OF('m')}
      WHERE t.team_id = @teamId
      UNION ALL
      SELECT r.channel_id, r.user_id, r.day, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0
      FROM ${dirtyDays} CROSS JOIN analytics_reactions r ON r.team_id = t.team_id AND r.channel_id = t.channel_id AND ${DAY_OF('r')}
      WHERE t.team_id = @teamId AND r.user_id IS NOT COALESCE(r.author_id, '')
      UNION ALL
      SELECT n.channel_id, n.user_id, n.day, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0
      FROM ${dirtyDays} CROSS JOIN analytics_mentions n ON n.team_id = t.team_id AND n.channel_id = t.channel_id AND ${DAY_OF('n')}
      WHERE t.team_id = @teamId
    )
    GROUP BY channel_id, person_id, day`);
  const deleteChannelDays = deleteDirtyRows('analytics_channel_days', dirtyDays, ['channel_id', 'day']);
  const insertChannelDays = statement(`
    INSERT INTO analytics_channel_days (team_id, channel_id, day, ${SUMS})
    SELECT t.team_id, t.channel_id, t.day, ${SUMMED} FROM ${dirtyDays}
    CROSS JOIN analytics_daily d ON d.team_id = t.team_id AND d.day = t.day AND d.channel_id = t.channel_id
    WHERE t.team_id = @teamId GROUP BY t.channel_id, t.day`);
  // Person days change by what the rebuilt channel days change: the old daily rows of the dirty channel-days
  // are subtracted before they are rebuilt and the new ones added after, instead of re-summing whole days.
  const addDailyToPersonDays = (sign: '+' | '-') =>
    statement(`
    INSERT INTO analytics_person_days (team_id, person_id, day, ${SUMS})
    SELECT t.team_id, d.person_id, t.day, ${SUM_COLUMNS.map((column) => `${sign === '-' ? '-' : ''}SUM(d.${column})`).join(', ')}
    FROM ${dirtyDays}
    CROSS JOIN analytics_daily d ON d.team_id = t.team_id AND d.day = t.day AND d.channel_id = t.channel_id
    WHERE t.team_id = @teamId AND d.person_id <> ''
    GROUP BY d.person_id, t.day
    ON CONFLICT (team_id, person_id, day) DO UPDATE SET
      ${SUM_COLUMNS.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`);
  const subtractOldPersonDays = addDailyToPersonDays('-');
  const addNewPersonDays = addDailyToPersonDays('+');
  const deleteEmptyPersonDays = statement(`
    DELETE FROM analytics_person_days WHERE rowid IN (
      SELECT a.rowid FROM (SELECT DISTINCT team_id, day FROM analytics_dirty_days WHERE team_id = @teamId) t
      CROSS JOIN analytics_person_days a ON a.team_id = t.team_id AND a.day = t.day
      WHERE ${SUM_COLUMNS.map((column) => `a.${column} = 0`).join(' AND ')})`);
  const clearDirty = [
    statement('DELETE FROM analytics_dirty_threads WHERE team_id = @teamId'),
    statement('DELETE FROM analytics_dirty_days WHERE team_id = @teamId'),
  ];

  /** Rebuilds help-reply flags, threads and the daily sums for everything marked dirty, then clears the marks. */
  return function rebuildDirty(teamId: string): void {
    const params = { teamId };
    touchThreadDays.run(params);
    updateHelpReplies.run(params);
    deleteThreads.run(params);
    insertThreads.run(params);
    subtractOldPersonDays.run(params);
    deleteDaily.run(params);
    insertDaily.run(params);
    addNewPersonDays.run(params);
    deleteEmptyPersonDays.run(params);
    deleteChannelDays.run(params);
    insertChannelDays.run(params);
    for (const clear of clearDirty) clear.run(params);
  };
}
