/**
 * Rebuilds the derived analytics rows — help-reply flags, threads, and the
 * day sums per channel-day (with each person's packed in) and per person —
 * for the threads and days marked dirty, then clears the marks. Flags and
 * threads are set-based SQL that starts from the (small) dirty set; the day
 * sums are re-added in JS, one dirty (channel, day) at a time, and only the
 * rows whose sums changed are written (per-person sums packed, people-sums.ts).
 */
import type { Database, Statement } from 'better-sqlite3';
import { LINK_KINDS } from '../analytics/classify-link.ts';
import { createPeopleKeys } from './analytics-people.ts';
import { parseMentions, parseReactions } from './message-list-columns.ts';
import {
  addSums, encodePeopleSums, forEachPersonSums, sameBlob, sameSums, SUM_COLUMNS, SUM_COUNT, SUM_INDEX, sumsFor, zeroSums, type Sums,
} from './people-sums.ts';

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

const SUMS = SUM_COLUMNS.join(', ');
const { messages: MESSAGES, threads_started: THREADS_STARTED, replies: REPLIES, help_replies: HELP_REPLIES, reactions_given: REACTIONS_GIVEN,
  reactions_received: REACTIONS_RECEIVED, mentions_given: MENTIONS_GIVEN, mentions_received: MENTIONS_RECEIVED, links: LINKS,
  bot_messages: BOT_MESSAGES } = SUM_INDEX;

const bump = (sums: Sums, index: number, value: number) => {
  sums[index] = (sums[index] as number) + value;
};

type MessageSumRow = [
  isPerson: number, authorId: string | null, isRoot: number, isReply: number, isHelpReply: number, reactionsReceived: number,
  mentionCount: number, linkCount: number, isBot: number, reactions: string | null, mentions: string | null,
];

/**
 * Re-adds each dirty (channel, day) from its messages and writes its row where it changed: the sums over everyone and
 * the packed per-person sums. A day whose per-person sums changed in any channel then gets its per-day row re-added
 * from that day's channel rows (exact by construction: no running differences to drift). A day's messages are read by
 * primary-key range and grouped in a Map; one row per channel-day is written, where a row per channel, person and day
 * used to be (most of a backfill's time went to those rows and their indexes).
 */
