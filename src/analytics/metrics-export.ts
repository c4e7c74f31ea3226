/**
 * Metrics export: per-person and per-channel CSVs of every additive signal
 * for a range, keyed by Slack id (and email, for matching with other tools),
 * sent to the admin's DM with Pulse. The figures come from the same metric
 * queries and the same channel scope as workspace_metrics (WorkspaceMetrics
 * builds the tables), so a column's values are what that tool returns.
 * Everything here but deliverMetricsExport is pure.
 */
import { LINK_KINDS, type LinkKind } from './classify-link.ts';
import type { Asker, Refusal } from './workspace-metrics.ts';
import type { Dimension, Metric, MetricRow } from '../db/analytics-queries.ts';
import { MS_PER_DAY } from './stored-message.ts';
import { toCsv } from '../csv.ts';

/** The additive signals a person has (bot_messages belongs to no person). */
export const PERSON_EXPORT_SIGNALS = [
  'messages',
  'threads_started',
  'replies',
  'help_replies',
  'reactions_given',
  'reactions_received',
  'mentions_given',
  'mentions_received',
  'links',
] as const satisfies readonly Metric[];
export const CHANNEL_EXPORT_SIGNALS = [...PERSON_EXPORT_SIGNALS, 'bot_messages'] as const satisfies readonly Metric[];
/** links split by kind of work item, one column each (links with link_kinds = [kind] in workspace_metrics). */
export const LINK_KIND_COLUMNS = LINK_KINDS.map((kind) => `links_${kind}` as const);

export const PERSON_KEY_COLUMNS = ['user_id', 'email', 'name'] as const;
export const CHANNEL_KEY_COLUMNS = ['channel_id', 'name'] as const;

/** Without dates, an export covers this many days up to today (as workspace_metrics does). */
export const DEFAULT_EXPORT_DAYS = 30;

export const EXPORT_ADMINS_ONLY =
  'Only Pulse admins can export metrics: the files name people and their figures. Ask a workspace admin to export them.';


export interface ExportedPerson {
  /** Slack user id, or the pseudonym in a pseudonymized workspace. */
  id: string;
  /** One value per signal column, in order. */
  values: number[];
}

export interface ExportedChannel {
  id: string;
  name: string;
  values: number[];
}

export interface MetricsExportTables {
  /** YYYY-MM-DD, inclusive (UTC days). */
  from: string;
  to: string;
  pseudonymized: boolean;
  personSignals: string[];
  channelSignals: string[];
  people: ExportedPerson[];
  channels: ExportedChannel[];
  /** Channels counted, as #name. */
  channelsCounted: string[];
  notes: string[];
}

/** What the admin (or the model, for the tool) is told once the files are in the DM. */
export interface MetricsExportReceipt {
  sent_to: string;
  files: string[];
  range: string;
  people: number;
  channels: number;
  channels_counted: string[];
  /** Each signal's sum over the per-channel file (the workspace total for the range). */
  totals: Record<string, number>;
  notes: string[];
}

/** What the export needs from Slack (src/slack implements it). */
export interface MetricsExportSlack {
  /** Names and profile emails; a person Slack gives no email for (no users:read.email) gets none. */
  lookupPeople(teamId: string, userIds: readonly string[]): Promise<Map<string, { name: string; email: string | undefined }>>;
  /** Posts `text` with the files attached in the person's DM with Pulse (files.uploadV2). */
  sendToDm(teamId: string, userId: string, message: { text: string; files: { filename: string; title: string; bytes: Buffer }[] }): Promise<void>;
}

// ---- ranges ----------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC day number for a real calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function parseExportDay(value: string): number | undefined {
  const ms = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : Math.floor(ms / MS_PER_DAY);
}

export function formatExportDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The last DEFAULT_EXPORT_DAYS days, today included (UTC), or fewer when the workspace keeps data for less. */
export function defaultExportRange(now: Date, retentionDays: number = DEFAULT_EXPORT_DAYS): { from: string; to: string } {
  const today = Math.floor(now.getTime() / MS_PER_DAY);
  return { from: formatExportDay(today - Math.min(DEFAULT_EXPORT_DAYS, retentionDays) + 1), to: formatExportDay(today) };
}

