/**
 * What the ingest left on disk and in the tables: file + WAL after a
 * checkpoint, per million messages and per table, and the shape of the stored
 * data (replies, threads, bots, the busiest and the median person) for the notes.
 */
import { statSync } from 'node:fs';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import type { PulseDatabase } from '../../src/db/open-database.ts';
import { TEAM_ID } from './generate.ts';

export interface SizeResult {
  fileBytes: number;
  walBytes: number;
  /** Pages on the freelist (rows deleted and rebuilt leave them), counted in fileBytes. */
  freeBytes: number;
  bytesPerMillion: number;
  tables: { name: string; bytes: number }[];
  rows: Record<string, number>;
}

export function measureSize(db: PulseDatabase, path: string, messages: number): SizeResult {
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const fileBytes = statSync(path).size;
  let walBytes = 0;
  try {
    walBytes = statSync(`${path}-wal`).size;
  } catch {
    walBytes = 0;
  }
  const tables = (db.$client.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as {
    name: string;
    bytes: number;
  }[]).filter((table) => table.name.startsWith('analytics') || table.name.startsWith('sqlite_autoindex_analytics'));
  const pragma = (name: string) => Number(db.$client.pragma(name, { simple: true }));
  return {
    fileBytes,
    walBytes,
    freeBytes: pragma('freelist_count') * pragma('page_size'),
    bytesPerMillion: ((fileBytes + walBytes) / messages) * 1_000_000,
    tables,
    rows: createAnalyticsStore(db).rowCounts(TEAM_ID),
  };
}

/** Counts of what was stored, read back from the tables (the ingest may have stopped short of what was asked). */
export function dataShape(db: PulseDatabase): Record<string, number> {
  const one = (sql: string) => (db.$client.prepare(sql).get(TEAM_ID) as { n: number }).n;
  const perPerson = (db.$client
    .prepare('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_person GROUP BY author_id ORDER BY n DESC')
    .all(TEAM_ID) as { n: number }[]).map((row) => row.n);
  return {
    messages: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ?'),
    replies: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_reply'),
    botMessages: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_bot'),
    threads: one('SELECT COUNT(*) AS n FROM analytics_threads WHERE team_id = ?'),
    questionThreads: one('SELECT COUNT(*) AS n FROM analytics_threads WHERE team_id = ? AND root_is_question'),
    helpReplies: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_help_reply'),
    topPersonMessages: perPerson[0] ?? 0,
    medianPersonMessages: perPerson[Math.floor(perPerson.length / 2)] ?? 0,
  };
}
