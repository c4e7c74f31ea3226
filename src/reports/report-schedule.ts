/**
 * Report schedules: what a person types → a five-field cron with a canonical
 * description, and when that cron next fires in its time zone. Pure: croner
 * is only asked about patterns and dates, never left with a timer.
 */
import { Cron, CronPattern } from 'croner';
import type { ReportSchedule } from './report-types.ts';
import { pad, readScheduleWords, SCHEDULE_EXAMPLES, type ScheduleShape, type TimeOfDay } from './schedule-words.ts';

/** Longest schedule text read: a schedule is a phrase, and problems quote it back to the user. */
export const MAX_SCHEDULE_TEXT = 200;
/** Reports run at most this often: each run posts to Slack and may spend LLM budget. */
export const MIN_INTERVAL_MINUTES = 5;
/** Minute intervals that divide the hour, so slots stay evenly spaced across the hour boundary. */
export const MINUTE_INTERVALS: readonly number[] = [5, 10, 15, 20, 30];
/** Hour intervals that divide the day, so slots stay evenly spaced across midnight. */
export const HOUR_INTERVALS: readonly number[] = [1, 2, 3, 4, 6, 8, 12];
/** Last day of the month a monthly report may use: every month has a 28th, not every month a 29th–31st. */
export const MAX_MONTH_DAY = 28;
/** Time used when a day schedule gives none: the start of a working day. */
export const DEFAULT_TIME: TimeOfDay = { hour: 9, minute: 0 };
/** Most slots slotsBetween returns, whatever limit it is given: it tells a scheduler about missed runs, not a calendar. */
export const MAX_SLOTS = 1_000;
/** Minutes nextRunAfter steps through a repeated (fall-back) hour: real overlaps last at most an hour. */
const MAX_OVERLAP_STEPS = 180;
/** A fixed start for the "does this cron ever fire?" check, so parsing does not depend on the clock. */
const NEVER_FIRES_CHECK_FROM = new Date(Date.UTC(2000, 0, 1));
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const CRON_DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export type ScheduleParse = { ok: true; schedule: ReportSchedule } | { ok: false; problem: string };

