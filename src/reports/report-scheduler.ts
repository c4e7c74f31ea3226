/**
 * Runs reports when they are due. One timer, set for the earliest due slot or
 * retry (and at least once a minute, since App Home or another Pulse process
 * may change reports meanwhile). Each wake-up claims due work in a database
 * transaction, so a slot is delivered by one process once; a slot missed
 * while Pulse was down runs once, at startup, however many slots passed.
 */
import { randomUUID } from 'node:crypto';
import { describeErrorForUser, createErrorReference } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ClaimedRun, ReportStore } from '../db/report-store.ts';
import type { Clock } from './clock.ts';
import { nextRunAfter } from './report-schedule.ts';
import type { Report, RunTrigger } from './report-types.ts';

/** The longest the scheduler sleeps before re-reading the reports (changes by App Home or another process). */
export const MAX_SLEEP_MS = 60_000;
/** A slot claimed this late was missed (Pulse was down), and its run says "catch-up". */
export const CATCH_UP_AFTER_MS = 60_000;
/** A run still marked running after this was cut short by a crash: it is retried. */
export const RUN_LEASE_MS = 15 * 60_000;
/** Waits before the 2nd, 3rd and 4th attempt of a failed run; after the last, the run has failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000] as const;
/** Reports running at once: a Monday-09:00 crowd of reports queues instead of flooding the LLM and Slack. */
export const MAX_CONCURRENT_RUNS = 2;
/** How long shutdown waits for running reports before closing the database under them. */
export const STOP_GRACE_MS = 10_000;

export interface ReportExecutor {
  /** Produces and posts the report; throws (UserFacingError text is shown to the owner) when it cannot. */
  run(
    report: Report,
    context: { trigger: RunTrigger; ranAt: number; nextRunAt: number | null },
  ): Promise<{ channelId: string; messageTs: string; tokens?: { prompt: number; completion: number } }>;
  /** The one DM to the owner about a run of failures. */
  notifyFailure(report: Report, problem: string, retryAt: number | null): Promise<void>;
}

export interface ReportSchedulerDependencies {
  teamId: string;
  store: ReportStore;
  clock: Clock;
  executor: ReportExecutor;
  logger: Logger;
}

export class ReportScheduler {
  /** Identifies this process's claims in report_runs. */
  private readonly owner = randomUUID();
  private cancelTimer: (() => void) | undefined;
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: ClaimedRun[] = [];
  private stopped = true;

  constructor(private readonly deps: ReportSchedulerDependencies) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    // Claimed runs not started stay claimed; another process (or this one after a restart) retries them after the lease.
    this.waiting.length = 0;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
  }

  /** Re-reads the reports now (one was created, edited or resumed). */
  wake(): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    try {
      const now = this.deps.clock.now();
      const { store, teamId } = this.deps;
      const broken = (reportId: string, error: unknown) => {
        this.deps.logger.error(`report ${reportId}: its schedule cannot be read; pausing it:`, error);
        store.pauseBroken(teamId, reportId, 'Pulse could not read this report’s schedule, so it is paused. Edit the schedule in App Home.', now);
      };
      const due = store.claimDue(teamId, now, this.owner, (report) => nextRunAfter(report.schedule, now), CATCH_UP_AFTER_MS, broken);
      for (const run of [...due, ...store.claimRetries(teamId, now, this.owner, RUN_LEASE_MS)]) this.execute(run);
    } catch (error) {
      this.deps.logger.error('reports: could not claim due runs:', error);
    }
    this.arm();
  }

  /** Runs a report now on someone's request; false when it no longer exists or Pulse is stopping. */
  runNow(reportId: string): boolean {
    if (this.stopped) return false;
    const run = this.deps.store.claimManual(this.deps.teamId, reportId, this.deps.clock.now(), this.owner);
    if (!run) return false;
    this.execute(run);
    return true;
  }

  /** Resolves when every run claimed so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    const next = this.deps.store.nextWakeAt(this.deps.teamId);
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, (next ?? Number.POSITIVE_INFINITY) - now));
    this.cancelTimer = this.deps.clock.setTimer(delay, () => this.wake());
  }

  /** Starts the run when a slot is free (MAX_CONCURRENT_RUNS), else queues it. */
  private execute(run: ClaimedRun): void {
    this.waiting.push(run);
    this.startWaiting();
  }

  private startWaiting(): void {
    while (!this.stopped && this.running.size < MAX_CONCURRENT_RUNS && this.waiting.length > 0) {
      const run = this.waiting.shift() as ClaimedRun;
      const work = this.attempt(run)
        .catch((error: unknown) => this.deps.logger.error(`report run ${run.runId} could not be recorded:`, error))
        .finally(() => {
          this.running.delete(work);
          this.startWaiting();
        });
      this.running.add(work);
    }
  }

  private async attempt(run: ClaimedRun): Promise<void> {
    const { store, teamId, clock, executor, logger } = this.deps;
    store.heartbeat(run.runId, clock.now(), this.owner);
    const report = store.get(teamId, run.report.id);
    if (!report) return; // Deleted since it was claimed.
    let posted: Awaited<ReturnType<ReportExecutor['run']>>;
    try {
      posted = await executor.run(report, { trigger: run.trigger, ranAt: clock.now(), nextRunAt: report.nextRunAt });
    } catch (error) {
      const reference = createErrorReference();
      const problem = describeErrorForUser(error, reference);
      logger.warn(`report ${report.id} (${run.trigger}, attempt ${run.attempt}) failed [ref ${reference}]:`, error);
      const delay = RETRY_DELAYS_MS[run.attempt - 1];
      const retryAt = delay === undefined ? null : clock.now() + delay;
      const { notifyOwner } = store.finishRun(teamId, run, { ok: false, error: problem, retryAt, now: clock.now() });
      if (notifyOwner) {
        await executor.notifyFailure(report, problem, retryAt).catch((notifyError: unknown) => {
          logger.warn(`report ${report.id}: could not tell the owner about the failure:`, notifyError);
        });
      }
      this.wakeSoon();
      return;
    }
    // Posted: whatever happens to the bookkeeping now, the run must not be retried (it would post twice).
    try {
      store.finishRun(teamId, run, { ok: true, ...posted, now: clock.now() });
    } catch (error) {
      logger.error(`report ${report.id} was posted (${posted.channelId} ${posted.messageTs}) but its run could not be recorded:`, error);
    }
    logger.info(`report ${report.id} (${run.trigger}, attempt ${run.attempt}) posted in ${posted.channelId}`);
  }

  /** A failed run's retry may now be the earliest thing to do. */
  private wakeSoon(): void {
    if (!this.stopped) this.wake();
  }
}
