/**
 * What a workspace's stored rows are, in words an admin reads before and
 * after disconnecting (pure). A table not named here (one added later) is
 * shown under its own name: it is deleted all the same.
 */
import { ANALYTICS_TABLES } from '../db/analytics-store.ts';
import type { TableCounts } from '../db/workspace-lifecycle-store.ts';

/** Channels and their sync state: an analytics table shown as its own kind. */
const ANALYTICS_CHANNELS_TABLE = 'analytics_channels';

export interface DataKindCount {
  kind: string;
  rows: number;
  /** The tables behind the kind, for the log and the CLI. */
  tables: string[];
}

/** Kinds in the order they are shown; each table belongs to one. */
const KINDS: readonly { kind: string; tables: readonly string[] }[] = [
  { kind: 'stored LLM API key and pseudonym secret', tables: ['workspace_secrets'] },
  { kind: 'settings (model, budgets, analytics, notices)', tables: ['workspace_settings'] },
  { kind: 'question records and usage', tables: ['questions'] },
  { kind: 'welcome records', tables: ['welcomed_users'] },
  {
    kind: 'analytics rows (message metadata, reactions, mentions, links, threads, daily figures)',
    tables: ANALYTICS_TABLES.filter((table) => table !== ANALYTICS_CHANNELS_TABLE),
  },
  { kind: 'analytics channels and sync state', tables: [ANALYTICS_CHANNELS_TABLE] },
  { kind: 'scheduled reports', tables: ['reports'] },
  { kind: 'report runs', tables: ['report_runs'] },
  { kind: 'report proposals', tables: ['report_proposals'] },
  { kind: 'channel join-notice records', tables: ['join_notices'] },
  { kind: 'workspace record', tables: ['workspaces'] },
];

/** Groups per-table counts into kinds, every table accounted for (unknown ones under their own name). */
export function groupByKind(counts: TableCounts): DataKindCount[] {
  const named = new Set(KINDS.flatMap((kind) => kind.tables));
  const known = KINDS.map(({ kind, tables }) => {
    const present = tables.filter((table) => table in counts);
    return { kind, tables: present, rows: present.reduce((sum, table) => sum + (counts[table] ?? 0), 0) };
  }).filter((kind) => kind.tables.length > 0);
  const others = Object.keys(counts)
    .filter((table) => !named.has(table))
    .sort()
    .map((table) => ({ kind: table, tables: [table], rows: counts[table] ?? 0 }));
  return [...known, ...others];
}

export function totalRows(counts: TableCounts): number {
  return Object.values(counts).reduce((sum, rows) => sum + rows, 0);
}