/** Reads a typed schedule (words or a five-field cron) into a ReportSchedule in `timeZone`, or says what is wrong. */
export function parseSchedule(text: string, timeZone: string): ScheduleParse {
  if (!isTimeZone(timeZone)) {
    return fail(`"${timeZone}" is not a time zone I know; use an IANA name like "Europe/Paris" or "America/New_York".`);
  }
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return fail(`The schedule is empty. ${SCHEDULE_EXAMPLES}`);
  if (trimmed.length > MAX_SCHEDULE_TEXT) {
    return fail(`That schedule is ${trimmed.length} characters long; keep it under ${MAX_SCHEDULE_TEXT}, like "every Monday at 9:00".`);
  }
  const cron = /^(?:cron\s*)?`?\s*([\d*,/-]+ [\d*,/-]+(?: [^\s`]+){3})\s*`?$/i.exec(trimmed)?.[1];
  if (cron !== undefined) return parseCron(cron, timeZone);
  if (/^[\d*,/ -]+$/.test(trimmed) && /[*/]/.test(trimmed)) return fail(notCron(trimmed));
  const read = readScheduleWords(trimmed);
  if (!read.ok) return read;
  const shape = withTime(read.shape);
  const problem = checkShape(shape);
  if (problem !== null) return fail(problem);
  const defaulted = 'time' in read.shape && read.shape.time === null;
  const description = describeShape(shape) + (defaulted ? ', the default time' : '');
  return { ok: true, schedule: { cron: shapeToCron(shape), timeZone, description } };
}

/** The description with its time zone, e.g. "Every Monday at 09:00 (Europe/Paris)". */
export function describeSchedule(schedule: ReportSchedule): string {
  return `${schedule.description} (${schedule.timeZone})`;
}

/**
 * Epoch ms of the first slot strictly after `afterMs`, in the schedule's time
 * zone, or null when the cron never fires again. Throws on a cron or time
 * zone parseSchedule would have refused.
 *
 * Daylight saving, as croner does it: the local time stays put (09:00 stays
 * 09:00, so its UTC instant moves by an hour); a slot inside the
 * spring-forward gap runs an hour later (02:30 → 03:30 the day clocks
 * jump); a slot inside the fall-back overlap runs once, at its first
 * occurrence, and the repeated hour gets no slots of its own.
 */
export function nextRunAfter(schedule: Pick<ReportSchedule, 'cron' | 'timeZone'>, afterMs: number): number | null {
  return withJob(schedule, (job) => nextOf(job, afterMs));
}

/** The slots in (fromMs, toMs], oldest first, at most `limit` (and MAX_SLOTS): how a scheduler sees missed runs. */
export function slotsBetween(
  schedule: Pick<ReportSchedule, 'cron' | 'timeZone'>,
  fromMs: number,
  toMs: number,
  limit: number,
): number[] {
  const most = Math.min(limit, MAX_SLOTS);
  return withJob(schedule, (job) => {
    const slots: number[] = [];
    let cursor = fromMs;
    while (slots.length < most) {
      const next = nextOf(job, cursor);
      if (next === null || next > toMs) break;
      slots.push(next);
      cursor = next;
    }
    return slots;
  });
}

function withJob<T>(schedule: Pick<ReportSchedule, 'cron' | 'timeZone'>, use: (job: Cron) => T): T {
  const job = new Cron(schedule.cron, { timezone: schedule.timeZone, paused: true, mode: '5-part' });
  try {
    return use(job);
  } finally {
    job.stop();
  }
}

function nextOf(job: Cron, afterMs: number): number | null {
  // Asked from inside a repeated hour, croner answers with the first occurrence of the next local
  // time, which can lie before `afterMs`: step the start on a minute at a time until it does not.
  for (let step = 0; step <= MAX_OVERLAP_STEPS; step += 1) {
    const next = job.nextRun(new Date(afterMs + step * 60_000));
    if (next === null) return null;
    if (next.getTime() > afterMs) return next.getTime();
  }
  return null;
}

function parseCron(cron: string, timeZone: string): ScheduleParse {
  let pattern: CronPattern;
  try {
    pattern = new CronPattern(cron, undefined, { mode: '5-part' });
  } catch {
    return fail(notCron(cron));
  }
  if (shortestMinuteGap(pattern.minute) < MIN_INTERVAL_MINUTES) {
    return fail(`"${cron}" runs too often: reports run at most every ${MIN_INTERVAL_MINUTES} minutes.`);
  }
  const job = new Cron(cron, { timezone: timeZone, paused: true, mode: '5-part' });
  const fires = job.nextRun(NEVER_FIRES_CHECK_FROM) !== null;
  job.stop();
  if (!fires) return fail(`"${cron}" never runs: no date matches it.`);
  const shape = cronToShape(cron);
  return { ok: true, schedule: { cron, timeZone, description: shape ? describeShape(shape) : `Cron \`${cron}\`` } };
}

/** Smallest gap between the minutes a pattern fires at, counting the wrap into the next hour (which over-counts, safely). */
function shortestMinuteGap(minutes: readonly number[]): number {
  const set = minutes.flatMap((on, minute) => (on ? [minute] : []));
  const gaps = set.map((minute, i) => (set[i + 1] ?? (set[0] ?? 0) + 60) - minute);
  return Math.min(...gaps);
}

function withTime(shape: ScheduleShape<TimeOfDay | null>): ScheduleShape {
  if (shape.kind === 'days' || shape.kind === 'monthly') return { ...shape, time: shape.time ?? DEFAULT_TIME };
  return shape;
}

/** Why a shape is not allowed, or null when it is. */
function checkShape(shape: ScheduleShape): string | null {
  if (shape.kind === 'minutes') {
    if (shape.every < MIN_INTERVAL_MINUTES) {
      return `Reports run at most every ${MIN_INTERVAL_MINUTES} minutes; "every ${shape.every === 1 ? 'minute' : `${shape.every} minutes`}" is too often.`;
    }
    if (!MINUTE_INTERVALS.includes(shape.every)) {
      return `Every ${shape.every} minutes does not divide the hour evenly; use ${listOf(MINUTE_INTERVALS, 'or')} minutes, or hourly.`;
    }
  }
  if (shape.kind === 'hours' && !HOUR_INTERVALS.includes(shape.every)) {
    return `Every ${shape.every} hours does not divide the day evenly; use ${listOf(HOUR_INTERVALS, 'or')} hours, or daily.`;
  }
  if (shape.kind === 'monthly' && (shape.day < 1 || shape.day > 31)) return `Day ${shape.day} is not a day of the month.`;
  if (shape.kind === 'monthly' && shape.day > MAX_MONTH_DAY) {
    return `Day ${shape.day} does not exist in every month, so monthly reports run on days 1–${MAX_MONTH_DAY}.`;
  }
  return null;
}