function createDaySumRebuilder(sqlite: Database): (teamId: string) => void {
  const peopleKeys = createPeopleKeys(sqlite);
  const selectDirtyDays = sqlite.prepare('SELECT channel_id, day FROM analytics_dirty_days WHERE team_id = ? ORDER BY day, channel_id').raw();
  // A day's rows are found through the (team, channel, ts) primary key: a ts is ten digits of seconds, a dot and micros,
  // so text order is time order and the day is a ts range (no day index to maintain on every insert).
  const selectMessages = sqlite
    .prepare(`
      SELECT is_person, author_id, is_root, is_reply, is_help_reply, reactions_received, mention_count, link_count, is_bot,
        reactions, mentions
      FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts >= ? AND ts < ?`)
    .raw();
  const selectChannelDay = sqlite
    .prepare(`SELECT ${SUMS}, people FROM analytics_channel_days WHERE team_id = ? AND channel_id = ? AND day = ?`)
    .raw();
  const upsertChannelDay = sqlite.prepare(`
    INSERT INTO analytics_channel_days (team_id, channel_id, day, ${SUMS}, people) VALUES (?, ?, ?, ${SUM_COLUMNS.map(() => '?').join(', ')}, ?)
    ON CONFLICT (team_id, channel_id, day) DO UPDATE SET ${[...SUM_COLUMNS, 'people'].map((column) => `${column} = excluded.${column}`).join(', ')}`);
  const deleteChannelDay = sqlite.prepare('DELETE FROM analytics_channel_days WHERE team_id = ? AND channel_id = ? AND day = ?');
  const selectDayPeople = sqlite
    .prepare('SELECT people FROM analytics_channel_days WHERE team_id = ? AND day = ? AND people IS NOT NULL')
    .pluck();
  const upsertPersonDay = sqlite.prepare(`
    INSERT INTO analytics_person_days (team_id, day, people) VALUES (?, ?, ?)
    ON CONFLICT (team_id, day) DO UPDATE SET people = excluded.people`);
  const deletePersonDay = sqlite.prepare('DELETE FROM analytics_person_days WHERE team_id = ? AND day = ?');

  /** The sums of one channel-day as its stored messages now say, by person ('' for messages no person wrote). */
  function sumDay(teamId: string, channelId: string, day: number): Map<string, Sums> {
    const sums = new Map<string, Sums>();
    const rows = selectMessages.all(teamId, channelId, String(day * 86_400), String((day + 1) * 86_400)) as MessageSumRow[];
    for (const [isPerson, authorId, isRoot, isReply, isHelpReply, reactionsReceived, mentionCount, linkCount, isBot, reactions, mentions] of rows) {
      const target = sumsFor(sums, isPerson ? (authorId as string) : '');
      bump(target, MESSAGES, isPerson);
      bump(target, THREADS_STARTED, isPerson && isRoot ? 1 : 0);
      bump(target, REPLIES, isPerson && isReply ? 1 : 0);
      bump(target, HELP_REPLIES, isHelpReply);
      bump(target, REACTIONS_RECEIVED, reactionsReceived);
      bump(target, MENTIONS_GIVEN, mentionCount);
      bump(target, LINKS, linkCount);
      bump(target, BOT_MESSAGES, isBot);
      // Reactions given: every reaction but the author's own (on anyone's message); mentions were stored without oneself.
      if (reactions) {
        for (const [, userId] of parseReactions(reactions)) if (userId !== authorId) bump(sumsFor(sums, userId), REACTIONS_GIVEN, 1);
      }
      if (mentions) for (const userId of parseMentions(mentions)) bump(sumsFor(sums, userId), MENTIONS_RECEIVED, 1);
    }
    return sums;
  }

  return function rebuildDays(teamId: string): void {
    const keyOf = peopleKeys.writer(teamId);
    // Days whose per-person sums changed in some channel: their per-day row is re-added from the day's channel rows.
    const changedDays = new Set<number>();
    for (const [channelId, day] of selectDirtyDays.all(teamId) as [string, number][]) {
      const fresh = sumDay(teamId, channelId, day);
      const stored = selectChannelDay.get(teamId, channelId, day) as [...number[], Buffer | null] | undefined;
      const storedPeople = stored ? (stored[SUM_COUNT] as Buffer | null) : null;
      // A channel-day row exists exactly when the day has a stored message.
      if (fresh.size === 0) {
        if (stored) deleteChannelDay.run(teamId, channelId, day);
        if (storedPeople) changedDays.add(day);
        continue;
      }
      const totals = zeroSums();
      const freshPeople = new Map<number, Sums>();
      for (const [personId, sums] of fresh) {
        addSums(totals, sums);
        if (personId !== '') freshPeople.set(keyOf(personId), sums);
      }
      const people = encodePeopleSums(freshPeople);
      const samePeople = sameBlob(storedPeople, people);
      if (!samePeople) changedDays.add(day);
      if (!stored || !samePeople || !sameSums(stored.slice(0, SUM_COUNT) as number[], totals)) {
        upsertChannelDay.run(teamId, channelId, day, ...totals, people);
      }
    }
    for (const day of changedDays) {
      const people = new Map<number, Sums>();
      for (const blob of selectDayPeople.all(teamId, day) as Buffer[]) {
        forEachPersonSums(blob, (key, sums) => addSums(sumsFor(people, key), sums));
      }
      const packed = encodePeopleSums(people);
      if (packed) upsertPersonDay.run(teamId, day, packed);
      else deletePersonDay.run(teamId, day);
    }
  };
}
