/**
 * Migration 0007 (packed rollups) on a database the previous Pulse wrote.
 * A file is built with migrations 0000–0006 only and filled, with raw SQL, the
 * way the old store filled it: message rows, one analytics_reactions row per
 * listed reactor, one analytics_mentions row per mention, link rows, dirty
 * marks. Then the real openDatabase upgrades it and the store rebuilds what
 * is pending, as Pulse does at startup. Proven, for a database left with its
 * rebuild pending and for one fully rebuilt (no marks left, so only the marks
 * the migration adds get the day sums re-added):
 * - analytics_reactions, analytics_mentions and analytics_daily are gone, and
 *   each message's reactions and mentions columns hold exactly its old rows
 *   (null when it had none);
 * - every metric then equals the reference over the stored messages;
 * - a second workspace in the same file, with the same channels and ts but
 *   other reactors and mentions, comes through on its own, unmixed;
 * - writes, re-writes, late replies and a live reaction after the upgrade keep
 *   every metric equal to the reference.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageMetadata } from '../../src/analytics/message-metadata.ts';
import { isPersonMessage, isThreadRoot } from '../../src/analytics/message-roles.ts';
import type { StoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsQueries } from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { SUM_COLUMNS } from '../../src/db/people-sums.ts';
import {
  CHANNELS,
  OTHER_TEAM,
  PEOPLE,
  TEAM,
  createRandom,
  generateWorkspace,
  reply,
  storedMessages,
} from '../support/analytics-factories.ts';
import { differencesFromReference } from '../support/analytics-reference.ts';

const DRIZZLE = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** The last migration the previous Pulse had. */
const OLD_LAST_INDEX = 6;
const SEED = 7007;

const opened: OpenedDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-0007-'));
  dirs.push(dir);
  return dir;
}

// ---- the workspaces --------------------------------------------------------

const ACME = generateWorkspace(createRandom(SEED));

/** Another person in PEOPLE's place (a bijection on PEOPLE; anyone else stays). */
const shifted = (userId: string): string => {
  const at = (PEOPLE as readonly string[]).indexOf(userId);
  return at === -1 ? userId : (PEOPLE[(at + 1) % PEOPLE.length] as string);
};

/** The same channels, ts and authors in another team, reacted to and mentioning other people: same keys, other rows. */
const OTHER = ACME.map((one): MessageMetadata => ({
  ...one,
  teamId: OTHER_TEAM,
  reactions: one.reactions.map((reaction) => ({ ...reaction, userIds: reaction.userIds.map(shifted) })),
  mentionedUserIds: one.mentionedUserIds.map(shifted),
}));

// ---- the previous Pulse's database -----------------------------------------

/** drizzle/ as the previous Pulse shipped it: migrations 0000–0006 and a journal that ends there. */
function oldMigrationsFolder(): string {
  const folder = tempDir();
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(DRIZZLE, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const entries = journal.entries.filter((entry) => entry.idx <= OLD_LAST_INDEX);
  expect(entries.map((entry) => entry.idx)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  for (const { tag } of entries) copyFileSync(join(DRIZZLE, `${tag}.sql`), join(folder, `${tag}.sql`));
  for (const name of readdirSync(join(DRIZZLE, 'meta'))) {
    const index = /^(\d{4})_snapshot\.json$/.exec(name)?.[1];
    if (index !== undefined && Number(index) <= OLD_LAST_INDEX) copyFileSync(join(DRIZZLE, 'meta', name), join(folder, 'meta', name));
  }
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }, null, 2));
  return folder;
}

/** A database file at schema 0006, opened the way openDatabase opened it then. */
function openOldDatabase(path: string): Database.Database {
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: oldMigrationsFolder() });
  return sqlite;
}

/** The columns the old store's upsert set (is_help_reply and replies_synced_ts were left to the rebuild and the reply sync). */
const OLD_MESSAGE_COLUMNS = [
  'team_id', 'channel_id', 'ts', 'ts_ms', 'day', 'thread_ts', 'author_id', 'bot_id', 'subtype', 'is_bot', 'is_person', 'is_reply', 'is_root',
  'is_question', 'char_count', 'reply_count', 'reply_users', 'latest_reply', 'reactions_received', 'mention_count', 'link_count', 'link_mask',
  'file_count', 'edited', 'text',
] as const;

