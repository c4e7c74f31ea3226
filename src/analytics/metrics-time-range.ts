/**
 * The date range of a metric question: asker-written YYYY-MM-DD bounds turned
 * into half-open UTC day numbers, and back into the words an answer shows.
 * Pure, so the calendar edge cases are tested without a clock.
 */
import type { Refusal } from './metric-requests.ts';
import { MS_PER_DAY } from './stored-message.ts';

/** Without dates, figures cover this many days up to today. */
export const DEFAULT_RANGE_DAYS = 30;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRange(from: string | undefined, to: string | undefined, now: Date): { fromDay: number; toDay: number } | Refusal {
  const today = Math.floor(now.getTime() / MS_PER_DAY);
  // Date.parse rolls 2024-02-30 over into March; a date must read back as itself.
  const parse = (value: string) => {
    const ms = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : Math.floor(ms / MS_PER_DAY);
  };
  const toDay = to === undefined ? today + 1 : (parse(to) ?? NaN) + 1;
  const fromDay = from === undefined ? toDay - DEFAULT_RANGE_DAYS : (parse(from) ?? NaN);
  if (Number.isNaN(fromDay) || Number.isNaN(toDay)) return { refused: 'Dates must be real calendar days written YYYY-MM-DD.' };
  if (fromDay >= toDay) return { refused: 'The start date must be on or before the end date.' };
  return { fromDay, toDay };
}

export function dayToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function describeRange(fromDay: number, toDay: number): string {
  return `${dayToDate(fromDay)} to ${dayToDate(toDay - 1)} (UTC days, inclusive)`;
}
