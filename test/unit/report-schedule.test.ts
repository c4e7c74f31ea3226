import { describe, expect, it } from 'vitest';
import {
  describeSchedule,
  MAX_MONTH_DAY,
  MAX_SCHEDULE_TEXT,
  MAX_SLOTS,
  MIN_INTERVAL_MINUTES,
  nextRunAfter,
  parseSchedule,
  slotsBetween,
} from '../../src/reports/report-schedule.ts';
import type { ReportSchedule } from '../../src/reports/report-types.ts';
import { SCHEDULE_EXAMPLES } from '../../src/reports/schedule-words.ts';

const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';

// ---- small factories -------------------------------------------------------

function scheduleFor(text: string, timeZone = PARIS): ReportSchedule {
  const parsed = parseSchedule(text, timeZone);
  if (!parsed.ok) throw new Error(`expected "${text}" to parse, got: ${parsed.problem}`);
  return parsed.schedule;
}

function problemFor(text: string, timeZone = PARIS): string {
  const parsed = parseSchedule(text, timeZone);
  if (parsed.ok) throw new Error(`expected "${text}" to be refused, got cron ${parsed.schedule.cron}`);
  return parsed.problem;
}

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The slots of a schedule in (from, to], as ISO strings. */
function slotsIso(cron: string, timeZone: string, from: string, to: string, limit = 100): string[] {
  return slotsBetween({ cron, timeZone }, at(from), at(to), limit).map((ms) => new Date(ms).toISOString());
}

/** Local wall-clock time of an instant, e.g. "09:00". */
function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

// ---- parseSchedule: accepted forms -----------------------------------------

