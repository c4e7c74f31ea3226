/**
 * A fixed metric report (pure): the saved query over a rolling window → the
 * workspace_metrics request for today; its table → a Markdown summary, a CSV
 * and a chart's arguments. No LLM: a metric report runs when the model is down.
 */
import { MAX_CHART_POINTS, MAX_CHART_SERIES } from '../charts/chart-arguments.ts';
import type { ChartArguments } from '../charts/chart-arguments.ts';
import type { MetricRequest } from '../analytics/workspace-metrics.ts';
import { DIMENSIONS, METRICS } from '../db/analytics-queries.ts';
import { LINK_KINDS } from '../analytics/classify-link.ts';
import { z } from 'zod';

/** Rows shown in the message itself; the CSV has them all. */
export const SUMMARY_ROWS = 10;
/** The longest rolling window a report may cover, a year and a bit (what analytics keeps by default). */
export const MAX_REPORT_DAYS = 400;

/** Channels or people a saved query may name, as workspace_metrics allows. */
export const MAX_QUERY_FILTERS = 50;
/** The largest top N a saved query may ask for, as workspace_metrics allows. */
export const MAX_QUERY_TOP = 100;

/** A saved metric query: workspace_metrics' arguments, with a rolling window of `days` ending on the run's day. */
export const metricQuerySchema = z.object({
  metric: z.enum(METRICS),
  group_by: z.array(z.enum(DIMENSIONS)).max(2).default([]),
  channels: z.array(z.string().min(1)).max(MAX_QUERY_FILTERS).optional(),
  people: z.array(z.string().min(1)).max(MAX_QUERY_FILTERS).optional(),
  link_kinds: z.array(z.enum(LINK_KINDS)).optional(),
  days: z.number().int().min(1).max(MAX_REPORT_DAYS).default(7).describe('The window: the last N days up to the day the report runs.'),
  top: z.number().int().min(1).max(MAX_QUERY_TOP).optional(),
  sort: z.enum(['desc', 'asc']).default('desc'),
});
export type MetricQuery = z.infer<typeof metricQuerySchema>;

/** What WorkspaceMetrics.metric returns when it answers. */
export interface MetricTable {
  metric: string;
  definition: string;
  range: string;
  channels_counted: string[];
  columns: string[];
  rows: (string | number | boolean | null)[][];
  notes: string[];
}

/** The day in `timeZone` of epoch ms `ms`, as YYYY-MM-DD. */
export function localDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

export function metricRequestFor(saved: Record<string, unknown>, now: number, timeZone: string): MetricRequest {
  const query = metricQuerySchema.parse(saved);
  const to = localDay(now, timeZone);
  const from = new Date(`${to}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - (query.days - 1));
  return {
    metric: query.metric,
    groupBy: query.group_by,
    sort: query.sort,
    from: from.toISOString().slice(0, 10),
    to,
    ...(query.channels ? { channels: query.channels } : {}),
    ...(query.people ? { people: query.people } : {}),
    ...(query.link_kinds ? { linkKinds: query.link_kinds } : {}),
    ...(query.top ? { top: query.top } : {}),
  };
}

export interface BuiltMetricReport {
  markdown: string;
  csv: { columns: string[]; rows: (string | number | boolean | null)[][] };
  chart: ChartArguments | undefined;
}

export function buildMetricReport(title: string, table: MetricTable, chart: 'none' | 'bar' | 'line'): BuiltMetricReport {
  const shown = table.rows.slice(0, SUMMARY_ROWS);
  const lines = [
    `*${table.metric}* — ${table.definition}`,
    `${table.range}; channels: ${table.channels_counted.join(', ') || 'none'}.`,
    '',
    table.rows.length === 0
      ? 'No activity in this period.'
      : ['```', [table.columns, ...shown].map((row) => row.map((cell) => String(cell ?? '')).join(' | ')).join('\n'), '```'].join('\n'),
    ...(table.rows.length > shown.length ? [`${table.rows.length - shown.length} more rows in the CSV.`] : []),
    ...table.notes.map((note) => `_${note}_`),
  ];
  return {
    markdown: lines.join('\n'),
    csv: { columns: table.columns, rows: table.rows },
    chart: chart === 'none' ? undefined : chartOf(title, table, chart),
  };
}

/** One dimension: one series over its values. Two: the first labels the axis, the second makes the series. */
function chartOf(title: string, table: MetricTable, type: 'bar' | 'line'): ChartArguments | undefined {
  const dimensions = table.columns.length - 1;
  if (dimensions === 0 || table.rows.length === 0) return undefined;
  const value = (row: (string | number | boolean | null)[]) => Number(row[dimensions] ?? 0);
  if (dimensions === 1) {
    const rows = table.rows.slice(0, MAX_CHART_POINTS);
    return { type, title, labels: rows.map((row) => String(row[0])), series: [{ name: table.metric, values: rows.map(value) }] };
  }
  const labels = [...new Set(table.rows.map((row) => String(row[0])))].slice(0, MAX_CHART_POINTS);
  const names = [...new Set(table.rows.map((row) => String(row[1])))].slice(0, MAX_CHART_SERIES);
  const cells = new Map(table.rows.map((row) => [`${String(row[0])}\u0000${String(row[1])}`, value(row)]));
  return {
    type,
    title,
    labels,
    series: names.map((name) => ({ name, values: labels.map((label) => cells.get(`${label}\u0000${name}`) ?? 0) })),
  };
}
