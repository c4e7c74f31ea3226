/**
 * The rows a workspace's lifecycle touches: every row of a team (counted and
 * deleted on disconnect or uninstall) and the join-notice records.
 *
 * The tables are enumerated from the drizzle schema, not listed by hand:
 * every table with a `team_id` column is the workspace's, so a table added
 * later is deleted with the rest without anyone remembering to add it here.
 * A table without `team_id` must be named in GLOBAL_TABLES (the unit test
 * test/unit/lifecycle-tables.test.ts fails otherwise).
 *
 * The only module outside src/db/ that uses drizzle: it reads the schema's
 * own description of itself. It could move to src/db/ unchanged.
 */
import { and, count, eq, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { PulseDatabase } from './open-database.ts';
import * as schema from './schema.ts';

/** The column every workspace-owned table carries. */
export const TEAM_COLUMN = 'team_id';

/**
 * Tables that hold no workspace's data, so disconnecting leaves them alone.
 * drizzle's migration journal and SQLite's AUTOINCREMENT counters; no table of
 * src/db/schema.ts is global today.
 */
export const GLOBAL_TABLES: readonly string[] = ['__drizzle_migrations', 'sqlite_sequence'];

export interface SchemaTable {
  name: string;
  columns: string[];
  teamColumn: SQLiteColumn | undefined;
  table: SQLiteTable;
}

/** Every table of src/db/schema.ts, with its column names. */
export function describeSchemaTables(): SchemaTable[] {
  return Object.values(schema as Record<string, unknown>)
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map((table) => {
      const config = getTableConfig(table);
      return {
        name: config.name,
        columns: config.columns.map((column) => column.name),
        teamColumn: config.columns.find((column) => column.name === TEAM_COLUMN),
        table,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The workspace's tables: every schema table with a team_id column. */
export function teamTables(): (SchemaTable & { teamColumn: SQLiteColumn })[] {
  return describeSchemaTables().filter((table): table is SchemaTable & { teamColumn: SQLiteColumn } => table.teamColumn !== undefined);
}

/** Rows per table name. */
export type TableCounts = Record<string, number>;

export type JoinNoticeReason = (typeof schema.joinNotices.$inferInsert)['reason'];

export function createLifecycleStore(db: PulseDatabase, now: () => Date = () => new Date()) {
  const tables = teamTables();
  return {
    /** How many rows each of the workspace's tables holds for the team. */
    countTeamRows(teamId: string): TableCounts {
      return Object.fromEntries(
        tables.map(({ name, table, teamColumn }) => [name, db.select({ rows: count() }).from(table).where(eq(teamColumn, teamId)).get()?.rows ?? 0]),
      );
    },

    /** Deletes every row of the team in one transaction; returns what each table lost. */
    deleteTeamRows(teamId: string): TableCounts {
      return db.transaction((tx) =>
        Object.fromEntries(tables.map(({ name, table, teamColumn }) => [name, tx.delete(table).where(eq(teamColumn, teamId)).run().changes])),
      );
    },

    /** Teams that have any row anywhere (the workspaces table may already have lost theirs). */
    teamsWithRows(): string[] {
      const teams = new Set<string>();
      for (const { table, teamColumn } of tables) {
        for (const row of db.selectDistinct({ teamId: teamColumn }).from(table).all()) teams.add(String(row.teamId));
      }
      return [...teams].sort();
    },

    /**
     * Records that the channel gets its notice. True only for the caller whose
     * insert landed: two paths announcing one join cannot both post.
     */
    claimJoinNotice(teamId: string, channelId: string, reason: JoinNoticeReason): boolean {
      const result = db
        .insert(schema.joinNotices)
        .values({ teamId, channelId, reason, createdAt: now() })
        .onConflictDoNothing()
        .run();
      return result.changes > 0;
    },

    recordJoinNoticePosted(teamId: string, channelId: string, messageTs: string | undefined): void {
      db.update(schema.joinNotices)
        .set({ messageTs: messageTs ?? null })
        .where(and(eq(schema.joinNotices.teamId, teamId), eq(schema.joinNotices.channelId, channelId)))
        .run();
    },

    /** Forgets a claim whose notice Slack refused, so a later join may post it. */
    releaseJoinNotice(teamId: string, channelId: string): void {
      db.delete(schema.joinNotices)
        .where(and(eq(schema.joinNotices.teamId, teamId), eq(schema.joinNotices.channelId, channelId)))
        .run();
    },
  };
}

export type LifecycleStore = ReturnType<typeof createLifecycleStore>;