describe('parseSchedule', () => {
  it.each([
    ['every Monday at 9:00', '0 9 * * 1', 'Every Monday at 09:00'],
    ['every monday 9am', '0 9 * * 1', 'Every Monday at 09:00'],
    ['mondays at 9', '0 9 * * 1', 'Every Monday at 09:00'],
    ["Post it every Monday, at 9 o'clock", '0 9 * * 1', 'Every Monday at 09:00'],
    ['every Mon and Thu at 17:30', '30 17 * * 1,4', 'Every Monday and Thursday at 17:30'],
    ['run every Monday, Wednesday & Friday at 9', '0 9 * * 1,3,5', 'Every Monday, Wednesday and Friday at 09:00'],
    ['sundays and mondays at 8', '0 8 * * 0,1', 'Every Monday and Sunday at 08:00'],
    ['every weekday at 8:15am', '15 8 * * 1-5', 'Every weekday at 08:15'],
    ['mon-fri at 7', '0 7 * * 1-5', 'Every weekday at 07:00'],
    ['Monday to Wednesday at 7pm', '0 19 * * 1-3', 'Every Monday, Tuesday and Wednesday at 19:00'],
    ['every business day at 18:00', '0 18 * * 1-5', 'Every weekday at 18:00'],
    ['every weekend day at 10', '0 10 * * 0,6', 'Every weekend day at 10:00'],
    ['weekends at noon', '0 12 * * 0,6', 'Every weekend day at 12:00'],
    ['daily at 17:00', '0 17 * * *', 'Every day at 17:00'],
    ['every day at 5pm', '0 17 * * *', 'Every day at 17:00'],
    ['EVERY DAY AT 5 P.M.', '0 17 * * *', 'Every day at 17:00'],
    ['every hour', '0 * * * *', 'Every hour at :00'],
    ['hourly', '0 * * * *', 'Every hour at :00'],
    ['every hour at :30', '30 * * * *', 'Every hour at :30'],
    ['every 2 hours', '0 */2 * * *', 'Every 2 hours at :00'],
    ['every 6 hours at :15', '15 */6 * * *', 'Every 6 hours at :15'],
    ['every 60 minutes', '0 * * * *', 'Every hour at :00'],
    ['on the 1st of every month at 9:00', '0 9 1 * *', 'On day 1 of every month at 09:00'],
    ['monthly on the 15th at 08:00', '0 8 15 * *', 'On day 15 of every month at 08:00'],
    ['first day of each month at 9', '0 9 1 * *', 'On day 1 of every month at 09:00'],
    [`on the ${MAX_MONTH_DAY}th of every month at 23:59`, '59 23 28 * *', 'On day 28 of every month at 23:59'],
    ['every 15 minutes', '*/15 * * * *', 'Every 15 minutes'],
    ['every 5 minutes', '*/5 * * * *', 'Every 5 minutes'],
    ['every 10min', '*/10 * * * *', 'Every 10 minutes'],
    ['every 20 mins', '*/20 * * * *', 'Every 20 minutes'],
    ['every half hour', '*/30 * * * *', 'Every 30 minutes'],
  ])('reads "%s" as cron %s, described "%s"', (text, cron, description) => {
    expect(scheduleFor(text)).toEqual({ cron, timeZone: PARIS, description });
  });

  it.each([
    ['daily at 9am', '0 9 * * *'],
    ['daily at 9:30 pm', '30 21 * * *'],
    ['daily at 12am', '0 0 * * *'],
    ['daily at 12pm', '0 12 * * *'],
    ['daily at 12:45am', '45 0 * * *'],
    ['daily at 09:00', '0 9 * * *'],
    ['daily at 17:30', '30 17 * * *'],
    ['daily at 9', '0 9 * * *'],
    ['daily at 9.30am', '30 9 * * *'],
    ['daily at noon', '0 12 * * *'],
    ['daily at midnight', '0 0 * * *'],
    ['at 23:59 every day', '59 23 * * *'],
  ])('reads the time in "%s" as cron %s', (text, cron) => {
    expect(scheduleFor(text).cron).toBe(cron);
  });

  it('runs a day schedule without a time at 09:00 and says the time was the default', () => {
    expect(scheduleFor('every monday')).toMatchObject({ cron: '0 9 * * 1', description: 'Every Monday at 09:00, the default time' });
    expect(scheduleFor('weekdays').description).toBe('Every weekday at 09:00, the default time');
    expect(scheduleFor('monthly on the 1st')).toMatchObject({ cron: '0 9 1 * *', description: 'On day 1 of every month at 09:00, the default time' });
  });

  it.each([
    ['0 9 * * 1', 'Every Monday at 09:00'],
    ['30 8 * * 1-5', 'Every weekday at 08:30'],
    ['0 10 * * sat,sun', 'Every weekend day at 10:00'],
    ['0 17 * * *', 'Every day at 17:00'],
    ['0 9 1 * *', 'On day 1 of every month at 09:00'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['30 * * * *', 'Every hour at :30'],
    ['0 */4 * * *', 'Every 4 hours at :00'],
    ['0 9 * * 1,7', 'Every Monday and Sunday at 09:00'],
    ['0 9 30 * *', 'Cron `0 9 30 * *`'],
    ['0 9 1 * 1', 'Cron `0 9 1 * 1`'],
    ['0 9 * 1 *', 'Cron `0 9 * 1 *`'],
    ['*/25 * * * *', 'Cron `*/25 * * * *`'],
  ])('keeps the cron expression "%s" as typed, described "%s"', (cron, description) => {
    expect(scheduleFor(cron)).toEqual({ cron, timeZone: PARIS, description });
  });

  it('reads a cron expression wrapped the way its own fallback description writes it', () => {
    expect(scheduleFor('Cron `0 9 30 * *`').cron).toBe('0 9 30 * *');
    expect(scheduleFor('  0  9 * *   1 ').cron).toBe('0 9 * * 1');
  });

  it.each([
    'Every Monday at 09:00',
    'Every Monday, Wednesday and Friday at 17:30',
    'Every weekday at 08:15',
    'Every weekend day at 10:00',
    'Every day at 17:00',
    'Every hour at :30',
    'Every 2 hours at :00',
    'Every 15 minutes',
    'On day 1 of every month at 09:00',
    'Every Monday at 09:00, the default time',
  ])('reads its own description "%s" back to the same schedule', (description) => {
    const schedule = scheduleFor(description);
    expect(scheduleFor(schedule.description)).toEqual(schedule);
  });

  // ---- parseSchedule: refusals ----------------------------------------------

  it('refuses words it does not understand and shows examples', () => {
    expect(problemFor('whenever')).toBe(`I could not read "whenever" as a schedule. ${SCHEDULE_EXAMPLES}`);
    expect(problemFor('at 9')).toBe(`I could not read "at 9" as a schedule. ${SCHEDULE_EXAMPLES}`);
  });

  it('names the unknown word rather than dropping it from an otherwise readable schedule', () => {
    expect(problemFor('every monday except holidays')).toBe(
      `I could not read "every monday except holidays" as a schedule ("except" is not a word I know here). ${SCHEDULE_EXAMPLES}`,
    );
    expect(problemFor('every other monday')).toContain('("other" is not a word I know here)');
  });

  it.each(['25:00', '9:75', '13pm', '0am', '9:5'])('refuses the impossible time "%s"', (time) => {
    expect(problemFor(`every monday at ${time}`)).toBe(
      `"${time}" is not a time of day; use 00:00–23:59, or 12-hour times like 9am or 5:30pm.`,
    );
  });

  it('refuses a bare hour of 24 or more after "at"', () => {
    expect(problemFor('daily at 24')).toContain('"24" is not a time of day');
  });

  it(`refuses intervals shorter than ${MIN_INTERVAL_MINUTES} minutes`, () => {
    expect(problemFor('every minute')).toBe('Reports run at most every 5 minutes; "every minute" is too often.');
    expect(problemFor('every 2 minutes')).toBe('Reports run at most every 5 minutes; "every 2 minutes" is too often.');
    expect(problemFor('* * * * *')).toBe('"* * * * *" runs too often: reports run at most every 5 minutes.');
    expect(problemFor('0,3 9 * * *')).toBe('"0,3 9 * * *" runs too often: reports run at most every 5 minutes.');
  });

  it('refuses intervals that do not divide the hour or the day', () => {
    expect(problemFor('every 45 minutes')).toBe('Every 45 minutes does not divide the hour evenly; use 5, 10, 15, 20 or 30 minutes, or hourly.');
    expect(problemFor('every 5 hours')).toBe('Every 5 hours does not divide the day evenly; use 1, 2, 3, 4, 6, 8 or 12 hours, or daily.');
  });

  it('refuses days of the month that some months lack, and explains why', () => {
    expect(problemFor('monthly on the 30th at 9')).toBe('Day 30 does not exist in every month, so monthly reports run on days 1–28.');
    expect(problemFor('on the 29th of every month')).toContain('Day 29 does not exist in every month');
    expect(problemFor('monthly on the 32nd')).toBe('Day 32 is not a day of the month.');
    expect(problemFor('last day of the month at 9')).toBe(
      'Monthly reports run on days 1–28, because 29–31 do not exist in every month; "last day" is not supported.',
    );
  });

  it('refuses schedules that leave out which day', () => {
    expect(problemFor('weekly at 9')).toBe('Say which day of the week, like "every Monday at 9:00".');
    expect(problemFor('monthly at 9')).toBe('Say which day of the month, like "on the 1st of every month at 9:00".');
  });

  it('refuses schedules that mix kinds or times', () => {
    expect(problemFor('every monday at 9 and 5pm')).toBe('A report runs at one time of day; give a single time (make two reports for two times).');
    expect(problemFor('every 2nd monday')).toBe('Pick either days of the week or a day of the month, not both.');
    expect(problemFor('every 15 minutes on mondays')).toBe(
      'An interval like "every 15 minutes" runs all day, every day; it cannot be combined with days or dates.',
    );
    expect(problemFor('every 15 minutes at 9:00')).toBe('"Every 15 minutes" runs all day and takes no time of day.');
    expect(problemFor('every hour at 9:30')).toBe('An hourly schedule takes only the minute past the hour, like "every hour at :30".');
    expect(problemFor('every monday at :30')).toBe('":30" needs an hour, like 9:30, or say "every hour at :30".');
  });

  it('refuses cron expressions it cannot read or that never run', () => {
    const fields = 'it needs five fields: minute hour day-of-month month day-of-week.';
    expect(problemFor('0 9 * *')).toBe(`"0 9 * *" is not a cron expression I can read; ${fields}`);
    expect(problemFor('0 0 9 * * *')).toBe(`"0 0 9 * * *" is not a cron expression I can read; ${fields}`);
    expect(problemFor('61 9 * * *')).toBe(`"61 9 * * *" is not a cron expression I can read; ${fields}`);
    expect(problemFor('0 9 31 2 *')).toBe('"0 9 31 2 *" never runs: no date matches it.');
  });

  it('refuses empty and overlong text', () => {
    expect(problemFor('   ')).toBe(`The schedule is empty. ${SCHEDULE_EXAMPLES}`);
    const long = `every monday at 9 ${'please '.repeat(30)}`;
    expect(problemFor(long)).toBe(
      `That schedule is ${long.trim().length} characters long; keep it under ${MAX_SCHEDULE_TEXT}, like "every Monday at 9:00".`,
    );
  });

  it('refuses unknown time zones before reading the text', () => {
    const problem = '"Mars/Olympus" is not a time zone I know; use an IANA name like "Europe/Paris" or "America/New_York".';
    expect(problemFor('every monday at 9', 'Mars/Olympus')).toBe(problem);
    expect(problemFor('every monday at 9', '')).toContain('is not a time zone I know');
  });

  it('keeps the given time zone on the schedule', () => {
    expect(scheduleFor('daily at 9', NEW_YORK).timeZone).toBe(NEW_YORK);
  });
});

// ---- describeSchedule ------------------------------------------------------

describe('describeSchedule', () => {
  it('adds the time zone to the description', () => {
    expect(describeSchedule(scheduleFor('every monday at 9'))).toBe('Every Monday at 09:00 (Europe/Paris)');
    expect(describeSchedule(scheduleFor('0 9 30 * *', NEW_YORK))).toBe('Cron `0 9 30 * *` (America/New_York)');
  });
});

// ---- nextRunAfter ----------------------------------------------------------

describe('nextRunAfter', () => {
  const dailyNine = (timeZone: string) => ({ cron: '0 9 * * *', timeZone });

  it('returns the first slot strictly after the given instant', () => {
    const schedule = { cron: '0 9 * * 1', timeZone: 'UTC' };
    expect(iso(nextRunAfter(schedule, at('2026-01-05T08:59:59.999Z')))).toBe('2026-01-05T09:00:00.000Z');
    expect(iso(nextRunAfter(schedule, at('2026-01-05T09:00:00.000Z')))).toBe('2026-01-12T09:00:00.000Z');
  });

  it('keeps 09:00 local in Paris across spring-forward: 08:00Z before, 07:00Z after', () => {
    expect(iso(nextRunAfter(dailyNine(PARIS), at('2026-03-28T00:00:00Z')))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(nextRunAfter(dailyNine(PARIS), at('2026-03-28T08:00:00Z')))).toBe('2026-03-29T07:00:00.000Z');
  });

  it('keeps 09:00 local in Paris across fall-back: 07:00Z before, 08:00Z after', () => {
    expect(iso(nextRunAfter(dailyNine(PARIS), at('2026-10-24T00:00:00Z')))).toBe('2026-10-24T07:00:00.000Z');
    expect(iso(nextRunAfter(dailyNine(PARIS), at('2026-10-24T07:00:00Z')))).toBe('2026-10-25T08:00:00.000Z');
  });

  it('keeps 09:00 local in New York across both changes', () => {
    const spring = slotsBetween(dailyNine(NEW_YORK), at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z'), 10);
    expect(spring.map(iso)).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
    const fall = slotsBetween(dailyNine(NEW_YORK), at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z'), 10);
    expect(fall.map(iso)).toEqual(['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z']);
    expect([...spring, ...fall].map((ms) => localTime(ms, NEW_YORK))).toEqual(['09:00', '09:00', '09:00', '09:00']);
  });

  // 02:30 does not exist in Paris on 2026-03-29 (02:00 jumps to 03:00): croner shifts the slot an hour
  // later, to 03:30 local (01:30Z), rather than skipping the day; the next day is back at 02:30 (00:30Z).
  it('runs a Paris 02:30 slot at 03:30 local on the spring-forward day', () => {
    expect(slotsIso('30 2 * * *', PARIS, '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(localTime(at('2026-03-29T01:30:00Z'), PARIS)).toBe('03:30');
  });

  it('runs a New York 02:30 slot at 03:30 local on the spring-forward day', () => {
    expect(iso(nextRunAfter({ cron: '30 2 * * *', timeZone: NEW_YORK }, at('2026-03-07T12:00:00Z')))).toBe('2026-03-08T07:30:00.000Z');
    expect(localTime(at('2026-03-08T07:30:00Z'), NEW_YORK)).toBe('03:30');
  });

  // On fall-back the hour 02:00–03:00 (Paris) or 01:00–02:00 (New York) happens twice: croner runs a slot in
  // it once, at its first occurrence (summer time), and never again in the repeat.
  it('runs a slot in the repeated fall-back hour once, at its first occurrence', () => {
    expect(slotsIso('30 2 * * *', PARIS, '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z')).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(slotsIso('30 1 * * *', NEW_YORK, '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('never answers with a slot before the given instant when asked from inside the repeated hour', () => {
    // 01:00Z on 2026-10-25 is 02:00 Paris winter time, the second 02:00 of the night.
    const everyFifteen = { cron: '*/15 * * * *', timeZone: PARIS };
    expect(iso(nextRunAfter(everyFifteen, at('2026-10-25T01:00:00Z')))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(nextRunAfter({ cron: '30 1 * * *', timeZone: NEW_YORK }, at('2026-11-01T06:00:00Z')))).toBe('2026-11-02T06:30:00.000Z');
  });

  it('returns null for a cron that never fires again', () => {
    expect(nextRunAfter({ cron: '0 9 31 2 *', timeZone: PARIS }, at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

// ---- slotsBetween ----------------------------------------------------------

describe('slotsBetween', () => {
  const hourly = { cron: '0 * * * *', timeZone: 'UTC' };

  it('returns the slots after the start and up to and including the end', () => {
    expect(slotsIso('0 * * * *', 'UTC', '2026-01-01T09:00:00Z', '2026-01-01T12:00:00Z')).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });

  it('stops at the limit, keeping the earliest slots', () => {
    expect(slotsBetween(hourly, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 2).map(iso)).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
    ]);
  });

  it(`never returns more than ${MAX_SLOTS} slots, even with an unbounded limit`, () => {
    const slots = slotsBetween({ cron: '*/5 * * * *', timeZone: 'UTC' }, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), Infinity);
    expect(slots).toHaveLength(MAX_SLOTS);
  });

  it('returns nothing for an empty window, a zero limit or a cron that never fires', () => {
    expect(slotsBetween(hourly, at('2026-01-01T09:00:00Z'), at('2026-01-01T09:30:00Z'), 10)).toEqual([]);
    expect(slotsBetween(hourly, at('2026-01-01T12:00:00Z'), at('2026-01-01T09:00:00Z'), 10)).toEqual([]);
    expect(slotsBetween(hourly, at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 0)).toEqual([]);
    expect(slotsBetween({ cron: '0 9 31 2 *', timeZone: PARIS }, 0, at('2030-01-01T00:00:00Z'), 10)).toEqual([]);
  });

  it('gives each slot once, in order, through the spring-forward gap and the fall-back overlap', () => {
    // croner's own nextRuns() repeats 01:00Z here, since 02:00 and 03:00 Paris are the same instant that night.
    expect(slotsIso('0 * * * *', PARIS, '2026-03-29T00:00:00Z', '2026-03-29T03:00:00Z')).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
    expect(slotsIso('*/15 * * * *', PARIS, '2026-10-25T00:00:00Z', '2026-10-25T02:30:00Z')).toEqual([
      '2026-10-25T00:15:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T00:45:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:15:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
  });
});
