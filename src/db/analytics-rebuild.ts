/**
 * Rebuilds the derived analytics rows — help-reply flags, threads, the
 * channel × person × day sums and their per-channel and per-person rollups —
 * for the threads and days marked dirty, then clears the marks. Flags and
 * threads are set-based SQL that starts from the (small) dirty set; the day
 * sums are re-added in JS, one dirty (channel, day) at a time, and only the
 * rows whose sums changed are written.
 */
import type { Database, Statement } from 'better-sqlite3';
import { LINK_KINDS } from '../analytics/classify-link.ts';

const LINK_MASK_OR = LINK_KINDS.map((_, bit) => `MAX(m.link_mask & ${1 << bit})`).join(' | ');

export function createDirtyRebuilder(sqlite: Database): (teamId: string) => void {
  const statement = (sql: string): Statement => sqlite.prepare(sql);
  // The rebuild joins start FROM the dirty tables with CROSS JOIN, which SQLite never reorders: otherwise it
  // may scan every row of the workspace and look each one up in the (small) dirty set.
  const dirtyThreads = 'analytics_dirty_threads t';
  /** Deletes the rows of `table` whose keys are marked dirty (keys in the order of the table's index). */
  const deleteDirtyRows = (table: string, dirty: string, keys: string[]) =>
    statement(`
    DELETE FROM ${table} WHERE rowid IN (
      SELECT a.rowid FROM ${dirty}
      CROSS JOIN ${table} a ON a.team_id = t.team_id AND ${keys.map((key) => `a.${key} = t.${key}`).join(' AND ')}
      WHERE t.team_id = @teamId)`);
  // Every message of a touched thread may change help-reply status (its root may have arrived or changed). Only the rows
  // whose flag changes are written, and only their days re-summed (a thread's other days did not change).
  const helpReply = `(m.is_person AND m.is_reply AND EXISTS (
        SELECT 1 FROM analytics_messages r
        WHERE r.team_id = m.team_id AND r.channel_id = m.channel_id AND r.ts = m.thread_ts
          AND r.is_root AND r.is_person AND r.is_question AND r.author_id <> m.author_id))`;
  const updateHelpReplies = statement(`
    UPDATE analytics_messages AS m SET is_help_reply = ${helpReply}
    WHERE m.rowid IN (
      SELECT x.rowid FROM ${dirtyThreads}
      CROSS JOIN analytics_messages x ON x.team_id = t.team_id AND x.channel_id = t.channel_id AND x.thread_ts = t.thread_ts
      WHERE t.team_id = @teamId)
      AND m.is_help_reply IS NOT ${helpReply}
    RETURNING channel_id AS channelId, day`);
  const touchDay = statement('INSERT OR IGNORE INTO analytics_dirty_days (team_id, channel_id, day) VALUES (@teamId, @channelId, @day)');
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
  const rebuildDays = createDaySumRebuilder(sqlite);
  const clearDirty = [
    statement('DELETE FROM analytics_dirty_threads WHERE team_id = @teamId'),
    statement('DELETE FROM analytics_dirty_days WHERE team_id = @teamId'),
  ];

  /** Rebuilds help-reply flags, threads and the daily sums for everything marked dirty, then clears the marks. */
  return function rebuildDirty(teamId: string): void {
    const params = { teamId };
    for (const { channelId, day } of updateHelpReplies.all(params) as { channelId: string; day: number }[]) {
      touchDay.run({ teamId, channelId, day });
    }
    deleteThreads.run(params);
    insertThreads.run(params);
    rebuildDays(teamId);
    for (const clear of clearDirty) clear.run(params);
  };
}

const SUM_COLUMNS = [
  'messages', 'threads_started', 'replies', 'help_replies', 'reactions_given', 'reactions_received', 'mentions_given',
  'mentions_received', 'links', 'bot_messages',
] as const;
const SUM_COUNT = SUM_COLUMNS.length;
const [MESSAGES, THREADS_STARTED, REPLIES, HELP_REPLIES, REACTIONS_GIVEN, REACTIONS_RECEIVED, MENTIONS_GIVEN, MENTIONS_RECEIVED, LINKS, BOT_MESSAGES] =
  SUM_COLUMNS.map((_, index) => index) as number[] as [number, number, number, number, number, number, number, number, number, number];
