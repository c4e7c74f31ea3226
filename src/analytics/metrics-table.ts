/**
 * Shapes query rows into the table an answer carries back to the model:
 * ranking and capping rows so the result stays within a token budget, and
 * writing keys (people, channels, days) the way a reader recognises them.
 */
import { TIME_DIMENSIONS, type Dimension, type MetricRow } from '../db/analytics-queries.ts';
import type { MetricRequest } from './metric-requests.ts';
import { dayToDate } from './metrics-time-range.ts';

/** Rows of a ranked (person/channel) result when the asker names no top N. */
export const DEFAULT_TOP = 10;
/** Most rows a result carries back to the model (a year of days per channel is already a lot of tokens). */
export const MAX_RESULT_ROWS = 400;

export function rankRows(rows: MetricRow[], groupBy: Dimension[], request: MetricRequest, notes: string[]): MetricRow[] {
  const time = groupBy.find((dimension) => TIME_DIMENSIONS.has(dimension));
  const other = groupBy.find((dimension) => !TIME_DIMENSIONS.has(dimension));
  const direction = request.sort === 'asc' ? 1 : -1;
  let result = rows;
  if (other) {
    // Rank the non-time keys by their total; a series keeps every period of the top keys.
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(String(row.keys[other]), (totals.get(String(row.keys[other])) ?? 0) + row.value);
    const ranked = [...totals].sort((a, b) => direction * (a[1] - b[1]) || a[0].localeCompare(b[0]));
    const top = request.top ?? (time ? ranked.length : DEFAULT_TOP);
    if (ranked.length > top) notes.push(`Showing the top ${top} of ${ranked.length} by ${request.metric}.`);
    const order = new Map(ranked.slice(0, top).map(([key], index) => [key, index]));
    result = rows.filter((row) => order.has(String(row.keys[other])));
    result.sort(
      (a, b) =>
        (order.get(String(a.keys[other])) as number) - (order.get(String(b.keys[other])) as number) ||
        (time ? compareKeys(a.keys[time], b.keys[time]) : 0),
    );
  } else if (time) {
    result = [...rows].sort((a, b) => compareKeys(a.keys[time], b.keys[time]));
  }
  if (result.length > MAX_RESULT_ROWS) {
    notes.push(`Only the first ${MAX_RESULT_ROWS} of ${result.length} rows are shown; narrow the range or group by week or month.`);
    result = result.slice(0, MAX_RESULT_ROWS);
  }
  return result;
}

function compareKeys(a: unknown, b: unknown): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

export function formatKey(dimension: Dimension, key: unknown, names: Map<string, string>, channels: Map<string, string>): string {
  switch (dimension) {
    case 'person':
      return names.has(String(key)) ? `${names.get(String(key))} (${String(key)})` : String(key);
    case 'channel':
      return `#${channels.get(String(key)) ?? String(key)}`;
    case 'day':
      return dayToDate(Number(key));
    case 'week':
      return `week of ${dayToDate(Number(key))}`;
    default:
      return String(key);
  }
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