function shapeToCron(shape: ScheduleShape): string {
  switch (shape.kind) {
    case 'minutes':
      return `*/${shape.every} * * * *`;
    case 'hours':
      return shape.every === 1 ? `${shape.minute} * * * *` : `${shape.minute} */${shape.every} * * *`;
    case 'days':
      return `${shape.time.minute} ${shape.time.hour} * * ${shape.days.length === 7 ? '*' : cronDayList(shape.days)}`;
    case 'monthly':
      return `${shape.time.minute} ${shape.time.hour} ${shape.day} * *`;
  }
}

/** The shape a cron has when it is one Pulse can say in words; null for anything else. */
function cronToShape(cron: string): ScheduleShape | null {
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = cron.toLowerCase().split(' ');
  if (month !== '*') return null;
  const everyMinutes = /^\*\/(\d+)$/.exec(minute)?.[1];
  const everyHours = hour === '*' ? '1' : /^\*\/(\d+)$/.exec(hour)?.[1];
  const m = plainNumber(minute, 59);
  const h = plainNumber(hour, 23);
  const dom = plainNumber(dayOfMonth, 31);
  const days = dayOfWeek === '*' ? EVERY_DAY : cronDays(dayOfWeek);
  const anyDay = dayOfMonth === '*' && dayOfWeek === '*';
  let shape: ScheduleShape | null = null;
  if (everyMinutes && hour === '*' && anyDay) shape = { kind: 'minutes', every: Number(everyMinutes) };
  else if (m === null) return null;
  else if (everyHours && anyDay) shape = { kind: 'hours', every: Number(everyHours), minute: m };
  else if (h === null) return null;
  else if (dayOfMonth === '*' && days) shape = { kind: 'days', days, time: { hour: h, minute: m } };
  else if (dom !== null && dayOfWeek === '*') shape = { kind: 'monthly', day: dom, time: { hour: h, minute: m } };
  return shape && checkShape(shape) === null ? shape : null;
}

function plainNumber(field: string, max: number): number | null {
  return /^\d{1,2}$/.test(field) && Number(field) <= max ? Number(field) : null;
}

/** Days of a cron day-of-week field made of numbers (7 = Sunday), names and ranges; null for steps, "L", "#" and the like. */
function cronDays(field: string): number[] | null {
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const [first, last = first, extra] = part.split('-').map((end) => (/^[0-7]$/.test(end) ? Number(end) : CRON_DAY_NAMES.indexOf(end)));
    if (first === undefined || last === undefined || extra !== undefined || first < 0 || last < first) return null;
    for (let day = first; day <= last; day += 1) days.add(day % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/** Days as cron writes them, runs of three or more as ranges: [1,2,3,4,5] → "1-5", [1,4] → "1,4". */
function cronDayList(days: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let end = i;
    while (days[end + 1] === (days[end] ?? 0) + 1) end += 1;
    parts.push(end - i >= 2 ? `${days[i]}-${days[end]}` : days.slice(i, end + 1).join(','));
    i = end + 1;
  }
  return parts.join(',');
}

function describeShape(shape: ScheduleShape): string {
  switch (shape.kind) {
    case 'minutes':
      return `Every ${shape.every} minutes`;
    case 'hours':
      return `Every ${shape.every === 1 ? 'hour' : `${shape.every} hours`} at :${pad(shape.minute)}`;
    case 'days':
      return `Every ${describeDays(shape.days)} at ${clock(shape.time)}`;
    case 'monthly':
      return `On day ${shape.day} of every month at ${clock(shape.time)}`;
  }
}

function describeDays(days: readonly number[]): string {
  const key = days.join(',');
  if (key === EVERY_DAY.join(',')) return 'day';
  if (key === '1,2,3,4,5') return 'weekday';
  if (key === '0,6') return 'weekend day';
  // Monday first: the working week reads that way.
  return listOf([...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((day) => DAY_NAMES[day] ?? ''));
}

function listOf(items: readonly (string | number)[], conjunction = 'and'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

function clock(time: TimeOfDay): string {
  return `${pad(time.hour)}:${pad(time.minute)}`;
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

function notCron(text: string): string {
  return `"${text}" is not a cron expression I can read; it needs five fields: minute hour day-of-month month day-of-week.`;
}

function fail(problem: string): ScheduleParse {
  return { ok: false, problem };
}
