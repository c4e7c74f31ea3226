import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createReportStore } from '../../src/db/report-store.ts';
import { nextRunAfter } from '../../src/reports/report-schedule.ts';
import type { Report } from '../../src/reports/report-types.ts';

const opened: OpenedDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T06:00:00Z');
const schedule = { cron: '0 9 * * 1', timeZone: 'Europe/Paris', description: 'Every Monday at 09:00' };

/** Two connections to one database file: two Pulse processes. */
function twoProcesses() {
  const dir = mkdtempSync(join(tmpdir(), 'reports-'));
  dirs.push(dir);
  const first = openDatabase(join(dir, 'pulse.db'));
  const second = openDatabase(join(dir, 'pulse.db'));
  opened.push(first, second);
  const stores = [createReportStore(first.db), createReportStore(second.db)] as const;
  stores[0].create({
    id: 'R1',
    teamId: 'T1',
    ownerId: 'U1',
    name: 'Weekly',
    work: { kind: 'question', question: 'How was the week?' },
    destination: { kind: 'channel', channelId: 'C1' },
    schedule,
    nextRunAt: nextRunAfter(schedule, START),
    now: START,
  });
  return stores;
}

const next = (now: number) => (report: Report) => nextRunAfter(report.schedule, now);
const failOnBroken = (id: string, error: unknown) => {
  throw new Error(`report ${id} unexpectedly broken: ${String(error)}`);
};

describe('report runs', () => {
  it('are claimed by one process only when two read the same due slot', () => {
    const [a, b] = twoProcesses();
    const due = Date.parse('2026-11-23T08:00:00Z');
    const claimedByA = a.claimDue('T1', due, 'A', next(due), 60_000, failOnBroken);
    const claimedByB = b.claimDue('T1', due, 'B', next(due), 60_000, failOnBroken);
    expect(claimedByA.map((run) => run.slot)).toEqual([due]);
    expect(claimedByB).toEqual([]);
    expect(a.get('T1', 'R1')?.nextRunAt).toBe(due + 7 * 24 * HOUR);
  });

  it('runs a slot missed while Pulse was down once, as a catch-up, and moves past every missed slot', () => {
    const [a] = twoProcesses();
    const threeWeeksLater = Date.parse('2026-12-14T10:00:00Z');
    const claimed = a.claimDue('T1', threeWeeksLater, 'A', next(threeWeeksLater), 60_000, failOnBroken);
    expect(claimed.map((run) => run.trigger)).toEqual(['catch_up']);
    expect(a.claimDue('T1', threeWeeksLater, 'A', next(threeWeeksLater), 60_000, failOnBroken)).toEqual([]);
    expect(a.get('T1', 'R1')?.nextRunAt).toBe(Date.parse('2026-12-21T08:00:00Z'));
  });

  it('hands a failed attempt to one process after its wait, and tells the owner once per run of failures', () => {
    const [a, b] = twoProcesses();
    const due = Date.parse('2026-11-23T08:00:00Z');
    const [run] = a.claimDue('T1', due, 'A', next(due), 60_000, failOnBroken);
    expect(a.finishRun('T1', run!, { ok: false, error: 'I am not in #eng.', retryAt: due + 60_000, now: due }).notifyOwner).toBe(true);
    expect(a.claimRetries('T1', due + 30_000, 'A', HOUR)).toEqual([]);
    const retried = b.claimRetries('T1', due + 60_000, 'B', HOUR);
    expect(retried.map((claimed) => claimed.attempt)).toEqual([2]);
    expect(a.claimRetries('T1', due + 60_000, 'A', HOUR)).toEqual([]);
    expect(b.finishRun('T1', retried[0]!, { ok: false, error: 'Still not in #eng.', retryAt: null, now: due + 61_000 }).notifyOwner).toBe(false);
    expect(a.runs('T1', 'R1')).toMatchObject([{ state: 'failed', attempt: 2, error: 'Still not in #eng.' }]);
  });

  it('retries a run a crashed process left running once its lease is over, but never takes a run from the process still running it', () => {
    const [a, b] = twoProcesses();
    const due = Date.parse('2026-11-23T08:00:00Z');
    a.claimDue('T1', due, 'A', next(due), 60_000, failOnBroken);
    expect(a.claimRetries('T1', due + 2 * HOUR, 'A', HOUR)).toEqual([]);
    expect(b.claimRetries('T1', due + HOUR - 1, 'B', HOUR)).toEqual([]);
    expect(b.claimRetries('T1', due + HOUR + 1, 'B', HOUR).map((run) => [run.attempt, run.trigger])).toEqual([[2, 'retry']]);
  });

  it('drops a pending retry when the report was paused meanwhile, but keeps a re-run someone asked for', () => {
    const [a] = twoProcesses();
    const due = Date.parse('2026-11-23T08:00:00Z');
    const [scheduled] = a.claimDue('T1', due, 'A', next(due), 60_000, failOnBroken);
    a.finishRun('T1', scheduled!, { ok: false, error: 'LLM down', retryAt: due + 60_000, now: due });
    const manual = a.claimManual('T1', 'R1', due + 1, 'A');
    a.finishRun('T1', manual!, { ok: false, error: 'LLM down', retryAt: due + 60_000, now: due + 1 });
    a.setStatus('T1', 'R1', 'paused', null, due + 2);
    expect(a.claimRetries('T1', due + 60_000, 'A', HOUR).map((run) => run.runId)).toEqual([manual!.runId]);
    expect(a.runs('T1', 'R1').find((run) => run.trigger === 'schedule')).toMatchObject({ state: 'failed', error: 'The report was paused or deleted before it could be retried.' });
  });

  it('gives manual re-runs their own rows, even at the moment of a schedule slot', () => {
    const [a] = twoProcesses();
    const due = Date.parse('2026-11-23T08:00:00Z');
    a.claimDue('T1', due, 'A', next(due), 60_000, failOnBroken);
    expect(a.claimManual('T1', 'R1', due, 'A')).toBeDefined();
    expect(a.claimManual('T1', 'R1', due, 'A')).toBeDefined();
    expect(a.runs('T1', 'R1').map((run) => run.trigger)).toEqual(['manual', 'manual', 'schedule']);
  });

  it('pauses a report whose schedule cannot be read, with the reason, and claims the others', () => {
    const [a] = twoProcesses();
    a.create({
      id: 'R2',
      teamId: 'T1',
      ownerId: 'U1',
      name: 'Broken',
      work: { kind: 'question', question: 'q' },
      destination: { kind: 'channel', channelId: 'C1' },
      schedule: { ...schedule, timeZone: 'Not/AZone' },
      nextRunAt: Date.parse('2026-11-23T07:00:00Z'),
      now: START,
    });
    const due = Date.parse('2026-11-23T08:00:00Z');
    const broken: string[] = [];
    const claimed = a.claimDue('T1', due, 'A', next(due), 60_000, (id) => {
      broken.push(id);
      a.pauseBroken('T1', id, 'Pulse could not read this report’s schedule.', due);
    });
    expect(claimed.map((run) => run.report.id)).toEqual(['R1']);
    expect(broken).toEqual(['R2']);
    expect(a.get('T1', 'R2')).toMatchObject({ status: 'paused', nextRunAt: null, lastRun: { ok: false, error: 'Pulse could not read this report’s schedule.' } });
  });
});
