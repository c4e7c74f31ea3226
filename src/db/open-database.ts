/**
 * Opens the SQLite database and applies drizzle/ migrations before anything
 * else touches it. Tests use this same function (and so the same migrations).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type PulseDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Page cache per connection, in KiB. */
const PAGE_CACHE_KIB = 32 * 1024;
/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface OpenedDatabase {
  db: PulseDatabase;
  close(): void;
}

/** `path` may be ':memory:' for tests that need no file. */
export function openDatabase(path: string): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  // SQLite's default page cache is 2 MB; analytics indexes are written in channel-interleaved order and
  // read by range, and a larger cache keeps their hot pages in memory (a ceiling, not an allocation).
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