const SUMS = SUM_COLUMNS.join(', ');
const PLACEHOLDERS = SUM_COLUMNS.map(() => '?').join(', ');

type Sums = number[];
const zeroSums = (): Sums => new Array<number>(SUM_COUNT).fill(0);
const isZero = (sums: Sums) => sums.every((value) => value === 0);
const sameSums = (a: Sums, b: Sums) => a.every((value, index) => value === b[index]);
const add = (sums: Sums, index: number, value: number) => {
  sums[index] = (sums[index] as number) + value;
};

function sumsOf(sums: Map<string, Sums>, personId: string): Sums {
  let row = sums.get(personId);
  if (!row) sums.set(personId, (row = zeroSums()));
  return row;
}

/**
 * Re-adds each dirty (channel, day) from its messages, reactions and mentions and writes the difference: daily rows
 * inserted, updated or deleted only where they changed, and the same change added to the channel-day and person-day
 * rollups. In JS rather than one INSERT … SELECT … GROUP BY: that statement sorted every row of the day through a temp
 * B-tree and rewrote every daily row (and both rollups) even when a day was rebuilt for one changed message; reading a
 * day's rows by primary-key range and grouping them in a Map costs a fraction, and most rebuilt rows do not change.
 */
function createDaySumRebuilder(sqlite: Database): (teamId: string) => void {
  const selectDirtyDays = sqlite.prepare('SELECT channel_id, day FROM analytics_dirty_days WHERE team_id = ? ORDER BY day, channel_id').raw();
  // A day's rows are found through the (team, channel, ts) primary key: a ts is ten digits of seconds, a dot and micros,
  // so text order is time order and the day is a ts range (no day index to maintain on every insert).
  const selectMessages = sqlite
    .prepare(`
      SELECT is_person, author_id, is_root, is_reply, is_help_reply, reactions_received, mention_count, link_count, is_bot
      FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts >= ? AND ts < ?`)
    .raw();
  const selectReactors = sqlite
    .prepare(`
      SELECT user_id FROM analytics_reactions
      WHERE team_id = ? AND channel_id = ? AND ts >= ? AND ts < ? AND user_id IS NOT COALESCE(author_id, '')`)
    .pluck();
  const selectMentioned = sqlite
    .prepare('SELECT user_id FROM analytics_mentions WHERE team_id = ? AND channel_id = ? AND ts >= ? AND ts < ?')
    .pluck();
  const selectDaily = sqlite
    .prepare(`SELECT person_id, ${SUMS} FROM analytics_daily WHERE team_id = ? AND day = ? AND channel_id = ?`)
    .raw();
  const insertDaily = sqlite.prepare(
    `INSERT INTO analytics_daily (team_id, day, channel_id, person_id, ${SUMS}) VALUES (?, ?, ?, ?, ${PLACEHOLDERS})`,
  );
  const updateDaily = sqlite.prepare(
    `UPDATE analytics_daily SET ${SUM_COLUMNS.map((column) => `${column} = ?`).join(', ')}
    WHERE team_id = ? AND day = ? AND channel_id = ? AND person_id = ?`,
  );
  const deleteDaily = sqlite.prepare('DELETE FROM analytics_daily WHERE team_id = ? AND day = ? AND channel_id = ? AND person_id = ?');
  const addTo = (table: string, key: string) =>
    sqlite.prepare(`
      INSERT INTO ${table} (team_id, ${key}, day, ${SUMS}) VALUES (?, ?, ?, ${PLACEHOLDERS})
      ON CONFLICT (team_id, ${key}, day) DO UPDATE SET ${SUM_COLUMNS.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`);
  const addToChannelDay = addTo('analytics_channel_days', 'channel_id');
  const addToPersonDay = addTo('analytics_person_days', 'person_id');
  const deleteChannelDay = sqlite.prepare('DELETE FROM analytics_channel_days WHERE team_id = ? AND channel_id = ? AND day = ?');
  const deleteEmptyPersonDay = sqlite.prepare(
    `DELETE FROM analytics_person_days WHERE team_id = ? AND person_id = ? AND day = ? AND ${SUM_COLUMNS.map((column) => `${column} = 0`).join(' AND ')}`,
  );

  /** The daily sums of one channel-day as its stored rows now say, by person ('' for messages no person wrote). */
  function sumDay(teamId: string, channelId: string, day: number): Map<string, Sums> {
    const range = [teamId, channelId, String(day * 86_400), String((day + 1) * 86_400)];
    const sums = new Map<string, Sums>();
    for (const row of selectMessages.all(...range) as [number, string | null, number, number, number, number, number, number, number][]) {
      const [isPerson, authorId, isRoot, isReply, isHelpReply, reactionsReceived, mentionCount, linkCount, isBot] = row;
      const target = sumsOf(sums, isPerson ? (authorId as string) : '');
      add(target, MESSAGES, isPerson);
      add(target, THREADS_STARTED, isPerson && isRoot ? 1 : 0);
      add(target, REPLIES, isPerson && isReply ? 1 : 0);
      add(target, HELP_REPLIES, isHelpReply);
      add(target, REACTIONS_RECEIVED, reactionsReceived);
      add(target, MENTIONS_GIVEN, mentionCount);
      add(target, LINKS, linkCount);
      add(target, BOT_MESSAGES, isBot);
    }
    for (const userId of selectReactors.all(...range) as string[]) add(sumsOf(sums, userId), REACTIONS_GIVEN, 1);
    for (const userId of selectMentioned.all(...range) as string[]) add(sumsOf(sums, userId), MENTIONS_RECEIVED, 1);
    return sums;
  }

  return function rebuildDays(teamId: string): void {
    // A person's change summed over the channels rebuilt with the day, applied once per person-day at the end.
    const personChanges = new Map<number, Map<string, Sums>>();
    for (const [channelId, day] of selectDirtyDays.all(teamId) as [string, number][]) {
      const fresh = sumDay(teamId, channelId, day);
      const stored = new Map<string, Sums>();
      for (const [personId, ...sums] of selectDaily.all(teamId, day, channelId) as [string, ...number[]][]) stored.set(personId, sums);
      const channelChange = zeroSums();
      const change = (personId: string, delta: Sums) => {
        for (let index = 0; index < SUM_COUNT; index += 1) add(channelChange, index, delta[index] as number);
        if (personId === '') return;
        let people = personChanges.get(day);
        if (!people) personChanges.set(day, (people = new Map()));
        const personChange = sumsOf(people, personId);
        for (let index = 0; index < SUM_COUNT; index += 1) add(personChange, index, delta[index] as number);
      };
      for (const [personId, sums] of fresh) {
        const old = stored.get(personId);
        if (!old) insertDaily.run(teamId, day, channelId, personId, ...sums);
        else if (!sameSums(old, sums)) updateDaily.run(...sums, teamId, day, channelId, personId);
        else continue;
        change(personId, old ? sums.map((value, index) => value - (old[index] as number)) : sums);
      }
      for (const [personId, old] of stored) {
        if (fresh.has(personId)) continue;
        deleteDaily.run(teamId, day, channelId, personId);
        change(personId, old.map((value) => -value));
      }
      // A channel-day row exists exactly when the day has daily rows.
      if (fresh.size === 0) {
        if (stored.size > 0) deleteChannelDay.run(teamId, channelId, day);
      } else if (stored.size === 0 || !isZero(channelChange)) {
        addToChannelDay.run(teamId, channelId, day, ...channelChange);
      }
    }
    for (const [day, people] of personChanges) {
      for (const [personId, delta] of people) {
        if (isZero(delta)) continue;
        addToPersonDay.run(teamId, personId, day, ...delta);
        if (delta.some((value) => value < 0)) deleteEmptyPersonDay.run(teamId, personId, day);
      }
    }
  };
}
