/**
 * Reads the words a person types for a report schedule ("every Monday at
 * 9am", "on the 1st of every month at 9:00", "every 15 minutes") into a
 * ScheduleShape. Only the words: allowed intervals, days of the month and the
 * default time are settled by report-schedule.ts, which also turns a shape
 * into cron and back.
 */

export interface TimeOfDay {
  hour: number;
  minute: number;
}

/**
 * A schedule Pulse can say in words. Days count as cron does: 0 = Sunday …
 * 6 = Saturday; all seven is every day. `T` is null when no time was given.
 */
export type ScheduleShape<T extends TimeOfDay | null = TimeOfDay> =
  | { kind: 'minutes'; every: number }
  | { kind: 'hours'; every: number; minute: number }
  | { kind: 'days'; days: number[]; time: T }
  | { kind: 'monthly'; day: number; time: T };

export type ScheduleWords = { ok: true; shape: ScheduleShape<TimeOfDay | null> } | { ok: false; problem: string };

export const SCHEDULE_EXAMPLES =
  'Try "every Monday at 9:00", "every weekday at 8am", "daily at 17:30", "on the 1st of every month at 9:00", or a cron expression like "0 9 * * 1".';

const DAY_NUMBERS = new Map<string, number>([
  ...['sun', 'sunday'].map((word) => [word, 0] as const),
  ...['mon', 'monday'].map((word) => [word, 1] as const),
  ...['tue', 'tues', 'tuesday'].map((word) => [word, 2] as const),
  ...['wed', 'weds', 'wednesday'].map((word) => [word, 3] as const),
  ...['thu', 'thur', 'thurs', 'thursday'].map((word) => [word, 4] as const),
  ...['fri', 'friday'].map((word) => [word, 5] as const),
  ...['sat', 'saturday'].map((word) => [word, 6] as const),
]);
const ORDINAL_WORDS = new Map([
  ['first', 1],
  ['second', 2],
  ['third', 3],
  ['fourth', 4],
  ['fifth', 5],
]);
const MINUTE_UNITS = new Set(['minute', 'minutes', 'min', 'mins']);
const HOUR_UNITS = new Set(['hour', 'hours', 'hr', 'hrs', 'hourly']);
const RANGE_WORDS = new Set(['to', 'through', 'thru', 'till', 'until']);
/** Words people put around a schedule that change nothing ("post it every Monday at 9"). */
const FILLERS = new Set(
  ['post', 'posts', 'run', 'runs', 'send', 'share', 'it', 'this', 'please', 'report', 'every', 'each', 'on', 'at']
    .concat(['the', 'of', 'and', 'in', 'a', 'an', "o'clock", 'oclock', 'default', 'time']),
);

interface Findings {
  days: Set<number>;
  daily: boolean;
  weekly: boolean;
  monthly: boolean;
  monthDay: number | null;
  interval: { every: number; unit: 'minute' | 'hour' } | null;
  times: TimeOfDay[];
  minuteOnly: number | null;
}

export function readScheduleWords(text: string): ScheduleWords {
  const tokens = tokenize(text);
  const found: Findings = {
    days: new Set(),
    daily: false,
    weekly: false,
    monthly: false,
    monthDay: null,
    interval: null,
    times: [],
    minuteOnly: null,
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const word = tokens[i] ?? '';
    const next = tokens[i + 1] ?? '';
    const time = readTime(word, tokens[i - 1]);
    if (time === 'bad') return fail(`"${word}" is not a time of day; use 00:00–23:59, or 12-hour times like 9am or 5:30pm.`);
    if (time) {
      found.times.push(time);
      continue;
    }
    const day = dayNumber(word);
    const ordinal = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(word);
    if (day !== undefined) found.days.add(day);
    else if (RANGE_WORDS.has(word) && dayNumber(tokens[i - 1] ?? '') !== undefined && dayNumber(next) !== undefined) {
      for (let d = dayNumber(tokens[i - 1] ?? '') ?? 0; d !== dayNumber(next); d = (d + 1) % 7) found.days.add(d);
    } else if (/^\d+$/.test(word) && (MINUTE_UNITS.has(next) || HOUR_UNITS.has(next))) {
      found.interval = { every: Number(word), unit: MINUTE_UNITS.has(next) ? 'minute' : 'hour' };
      i += 1;
    } else if (MINUTE_UNITS.has(word)) found.interval = { every: 1, unit: 'minute' };
    else if (HOUR_UNITS.has(word)) found.interval = { every: 1, unit: 'hour' };
    else if ((word === 'day' || word === 'days') && /^\d{1,2}$/.test(next)) {
      found.monthDay = Number(next);
      i += 1;
    } else if (ordinal || ORDINAL_WORDS.has(word)) found.monthDay = Number(ordinal?.[1] ?? ORDINAL_WORDS.get(word));
    else if (/^:\d{2}$/.test(word) && Number(word.slice(1)) < 60) found.minuteOnly = Number(word.slice(1));
    else if (['day', 'days', 'daily', 'everyday'].includes(word)) found.daily = true;
    else if (word === 'weekday' || word === 'weekdays') [1, 2, 3, 4, 5].forEach((d) => found.days.add(d));
    else if (word === 'weekend' || word === 'weekends') [0, 6].forEach((d) => found.days.add(d));
    else if (word === 'week' || word === 'weekly') found.weekly = true;
    else if (word === 'month' || word === 'months' || word === 'monthly') found.monthly = true;
    else if (word === 'last') {
      return fail('Monthly reports run on days 1–28, because 29–31 do not exist in every month; "last day" is not supported.');
    } else if (!FILLERS.has(word)) return notUnderstood(text, tokens.length > 1 ? word : null);
  }
  return settle(found, text);
}

