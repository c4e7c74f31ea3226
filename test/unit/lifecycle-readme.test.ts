/**
 * README's "What Pulse reads and stores" is the transparency page an admin
 * reads before installing Pulse. These tests keep it complete: a scope added
 * to manifest.json, or a table or column added to src/db/schema.ts, fails
 * here until the section names it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeSchemaTables, TEAM_COLUMN } from '../../src/db/workspace-lifecycle-store.ts';

const SECTION_HEADING = '## What Pulse reads and stores';

function readSection(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`${SECTION_HEADING}\n`);
  if (start === -1) throw new Error(`README.md has no "${SECTION_HEADING}" section`);
  const end = readme.indexOf('\n## ', start + SECTION_HEADING.length);
  return readme.slice(start, end === -1 ? undefined : end);
}

const inlineCodeOf = (markdown: string) => new Set([...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!));

/** The storage table's rows, by the table name in their first cell. */
function storageRows(section: string): Map<string, string> {
  const rows = new Map<string, string>();
  const lines = section.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| table | columns |'));
  if (header === -1) throw new Error('no "| table | columns |" table in the section');
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const first = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (first) rows.set(first[1]!, line);
  }
  return rows;
}

describe('README “What Pulse reads and stores”', () => {
  const section = readSection();
  const tables = describeSchemaTables();

  it('names every bot scope manifest.json requests', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
    const named = inlineCodeOf(section);
    expect(manifest.oauth_config.scopes.bot.filter((scope) => !named.has(scope))).toEqual([]);
  });

  it('has a row for every table of the schema, and none for a table that does not exist', () => {
    const rows = storageRows(section);
    expect([...rows.keys()].sort()).toEqual(tables.map((table) => table.name).sort());
  });

  it('names every stored column in its table’s row (team_id once, for all)', () => {
    const rows = storageRows(section);
    const missing = tables.flatMap((table) => {
      const named = inlineCodeOf(rows.get(table.name) ?? '');
      return table.columns.filter((column) => column !== TEAM_COLUMN && !named.has(column)).map((column) => `${table.name}.${column}`);
    });
    expect(missing).toEqual([]);
    expect(inlineCodeOf(section).has(TEAM_COLUMN)).toBe(true);
  });

  it('names no column a table does not have', () => {
    const rows = storageRows(section);
    const invented = tables.flatMap((table) => {
      const row = rows.get(table.name) ?? '';
      const columnsCell = row.split('|')[2] ?? '';
      return [...inlineCodeOf(columnsCell)].filter((column) => !table.columns.includes(column)).map((column) => `${table.name}.${column}`);
    });
    expect(invented).toEqual([]);
  });
});
