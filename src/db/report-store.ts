/**
 * Reports and their runs in SQLite. Claims are transactions
 * (BEGIN IMMEDIATE), so two Pulse processes on one database agree on who
 * runs a slot: the insert of (report_id, slot) lands for one of them only.
 */
import type { Database } from 'better-sqlite3';
import type {
  Report,
  ReportDestination,
  ReportSchedule,
  ReportStatus,
  ReportWork,
  RunTrigger,
} from '../reports/report-types.ts';
import type { PulseDatabase } from './open-database.ts';
import { toReport, type ReportRow } from './report-rows.ts';

/** A run this process claimed and must now carry out. */
export interface ClaimedRun {
  runId: number;
  report: Report;
  trigger: RunTrigger;
  slot: number;
  attempt: number;
}

/** A report as created: its own fields, and the moment it is made. */
export type NewReport = Pick<Report, 'id' | 'teamId' | 'ownerId' | 'name' | 'work' | 'destination' | 'schedule' | 'nextRunAt'> & { now: number };

export function createReportStore(db: PulseDatabase) {
  const sqlite: Database = db.$client;
  const selectReport = sqlite.prepare('SELECT * FROM reports WHERE team_id = ? AND id = ?');
  const selectTeamReports = sqlite.prepare('SELECT * FROM reports WHERE team_id = ? ORDER BY created_at');
  const selectDue = sqlite.prepare(
    "SELECT * FROM reports WHERE team_id = ? AND status = 'active' AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at",
  );
  const selectNextDue = sqlite.prepare(
    "SELECT MIN(next_run_at) AS next FROM reports WHERE team_id = ? AND status = 'active' AND next_run_at IS NOT NULL",
  );
  const insertRun = sqlite.prepare(`
    INSERT INTO report_runs (team_id, report_id, owner_id, slot, trigger, state, attempt, claimed_by, claimed_at)
    VALUES (?, ?, ?, ?, ?, 'running', 1, ?, ?) ON CONFLICT (report_id, slot) WHERE trigger <> 'manual' DO NOTHING`);
  const insertManualRun = sqlite.prepare(`
    INSERT INTO report_runs (team_id, report_id, owner_id, slot, trigger, state, attempt, claimed_by, claimed_at)
    VALUES (?, ?, ?, ?, 'manual', 'running', 1, ?, ?)`);
  const advance = sqlite.prepare(
    'UPDATE reports SET next_run_at = ?, updated_at = ? WHERE id = ? AND next_run_at IS ? AND status = \'active\'',
  );
  const selectRetries = sqlite.prepare(`
    SELECT r.id AS runId, r.trigger, r.slot, r.attempt FROM report_runs r
    WHERE r.team_id = ? AND r.state = 'retry' AND r.retry_at <= ? ORDER BY r.retry_at`);
  const selectRunReport = sqlite.prepare('SELECT report_id AS reportId FROM report_runs WHERE id = ?');
  const claimRetry = sqlite.prepare(
    "UPDATE report_runs SET state = 'running', attempt = attempt + 1, claimed_by = ?, claimed_at = ?, retry_at = NULL WHERE id = ? AND state = 'retry'",
  );
  // Another process's run past its lease: that process died (this process's own runs are still going).
  const staleRuns = sqlite.prepare(
    "UPDATE report_runs SET state = 'retry', retry_at = ?, error = ? WHERE team_id = ? AND state = 'running' AND claimed_at < ? AND claimed_by <> ?",
  );
  const dropPausedRetry = sqlite.prepare(
    "UPDATE report_runs SET state = 'failed', retry_at = NULL, error = 'The report was paused or deleted before it could be retried.' WHERE id = ? AND state = 'retry'",
  );
  const heartbeat = sqlite.prepare("UPDATE report_runs SET claimed_at = ? WHERE id = ? AND state = 'running' AND claimed_by = ?");
  const selectNextRetry = sqlite.prepare("SELECT MIN(retry_at) AS next FROM report_runs WHERE team_id = ? AND state = 'retry'");

  const get = (teamId: string, id: string): Report | undefined => {
    const row = selectReport.get(teamId, id) as ReportRow | undefined;
    return row ? toReport(row) : undefined;
  };

  return {
    get,

    list(teamId: string): Report[] {
      return (selectTeamReports.all(teamId) as ReportRow[]).map(toReport);
    },

    create(report: NewReport): Report {
      sqlite
        .prepare(`
          INSERT INTO reports (id, team_id, owner_id, name, work, destination, cron, time_zone, schedule_description, status,
            next_run_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`)
        .run(
          report.id,
          report.teamId,
          report.ownerId,
          report.name,
          JSON.stringify(report.work),
          JSON.stringify(report.destination),
          report.schedule.cron,
          report.schedule.timeZone,
          report.schedule.description,
          report.nextRunAt,
          report.now,
          report.now,
        );
      return get(report.teamId, report.id) as Report;
    },

    /** Name, question, schedule and destination as edited; the next run follows the new schedule. */
    update(
      teamId: string,
      id: string,
      changes: { name: string; work: ReportWork; destination: ReportDestination; schedule: ReportSchedule; nextRunAt: number | null; now: number },
    ): Report | undefined {
      sqlite
        .prepare(`
          UPDATE reports SET name = ?, work = ?, destination = ?, cron = ?, time_zone = ?, schedule_description = ?,
            next_run_at = CASE WHEN status = 'active' THEN ? ELSE NULL END, updated_at = ?
          WHERE team_id = ? AND id = ?`)
        .run(
          changes.name,
          JSON.stringify(changes.work),
          JSON.stringify(changes.destination),
          changes.schedule.cron,
          changes.schedule.timeZone,
          changes.schedule.description,
          changes.nextRunAt,
          changes.now,
          teamId,
          id,
        );
      return get(teamId, id);
    },

    setStatus(teamId: string, id: string, status: ReportStatus, nextRunAt: number | null, now: number): Report | undefined {
      sqlite
        .prepare('UPDATE reports SET status = ?, next_run_at = ?, updated_at = ? WHERE team_id = ? AND id = ?')
        .run(status, status === 'active' ? nextRunAt : null, now, teamId, id);
      return get(teamId, id);
    },

    /** Deletes the report; its runs stay for usage figures, those still waiting to retry are failed. */
    delete(teamId: string, id: string): boolean {
      return sqlite.transaction(() => {
        sqlite
          .prepare("UPDATE report_runs SET state = 'failed', retry_at = NULL, error = 'The report was deleted.' WHERE team_id = ? AND report_id = ? AND state = 'retry'")
          .run(teamId, id);
        return sqlite.prepare('DELETE FROM reports WHERE team_id = ? AND id = ?').run(teamId, id).changes > 0;
      })();
    },

    /**
     * Claims every due slot for this process: one run per report however many
     * slots passed (a run missed while Pulse was down is a catch-up), and the
     * report's next slot moved past `now` in the same transaction.
     */
    claimDue(
      teamId: string,
      now: number,
      owner: string,
      nextSlot: (report: Report) => number | null,
      catchUpAfterMs: number,
      onBroken: (reportId: string, error: unknown) => void,
    ): ClaimedRun[] {
      return sqlite.transaction(() => {
        const claimed: ClaimedRun[] = [];
        for (const row of selectDue.all(teamId, now) as ReportRow[]) {
          let report: Report;
          let next: number | null;
          try {
            report = toReport(row);
            next = nextSlot(report);
          } catch (error) {
            onBroken(row.id, error);
            continue;
          }
          const slot = row.next_run_at as number;
          if (advance.run(next, now, row.id, slot).changes === 0) continue;
          const trigger: RunTrigger = now - slot > catchUpAfterMs ? 'catch_up' : 'schedule';
          const inserted = insertRun.run(teamId, row.id, row.owner_id, slot, trigger, owner, now);
          if (inserted.changes === 0) continue;
          claimed.push({ runId: Number(inserted.lastInsertRowid), report: { ...report, nextRunAt: next }, trigger, slot, attempt: 1 });
        }
        return claimed;
      }).immediate();
    },

    /** A re-run someone asked for: its own run row, claimed at once. */
    claimManual(teamId: string, reportId: string, now: number, owner: string): ClaimedRun | undefined {
      return sqlite.transaction(() => {
        const report = get(teamId, reportId);
        if (!report) return undefined;
        const inserted = insertManualRun.run(teamId, reportId, report.ownerId, now, owner, now);
        return { runId: Number(inserted.lastInsertRowid), report, trigger: 'manual' as const, slot: now, attempt: 1 };
      }).immediate();
    },

    /** Failed attempts whose wait is over, claimed again (runs a dead process left behind count as failed). */
    claimRetries(teamId: string, now: number, owner: string, leaseMs: number): ClaimedRun[] {
      return sqlite.transaction(() => {
        staleRuns.run(now, 'Pulse stopped while this report was running.', teamId, now - leaseMs, owner);
        const claimed: ClaimedRun[] = [];
        for (const run of selectRetries.all(teamId, now) as { runId: number; trigger: RunTrigger; slot: number; attempt: number }[]) {
          const { reportId } = selectRunReport.get(run.runId) as { reportId: string };
          const report = get(teamId, reportId);
          // Deleted, or paused since it failed (only a re-run someone asked for is still wanted then).
          if (!report || (report.status === 'paused' && run.trigger !== 'manual')) {
            dropPausedRetry.run(run.runId);
            continue;
          }
          if (!report || claimRetry.run(owner, now, run.runId).changes === 0) continue;
          claimed.push({ ...run, report, trigger: 'retry', attempt: run.attempt + 1 });
        }
        return claimed;
      }).immediate();
    },

    /** The run is starting now (it may have waited for a free slot): its lease counts from here. */
    heartbeat(runId: number, now: number, owner: string): void {
      heartbeat.run(now, runId, owner);
    },

    /** A report whose schedule cannot be read any more is paused with the reason, so it cannot block the others. */
    pauseBroken(teamId: string, id: string, problem: string, now: number): void {
      sqlite
        .prepare("UPDATE reports SET status = 'paused', next_run_at = NULL, last_finished_at = ?, last_ok = 0, last_error = ?, updated_at = ? WHERE team_id = ? AND id = ?")
        .run(now, problem, now, teamId, id);
    },

    /** When the scheduler next has something to do: the earliest due slot or retry. */
    nextWakeAt(teamId: string): number | null {
      const slots = [selectNextDue.get(teamId), selectNextRetry.get(teamId)] as { next: number | null }[];
      const times = slots.map((row) => row.next).filter((time): time is number => time !== null);
      return times.length > 0 ? Math.min(...times) : null;
    },

    finishRun(
      teamId: string,
      run: ClaimedRun,
      outcome:
        | { ok: true; channelId: string; messageTs: string; now: number; tokens?: { prompt: number; completion: number } | undefined }
        | { ok: false; error: string; retryAt: number | null; now: number },
    ): { notifyOwner: boolean } {
      return sqlite.transaction(() => {
        if (outcome.ok) {
          sqlite
            .prepare(`UPDATE report_runs SET state = 'delivered', finished_at = ?, channel_id = ?, message_ts = ?, error = NULL,
              prompt_tokens = ?, completion_tokens = ? WHERE id = ?`)
            .run(outcome.now, outcome.channelId, outcome.messageTs, outcome.tokens?.prompt ?? null, outcome.tokens?.completion ?? null, run.runId);
          sqlite
            .prepare(`UPDATE reports SET last_finished_at = ?, last_ok = 1, last_error = NULL, last_channel_id = ?, last_message_ts = ?,
              failure_notified = 0 WHERE team_id = ? AND id = ?`)
            .run(outcome.now, outcome.channelId, outcome.messageTs, teamId, run.report.id);
          return { notifyOwner: false };
        }
        sqlite
          .prepare('UPDATE report_runs SET state = ?, retry_at = ?, finished_at = ?, error = ? WHERE id = ?')
          .run(outcome.retryAt === null ? 'failed' : 'retry', outcome.retryAt, outcome.now, outcome.error, run.runId);
        const notified = sqlite
          .prepare('UPDATE reports SET failure_notified = 1 WHERE team_id = ? AND id = ? AND failure_notified = 0')
          .run(teamId, run.report.id).changes > 0;
        sqlite
          .prepare('UPDATE reports SET last_finished_at = ?, last_ok = 0, last_error = ? WHERE team_id = ? AND id = ?')
          .run(outcome.now, outcome.error, teamId, run.report.id);
        return { notifyOwner: notified };
      })();
    },

    /** Runs of a report, newest first (App Home, tests). */
    runs(teamId: string, reportId: string): { slot: number; trigger: RunTrigger; state: string; attempt: number; error: string | null }[] {
      return sqlite
        .prepare('SELECT slot, trigger, state, attempt, error FROM report_runs WHERE team_id = ? AND report_id = ? ORDER BY id DESC')
        .all(teamId, reportId) as { slot: number; trigger: RunTrigger; state: string; attempt: number; error: string | null }[];
    },

    inTransaction<T>(work: () => T): T {
      return sqlite.transaction(work)();
    },
  };
}

export type ReportStore = ReturnType<typeof createReportStore>;
