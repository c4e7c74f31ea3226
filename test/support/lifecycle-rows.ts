/**
 * Rows for every table of a migrated database, made from the tables'
 * own column lists (PRAGMA table_info), so a table added later gets rows
 * here without anyone writing a factory for it. Used to prove that a
 * workspace's deletion empties every table for that team and no other.
 */
import type { Database } from 'better-sqlite3';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
}

/** Tables of the database (SQLite's and drizzle's bookkeeping excluded). */
export function userTables(sqlite: Database): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((row) => row.name)
    .filter((name) => name !== '__drizzle_migrations');
}

export function columnsOf(sqlite: Database, table: string): ColumnInfo[] {
  return sqlite.prepare(`PRAGMA table_info("${table}")`).all() as ColumnInfo[];
}

/** Tables with a team_id column. */
export function teamTablesOf(sqlite: Database): string[] {
  return userTables(sqlite).filter((table) => columnsOf(sqlite, table).some((column) => column.name === 'team_id'));
}

/**
 * One row in each team table for `teamId` (INSERT OR IGNORE: a row the team
 * already has, like its workspaces row, stays). Text columns hold
 * `<team>-<column>-<n>`, integers n; an INTEGER primary key is left to SQLite.
 */
export function seedTeamRows(sqlite: Database, teamId: string, n = 1): void {
  for (const table of teamTablesOf(sqlite)) {
    const columns = columnsOf(sqlite, table).filter((column) => !(column.pk === 1 && column.type.toUpperCase() === 'INTEGER'));
    const values = columns.map((column) => {
      if (column.name === 'team_id') return teamId;
      return column.type.toUpperCase() === 'INTEGER' ? n : `${teamId}-${column.name}-${n}`;
    });
    sqlite
      .prepare(`INSERT OR IGNORE INTO "${table}" (${columns.map((column) => `"${column.name}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...values);
  }
}

/** Rows per team table for the team. */
export function countTeamRows(sqlite: Database, teamId: string): Record<string, number> {
  return Object.fromEntries(
    teamTablesOf(sqlite).map((table) => [table, (sqlite.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE team_id = ?`).get(teamId) as { n: number }).n]),
  );
}