/**
 * What the old writeMessages stored for one batch with its rebuild deferred: message rows, their reactions, mentions
 * and links, each reply's root made a thread root, and every day and thread marked for the next rebuild.
 */
function writeOldRows(sqlite: Database.Database, teamId: string, messages: readonly StoredMessage[]): void {
  const insertMessage = sqlite.prepare(
    `INSERT INTO analytics_messages (${OLD_MESSAGE_COLUMNS.join(', ')}) VALUES (${OLD_MESSAGE_COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertReaction = sqlite.prepare(
    'INSERT OR IGNORE INTO analytics_reactions (team_id, channel_id, ts, name, user_id, author_id, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMention = sqlite.prepare(
    'INSERT OR IGNORE INTO analytics_mentions (team_id, channel_id, ts, user_id, author_id, day) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertLink = sqlite.prepare(
    'INSERT INTO analytics_links (team_id, channel_id, ts, kind, count, author_id, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const markRoot = sqlite.prepare(
    'UPDATE analytics_messages SET is_root = 1, thread_ts = COALESCE(thread_ts, ts) WHERE team_id = ? AND channel_id = ? AND ts = ? AND is_root = 0',
  );
  const touchDay = sqlite.prepare('INSERT OR IGNORE INTO analytics_dirty_days (team_id, channel_id, day) VALUES (?, ?, ?)');
  const touchThread = sqlite.prepare('INSERT OR IGNORE INTO analytics_dirty_threads (team_id, channel_id, thread_ts) VALUES (?, ?, ?)');
  sqlite.transaction(() => {
    for (const m of messages) {
      insertMessage.run(
        m.teamId, m.channelId, m.ts, m.tsMs, m.day, m.threadTs, m.authorId, m.botId, m.subtype, Number(m.isBot), Number(m.isPerson),
        Number(m.isReply), Number(m.isRoot), Number(m.isQuestion), m.charCount, m.replyCount, JSON.stringify(m.replyUsers), m.latestReply,
        m.reactionsReceived, m.mentionCount, m.linkCount, m.linkMask, m.fileCount, Number(m.edited), m.text,
      );
      for (const { name, userId } of m.reactions) insertReaction.run(teamId, m.channelId, m.ts, name, userId, m.authorId, m.day);
      for (const userId of m.mentions) insertMention.run(teamId, m.channelId, m.ts, userId, m.authorId, m.day);
      for (const { kind, count } of m.links) insertLink.run(teamId, m.channelId, m.ts, kind, count, m.authorId, m.day);
      touchDay.run(teamId, m.channelId, m.day);
      const thread = m.isReply && m.threadTs ? m.threadTs : m.isRoot || m.threadTs ? m.ts : null;
      if (thread) touchThread.run(teamId, m.channelId, thread);
    }
    // Every root is written before its replies here, so marking each reply's root afterwards is what the old store did.
    for (const m of messages) if (m.isReply && m.threadTs) markRoot.run(teamId, m.channelId, m.threadTs);
  })();
}

/**
 * What the old rebuild left: help-reply flags, threads and channel-day sums, and no marks. The flag and thread SQL is
 * the same before and after 0007 and the sums mean the same, so a current store's rows over the same messages are the
 * old ones. (analytics_daily and the old analytics_person_days are dropped unread, so they are left empty.)
 */
function rebuildLikeOldPulse(sqlite: Database.Database, teamId: string, messages: readonly StoredMessage[]): void {
  const scratch = openDatabase(':memory:');
  try {
    createAnalyticsStore(scratch.db).writeMessages(teamId, messages);
    const source = scratch.db.$client;
    const threadColumns = [
      'team_id', 'channel_id', 'thread_ts', 'root_author_id', 'root_is_question', 'ts_ms', 'day', 'replies', 'participants', 'first_reply_ms', 'link_mask',
    ];
    const dayColumns = ['team_id', 'channel_id', 'day', ...SUM_COLUMNS];
    const copy = (table: string, columns: string[]) => ({
      rows: source.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE team_id = ?`).raw().all(teamId) as unknown[][],
      insert: sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`),
    });
    const helpReplies = source.prepare('SELECT channel_id, ts FROM analytics_messages WHERE team_id = ? AND is_help_reply').raw().all(teamId) as string[][];
    const threads = copy('analytics_threads', threadColumns);
    const days = copy('analytics_channel_days', dayColumns);
    expect(helpReplies.length).toBeGreaterThan(0);
    const flag = sqlite.prepare('UPDATE analytics_messages SET is_help_reply = 1 WHERE team_id = ? AND channel_id = ? AND ts = ?');
    sqlite.transaction(() => {
      for (const [channelId, ts] of helpReplies) flag.run(teamId, channelId, ts);
      for (const { rows, insert } of [threads, days]) for (const row of rows) insert.run(...row);
      sqlite.prepare('DELETE FROM analytics_dirty_days WHERE team_id = ?').run(teamId);
      sqlite.prepare('DELETE FROM analytics_dirty_threads WHERE team_id = ?').run(teamId);
    })();
  } finally {
    scratch.close();
  }
}

/** Each message's reactions ("name user" pairs) and mentions, sorted; messages with neither are left out. */
type PerMessage = Record<string, { reactions?: string[]; mentions?: string[] }>;

function collect(rows: { key: string; reactions?: string[]; mentions?: string[] }[]): PerMessage {
  const out: PerMessage = {};
  for (const { key, reactions, mentions } of rows) {
    const entry = (out[key] ??= {});
    if (reactions) entry.reactions = [...(entry.reactions ?? []), ...reactions].sort();
    if (mentions) entry.mentions = [...(entry.mentions ?? []), ...mentions].sort();
  }
  return out;
}

const keyOf = (teamId: string, channelId: string, ts: string) => `${teamId} ${channelId} ${ts}`;

/** What the old analytics_reactions and analytics_mentions tables hold. */
function oldRows(sqlite: Database.Database): PerMessage {
  const reactions = sqlite.prepare('SELECT team_id, channel_id, ts, name, user_id FROM analytics_reactions').raw().all() as string[][];
  const mentions = sqlite.prepare('SELECT team_id, channel_id, ts, user_id FROM analytics_mentions').raw().all() as string[][];
  return collect([
    ...reactions.map(([team, channel, ts, name, user]) => ({ key: keyOf(team!, channel!, ts!), reactions: [`${name} ${user}`] })),
    ...mentions.map(([team, channel, ts, user]) => ({ key: keyOf(team!, channel!, ts!), mentions: [user!] })),
  ]);
}

/** What the migrated reactions and mentions columns hold; a column that is not null is kept even when empty. */
function migratedColumns(sqlite: Database.Database): PerMessage {
  const rows = sqlite
    .prepare('SELECT team_id, channel_id, ts, reactions, mentions FROM analytics_messages WHERE reactions IS NOT NULL OR mentions IS NOT NULL')
    .raw()
    .all() as [string, string, string, string | null, string | null][];
  return collect(rows.map(([team, channel, ts, reactions, mentions]) => ({
    key: keyOf(team, channel, ts),
    ...(reactions === null ? {} : { reactions: (JSON.parse(reactions) as [string, string][]).map(([name, user]) => `${name} ${user}`) }),
    ...(mentions === null ? {} : { mentions: JSON.parse(mentions) as string[] }),
  })));
}

/** What the stored messages say the rows are. */
function expectedRows(messages: readonly StoredMessage[]): PerMessage {
  return collect(messages.filter((m) => m.reactions.length > 0 || m.mentions.length > 0).map((m) => ({
    key: keyOf(m.teamId, m.channelId, m.ts),
    ...(m.reactions.length > 0 ? { reactions: m.reactions.map(({ name, userId }) => `${name} ${userId}`) } : {}),
    ...(m.mentions.length > 0 ? { mentions: m.mentions } : {}),
  })));
}

function tableNames(sqlite: Database.Database): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).sort();
}

const countRows = (sqlite: Database.Database, table: string, teamId: string) =>
  (sqlite.prepare(`SELECT COUNT(*) FROM ${table} WHERE team_id = ?`).pluck().get(teamId) as number);

/**
 * Writes both workspaces into an 0006 database as the old store did (rebuilt or not), closes it, and opens it with
 * the real openDatabase, which applies 0007. Returns the upgraded database and what the old tables held.
 */
function upgradeOldDatabase(rebuilt: boolean) {
  const path = join(tempDir(), 'pulse.db');
  const old = openOldDatabase(path);
  const acme = storedMessages(ACME);
  const other = storedMessages(OTHER);
  writeOldRows(old, TEAM, acme);
  writeOldRows(old, OTHER_TEAM, other);
  if (rebuilt) {
    rebuildLikeOldPulse(old, TEAM, acme);
    rebuildLikeOldPulse(old, OTHER_TEAM, other);
  }
  const before = { rows: oldRows(old), tables: tableNames(old) };
  old.close();

  const database = openDatabase(path);
  opened.push(database);
  const sqlite = database.db.$client;
  return {
    sqlite,
    before,
    acme,
    other,
    store: createAnalyticsStore(database.db),
    queries: createAnalyticsQueries(database.db),
  };
}

// ---- the tests ---------------------------------------------------------------

const OLD_STATES = [
  { state: 'left with its rebuild pending', rebuilt: false },
  { state: 'fully rebuilt, no marks left', rebuilt: true },
];

describe.each(OLD_STATES)('migration 0007 on a database the previous Pulse wrote, $state', ({ rebuilt }) => {
  it('moves every reaction and mention row into its message and drops the old tables', () => {
    const { sqlite, before, acme, other } = upgradeOldDatabase(rebuilt);

    expect(before.tables).toEqual(expect.arrayContaining(['analytics_reactions', 'analytics_mentions', 'analytics_daily']));
    // The old database held what the old store would have written (and enough of it to mean something).
    expect(before.rows).toEqual(expectedRows([...acme, ...other]));
    expect(Object.values(before.rows).filter((entry) => entry.reactions).length).toBeGreaterThan(100);
    expect(Object.values(before.rows).filter((entry) => entry.mentions).length).toBeGreaterThan(50);

    const tables = tableNames(sqlite);
    for (const gone of ['analytics_reactions', 'analytics_mentions', 'analytics_daily']) expect(tables).not.toContain(gone);
    expect(tables).toEqual(expect.arrayContaining(['analytics_people', 'analytics_person_days', 'analytics_channel_days']));
    expect(migratedColumns(sqlite)).toEqual(before.rows);
    expect(countRows(sqlite, 'analytics_messages', TEAM)).toBe(ACME.length);
    expect(countRows(sqlite, 'analytics_messages', OTHER_TEAM)).toBe(OTHER.length);
  });

  it('gives every metric as the reference after the startup rebuild, each workspace on its own', () => {
    const { sqlite, store, queries } = upgradeOldDatabase(rebuilt);
    // Every day of both workspaces waits for its re-sum (the migration marks the rebuilt ones).
    expect(countRows(sqlite, 'analytics_dirty_days', TEAM)).toBeGreaterThan(0);
    expect(countRows(sqlite, 'analytics_dirty_days', OTHER_TEAM)).toBe(countRows(sqlite, 'analytics_dirty_days', TEAM));

    store.rebuildPending(TEAM);

    expect(differencesFromReference(queries, ACME, TEAM)).toEqual([]);
    expect(countRows(sqlite, 'analytics_dirty_days', TEAM)).toBe(0);
    expect(countRows(sqlite, 'analytics_dirty_threads', TEAM)).toBe(0);
    // The other workspace's marks wait for its own Pulse.
    expect(countRows(sqlite, 'analytics_dirty_days', OTHER_TEAM)).toBeGreaterThan(0);

    store.rebuildPending(OTHER_TEAM);

    expect(differencesFromReference(queries, OTHER, OTHER_TEAM)).toEqual([]);
    expect(differencesFromReference(queries, ACME, TEAM)).toEqual([]);
    // Same keys, other reactors: the two workspaces' figures differ, so a mix-up would have shown.
    const reactionsGiven = (teamId: string) =>
      queries.metric({ teamId, metric: 'reactions_given', groupBy: ['person'], channelIds: [...CHANNELS], fromDay: 0, toDay: 1_000_000 });
    expect(reactionsGiven(OTHER_TEAM)).not.toEqual(reactionsGiven(TEAM));
  });

  it('keeps every metric right for writes after the upgrade: new messages, re-written ones, late replies, a live reaction', () => {
    const { sqlite, store, queries } = upgradeOldDatabase(rebuilt);
    store.rebuildPending(TEAM);
    store.rebuildPending(OTHER_TEAM);

    const taken = new Set(ACME.map((m) => `${m.channelId} ${m.ts}`));
    const fresh = generateWorkspace(createRandom(SEED + 1), { roots: 80 }).filter((m) => !taken.has(`${m.channelId} ${m.ts}`));
    // Old messages as Slack now describes them: reactions and mentions taken back.
    const rewritten = ACME.filter((m) => m.reactions.length > 0 || m.mentionedUserIds.length > 0)
      .slice(0, 20)
      .map((m): MessageMetadata => ({ ...m, reactions: [], mentionedUserIds: [], edited: true }));
    // Answers, by someone else, to old questions.
    const lateReplies = ACME.filter((m) => isThreadRoot(m) && isPersonMessage(m) && m.isQuestion)
      .slice(0, 10)
      .map((root, index) => reply(root, {
        ts: `${Math.floor(Number(root.ts)) + 4_000 + index}.000007`,
        authorId: PEOPLE.find((person) => person !== root.authorId) as string,
      }));
    for (const m of fresh) taken.add(`${m.channelId} ${m.ts}`);
    expect(lateReplies.filter((m) => taken.has(`${m.channelId} ${m.ts}`))).toEqual([]);

    store.writeMessages(TEAM, storedMessages([...fresh, ...rewritten, ...lateReplies]));

    // A live reaction taken off an old message whose reactions the migration carried over.
    const rewrittenKeys = new Set(rewritten.map((m) => `${m.channelId} ${m.ts}`));
    const target = ACME.find((m) => !rewrittenKeys.has(`${m.channelId} ${m.ts}`) && isPersonMessage(m)
      && m.reactions.some((reaction) => reaction.userIds.some((userId) => userId !== m.authorId))) as MessageMetadata;
    const removed = target.reactions.find((reaction) => reaction.userIds.some((userId) => userId !== target.authorId))!;
    const reactor = removed.userIds.find((userId) => userId !== target.authorId)!;
    expect(store.applyReaction({ teamId: TEAM, channelId: target.channelId, ts: target.ts, name: removed.name, userId: reactor, added: false })).toBe(true);
    const unreacted: MessageMetadata = {
      ...target,
      reactions: target.reactions
        .map((reaction) => reaction === removed
          ? { ...reaction, count: reaction.count - 1, userIds: reaction.userIds.filter((userId) => userId !== reactor) }
          : reaction)
        .filter((reaction) => reaction.count > 0),
    };

    const replaced = new Map([...rewritten, unreacted].map((m) => [`${m.channelId} ${m.ts}`, m]));
    const now = [...ACME.map((m) => replaced.get(`${m.channelId} ${m.ts}`) ?? m), ...fresh, ...lateReplies];
    expect(differencesFromReference(queries, now, TEAM)).toEqual([]);
    expect(differencesFromReference(queries, OTHER, OTHER_TEAM)).toEqual([]);
    expect(countRows(sqlite, 'analytics_dirty_days', TEAM)).toBe(0);
  });
});
