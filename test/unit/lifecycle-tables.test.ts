/**
 * Disconnecting deletes a workspace's rows from every table with team_id,
 * found from the drizzle schema. These tests fail when a table would escape
 * that: one without team_id that is not declared global, or one the
 * migrations create that the schema does not describe.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { groupByKind } from '../../src/lifecycle/data-kinds.ts';
import { WorkspaceLifecycle } from '../../src/lifecycle/workspace-lifecycle.ts';
import { createLogger } from '../../src/logger.ts';
import { createLifecycleStore, describeSchemaTables, GLOBAL_TABLES, teamTables } from '../../src/db/workspace-lifecycle-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { columnsOf, countTeamRows, seedTeamRows } from '../support/lifecycle-rows.ts';

let database: OpenedDatabase | undefined;
afterEach(() => {
  database?.close();
  database = undefined;
});

function open(): OpenedDatabase {
  database = openDatabase(':memory:');
  return database;
}

describe('the tables a disconnect deletes from', () => {
  it('are every schema table, except those declared global, and each has team_id', () => {
    const withoutTeam = describeSchemaTables().filter((table) => table.teamColumn === undefined);
    expect(withoutTeam.map((table) => table.name).filter((name) => !GLOBAL_TABLES.includes(name))).toEqual([]);
    expect(teamTables().length).toBeGreaterThan(15);
  });

  it('cover every table the migrations create: each has team_id, or is declared global', () => {
    const { db } = open();
    const sqlite = db.$client;
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    const deleted = new Set(teamTables().map((table) => table.name));
    const escaping = tables.filter((table) => !deleted.has(table) && !GLOBAL_TABLES.includes(table));
    expect(escaping).toEqual([]);
    for (const table of deleted) expect(columnsOf(sqlite, table).map((column) => column.name)).toContain('team_id');
  });

  it('deletes every row of one team in every table and leaves another team’s rows alone', () => {
    const { db } = open();
    seedTeamRows(db.$client, 'T1', 1);
    seedTeamRows(db.$client, 'T1', 2);
    seedTeamRows(db.$client, 'T2', 1);
    const store = createLifecycleStore(db);
    const before = countTeamRows(db.$client, 'T2');
    expect(Object.values(countTeamRows(db.$client, 'T1')).every((rows) => rows > 0)).toBe(true);

    const deleted = store.deleteTeamRows('T1');

    expect(Object.values(countTeamRows(db.$client, 'T1')).every((rows) => rows === 0)).toBe(true);
    expect(countTeamRows(db.$client, 'T2')).toEqual(before);
    // The workspaces row is one per team; every other table got two rows of T1.
    expect(deleted.workspaces).toBe(1);
    expect(deleted.questions).toBe(2);
    expect(store.teamsWithRows()).toEqual(['T2']);
  });

  it('counts what a disconnect would delete, grouped into kinds that account for every table', () => {
    const { db } = open();
    seedTeamRows(db.$client, 'T1');
    const counts = createLifecycleStore(db).countTeamRows('T1');
    const kinds = groupByKind(counts);
    expect(kinds.flatMap((kind) => kind.tables).sort()).toEqual(Object.keys(counts).sort());
    expect(kinds.find((kind) => kind.kind.startsWith('stored LLM API key'))?.rows).toBe(1);
    expect(kinds.reduce((sum, kind) => sum + kind.rows, 0)).toBe(Object.values(counts).reduce((sum, rows) => sum + rows, 0));
  });

  it('shows a table added later under its own name', () => {
    expect(groupByKind({ questions: 3, shiny_new_table: 2 })).toEqual([
      { kind: 'question records and usage', tables: ['questions'], rows: 3 },
      { kind: 'shiny_new_table', tables: ['shiny_new_table'], rows: 2 },
    ]);
  });
});

describe('a disconnect with an answer still running', () => {
  it('deletes at once after the grace period, and again what the answer wrote once it ends', async () => {
    const { db } = open();
    seedTeamRows(db.$client, 'T1');
    let finishAnswer: () => void = () => undefined;
    const answer = new Promise<void>((resolve) => {
      finishAnswer = resolve;
    });
    const logs: string[] = [];
    const lifecycle = new WorkspaceLifecycle({
      store: createLifecycleStore(db),
      stopWork: async () => undefined,
      answersFinished: () => answer,
      answerGraceMs: 20,
      logger: createLogger({ level: 'info', sink: (line) => logs.push(line) }),
    });

    const summary = await lifecycle.disconnect('T1', 'admin', 'U1');
    expect(summary.total).toBeGreaterThan(0);
    // The answer, still running, records an opt-out after the deletion.
    seedTeamRows(db.$client, 'T1', 2);
    finishAnswer();
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(Object.entries(countTeamRows(db.$client, 'T1')).filter(([, rows]) => rows > 0)).toEqual([]);
    expect(logs.some((line) => /rows written by answers that ended after the disconnect/.test(line))).toBe(true);
  });
});