/** Decides what kind of schedule the findings make, or why they make none. */
function settle(found: Findings, text: string): ScheduleWords {
  if (found.times.length > 1) return fail('A report runs at one time of day; give a single time (make two reports for two times).');
  const time = found.times[0] ?? null;
  const hasDates = found.days.size > 0 || found.monthDay !== null || found.monthly || found.weekly;
  if (found.interval) {
    const { every, unit } = found.interval;
    const phrase = every === 1 ? `every ${unit}` : `every ${every} ${unit}s`;
    if (hasDates) return fail(`An interval like "${phrase}" runs all day, every day; it cannot be combined with days or dates.`);
    if (unit === 'minute' && every !== 60) {
      if (time || found.minuteOnly !== null) return fail(`"Every ${every} minutes" runs all day and takes no time of day.`);
      return { ok: true, shape: { kind: 'minutes', every } };
    }
    if (time) return fail('An hourly schedule takes only the minute past the hour, like "every hour at :30".');
    return { ok: true, shape: { kind: 'hours', every: unit === 'hour' ? every : 1, minute: found.minuteOnly ?? 0 } };
  }
  if (found.minuteOnly !== null) {
    const minute = pad(found.minuteOnly);
    return fail(`":${minute}" needs an hour, like 9:${minute}, or say "every hour at :${minute}".`);
  }
  if (found.monthDay !== null || found.monthly) {
    if (found.days.size > 0) return fail('Pick either days of the week or a day of the month, not both.');
    if (found.monthDay === null) return fail('Say which day of the month, like "on the 1st of every month at 9:00".');
    return { ok: true, shape: { kind: 'monthly', day: found.monthDay, time } };
  }
  if (found.days.size > 0) return { ok: true, shape: { kind: 'days', days: [...found.days].sort((a, b) => a - b), time } };
  if (found.weekly) return fail('Say which day of the week, like "every Monday at 9:00".');
  if (found.daily) return { ok: true, shape: { kind: 'days', days: [0, 1, 2, 3, 4, 5, 6], time } };
  return notUnderstood(text, null);
}

/** A time token ("9am", "17:30", "noon", or a bare hour right after "at"), 'bad' for an impossible one, null for none. */
function readTime(word: string, previous: string | undefined): TimeOfDay | 'bad' | null {
  if (word === 'noon' || word === 'midday') return { hour: 12, minute: 0 };
  if (word === 'midnight') return { hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(word);
  if (!match) return /^\d+([:.]\d+)?(am|pm)?$/.test(word) && /[:.ap]/.test(word) ? 'bad' : null;
  const [, hourText, minuteText, half] = match;
  if (minuteText === undefined && half === undefined && previous !== 'at') return null;
  const hour = Number(hourText);
  const minute = Number(minuteText ?? 0);
  if (minute > 59) return 'bad';
  if (half === undefined) return hour > 23 ? 'bad' : { hour, minute };
  if (hour < 1 || hour > 12) return 'bad';
  return { hour: (hour % 12) + (half === 'pm' ? 12 : 0), minute };
}

function dayNumber(word: string): number | undefined {
  return DAY_NUMBERS.get(word) ?? DAY_NUMBERS.get(word.replace(/s$/, ''));
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\b([ap])\.m\.?/g, '$1m')
    .replace(/(\d)\s+(am|pm)\b/g, '$1$2')
    .replace(/\b(?:business|working|work)\s+days?\b|\bworkdays?\b/g, 'weekdays')
    .replace(/\bweekend\s+days?\b/g, 'weekend')
    .replace(/\bhalf(?:\s+an)?\s+hour\b/g, '30 minutes')
    .replace(/(\d)(minutes?|mins?|hours?|hrs?)\b/g, '$1 $2')
    .replace(/([a-z])\s*-\s*([a-z])/g, '$1 to $2')
    .replace(/[,;&]/g, ' ')
    .split(/\s+/)
    .map((token) => token.replace(/^[("'`]+|[)"'`.!?]+$/g, ''))
    .filter((token) => token !== '');
}

function notUnderstood(text: string, word: string | null): ScheduleWords {
  const detail = word === null ? '' : ` ("${word}" is not a word I know here)`;
  return fail(`I could not read "${text}" as a schedule${detail}. ${SCHEDULE_EXAMPLES}`);
}

function fail(problem: string): ScheduleWords {
  return { ok: false, problem };
}

export function pad(value: number): string {
  return String(value).padStart(2, '0');
}