/** Why a range can't be exported (which field, in a sentence to show), or undefined when it can. */
export function describeExportRangeProblem(
  from: string,
  to: string,
  retentionDays: number,
): { field: 'from' | 'to'; message: string } | undefined {
  const fromDay = parseExportDay(from);
  if (fromDay === undefined) return { field: 'from', message: 'Enter the start as a real date written YYYY-MM-DD.' };
  const toDay = parseExportDay(to);
  if (toDay === undefined) return { field: 'to', message: 'Enter the end as a real date written YYYY-MM-DD.' };
  if (toDay < fromDay) return { field: 'to', message: 'The end date must be on or after the start date.' };
  // Pulse keeps no data older than the retention window, so a longer range would only look complete.
  if (toDay - fromDay + 1 > retentionDays) {
    return { field: 'from', message: `Export at most ${retentionDays.toLocaleString('en-US')} days (how long Pulse keeps data here).` };
  }
  return undefined;
}

/** The range to export: the dates given (checked), or the default one. */
export function resolveExportRange(
  request: { from?: string | undefined; to?: string | undefined },
  now: Date,
  retentionDays: number,
): { from: string; to: string } | Refusal {
  const to = request.to ?? defaultExportRange(now, retentionDays).to;
  const toDay = parseExportDay(to);
  const from = request.from ?? (toDay === undefined ? to : formatExportDay(toDay - Math.min(DEFAULT_EXPORT_DAYS, retentionDays) + 1));
  const problem = describeExportRangeProblem(from, to, retentionDays);
  return problem ? { refused: problem.message } : { from, to };
}

// ---- tables ----------------------------------------------------------------

/** Runs one metric query over the export's scope (WorkspaceMetrics passes its own query, with its channel scope). */
export type ExportQuery = (metric: Metric, groupBy: Dimension[]) => MetricRow[];

/**
 * The per-person and per-channel tables: one metric query per signal grouped
 * by person or channel (links by kind grouped by link_kind as well), exactly
 * what workspace_metrics runs for the same metric and grouping.
 */
export function buildExportTables(
  query: ExportQuery,
  scope: { from: string; to: string; pseudonymized: boolean; channelIds: readonly string[]; channelNames: ReadonlyMap<string, string>; notes: string[] },
): MetricsExportTables {
  const personSignals = [...PERSON_EXPORT_SIGNALS, ...LINK_KIND_COLUMNS];
  const channelSignals = [...CHANNEL_EXPORT_SIGNALS, ...LINK_KIND_COLUMNS];
  const collect = (dimension: 'person' | 'channel', signals: readonly Metric[]) => {
    const columns = signals.length + LINK_KINDS.length;
    const byKey = new Map<string, number[]>();
    const valuesOf = (key: string) => {
      let values = byKey.get(key);
      if (!values) byKey.set(key, (values = new Array<number>(columns).fill(0)));
      return values;
    };
    signals.forEach((signal, column) => {
      for (const row of query(signal, [dimension])) {
        const key = String(row.keys[dimension] ?? '');
        if (key !== '') valuesOf(key)[column] = row.value;
      }
    });
    for (const row of query('links', [dimension, 'link_kind'])) {
      const key = String(row.keys[dimension] ?? '');
      const kind = LINK_KINDS.indexOf(row.keys.link_kind as LinkKind);
      if (key !== '' && kind >= 0) valuesOf(key)[signals.length + kind] = row.value;
    }
    return byKey;
  };
  const people = [...collect('person', PERSON_EXPORT_SIGNALS)]
    .map(([id, values]) => ({ id, values }))
    .sort((a, b) => (b.values[0] as number) - (a.values[0] as number) || a.id.localeCompare(b.id));
  const channels = [...collect('channel', CHANNEL_EXPORT_SIGNALS)]
    .map(([id, values]) => ({ id, name: scope.channelNames.get(id) ?? id, values }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    from: scope.from,
    to: scope.to,
    pseudonymized: scope.pseudonymized,
    personSignals,
    channelSignals,
    people,
    channels,
    channelsCounted: scope.channelIds.map((id) => `#${scope.channelNames.get(id) ?? id}`),
    notes: scope.notes,
  };
}

/** The per-person CSV: user_id, email, name, then the signals. Pseudonymized workspaces: pseudonyms, no emails or names. */
export function buildPeopleCsv(tables: MetricsExportTables, directory: ReadonlyMap<string, { name: string; email: string | undefined }>): string {
  return toCsv(
    [...PERSON_KEY_COLUMNS, ...tables.personSignals],
    tables.people.map((person) => {
      const known = tables.pseudonymized ? undefined : directory.get(person.id);
      return [person.id, known?.email ?? '', known?.name ?? '', ...person.values];
    }),
  );
}

/** The per-channel CSV: channel_id, name, then the signals. */
export function buildChannelsCsv(tables: MetricsExportTables): string {
  return toCsv(
    [...CHANNEL_KEY_COLUMNS, ...tables.channelSignals],
    tables.channels.map((channel) => [channel.id, `#${channel.name}`, ...channel.values]),
  );
}

export function exportFileNames(tables: Pick<MetricsExportTables, 'from' | 'to'>): { people: string; channels: string } {
  const span = `${tables.from}-to-${tables.to}`;
  return { people: `pulse-people-metrics-${span}.csv`, channels: `pulse-channel-metrics-${span}.csv` };
}

/** Each channel-file column summed: the workspace's totals for the range. */
export function exportTotals(tables: MetricsExportTables): Record<string, number> {
  return Object.fromEntries(
    tables.channelSignals.map((signal, column) => [signal, tables.channels.reduce((sum, channel) => sum + (channel.values[column] ?? 0), 0)]),
  );
}

export function describeExportRange(tables: Pick<MetricsExportTables, 'from' | 'to'>): string {
  return `${tables.from} to ${tables.to} (UTC days, inclusive)`;
}

/** Looks up names and emails, builds both CSVs and sends them to the asker's DM with Pulse. */
export async function deliverMetricsExport(asker: Asker, tables: MetricsExportTables, slack: MetricsExportSlack): Promise<MetricsExportReceipt> {
  const directory = tables.pseudonymized
    ? new Map<string, { name: string; email: string | undefined }>()
    : await slack.lookupPeople(asker.teamId, tables.people.map((person) => person.id));
  const names = exportFileNames(tables);
  const range = describeExportRange(tables);
  const notes = [
    ...tables.notes,
    ...(tables.pseudonymized ? ['People are pseudonymized in this workspace: the files name pseudonyms (P-…), without emails or names.'] : []),
  ];
  const text = [
    `Here are Pulse's metrics for ${range}: ${tables.people.length.toLocaleString('en-US')} people and ${tables.channels.length.toLocaleString('en-US')} channels, keyed by Slack id${tables.pseudonymized ? ' (pseudonyms)' : ' and email'}.`,
    `Counted from the ${tables.channelsCounted.length} synced channel${tables.channelsCounted.length === 1 ? '' : 's'} you are a member of. Message text is never exported.`,
    ...notes,
  ].join('\n');
  await slack.sendToDm(asker.teamId, asker.userId, {
    text,
    files: [
      { filename: names.people, title: `Per-person metrics, ${tables.from} to ${tables.to}`, bytes: Buffer.from(buildPeopleCsv(tables, directory), 'utf8') },
      { filename: names.channels, title: `Per-channel metrics, ${tables.from} to ${tables.to}`, bytes: Buffer.from(buildChannelsCsv(tables), 'utf8') },
    ],
  });
  return {
    sent_to: "the asker's DM with Pulse",
    files: [names.people, names.channels],
    range,
    people: tables.people.length,
    channels: tables.channels.length,
    channels_counted: tables.channelsCounted,
    totals: exportTotals(tables),
    notes,
  };
}

/** The one line an admin reads after exporting from App Home. */
export function describeExportOutcome(result: Refusal | MetricsExportReceipt): string {
  if ('refused' in result) return `No export was sent: ${result.refused}`;
  return `Sent ${result.files.join(' and ')} to your DM with Pulse: ${result.people.toLocaleString('en-US')} people and ${result.channels.toLocaleString('en-US')} channels, ${result.range}.`;
}
