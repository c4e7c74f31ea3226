/**
 * Disconnecting a workspace: stop everything Pulse does for it (analytics
 * sync, scheduled reports, new events), then delete every row it stored for
 * the team, in every table. The same deletion serves App Home's "Disconnect
 * Pulse", Slack's app_uninstalled and tokens_revoked events, and
 * `npm run purge -- --team`. Talking to Slack afterwards (the farewell Home
 * tab, auth.revoke) is the caller's: after an uninstall there is no one to
 * talk to.
 */
import type { Logger } from '../logger.ts';
import { groupByKind, totalRows, type DataKindCount } from './data-kinds.ts';
import type { LifecycleStore, TableCounts } from '../db/workspace-lifecycle-store.ts';

export type DisconnectReason = 'admin' | 'app_uninstalled' | 'tokens_revoked' | 'cli';

export interface DeletionSummary {
  teamId: string;
  reason: DisconnectReason;
  /** Rows deleted per table (every table with team_id, zeros included). */
  tables: TableCounts;
  kinds: DataKindCount[];
  total: number;
}

/** Deletes every row of the team; what the CLI runs, and the last step of a disconnect. */
export function deleteWorkspaceData(store: Pick<LifecycleStore, 'deleteTeamRows'>, teamId: string, reason: DisconnectReason): DeletionSummary {
  const tables = store.deleteTeamRows(teamId);
  return { teamId, reason, tables, kinds: groupByKind(tables), total: totalRows(tables) };
}

export interface WorkspaceLifecycleDependencies {
  store: Pick<LifecycleStore, 'countTeamRows' | 'deleteTeamRows'>;
  /** Stops the workspace's sync, its schedule and its reports, and resolves once they have stopped writing. */
  stopWork: (teamId: string) => Promise<void>;
  /** Starts what stopWork stopped (and the answers), when the deletion failed and the workspace goes on. */
  resumeWork?: (teamId: string) => Promise<void> | void;
  /**
   * Resolves once the answers already running for the workspace have finished: an agent run can still write
   * (an opt-out, a report proposal) after its question's row is gone.
   */
  answersFinished?: (teamId: string) => Promise<void>;
  /** How long a disconnect waits for those answers before deleting (default ANSWER_GRACE_MS). */
  answerGraceMs?: number;
  logger: Logger;
}

/**
 * A disconnect waits this long for running answers before deleting; one that takes longer has what it
 * wrote deleted when it ends. Long enough for a model call to finish, short enough for the admin waiting.
 */
export const ANSWER_GRACE_MS = 10_000;

export class WorkspaceLifecycle {
  private readonly disconnected = new Set<string>();
  private readonly running = new Map<string, Promise<DeletionSummary>>();

  constructor(private readonly deps: WorkspaceLifecycleDependencies) {}

  /** False from the moment a disconnect starts: events and new work for the team are dropped. */
  isConnected(teamId: string): boolean {
    return !this.disconnected.has(teamId);
  }

  /** What a disconnect would delete now (the confirmation modal lists it). */
  storedData(teamId: string): DataKindCount[] {
    return groupByKind(this.deps.store.countTeamRows(teamId));
  }

  /**
   * Stops the workspace's work and deletes its rows. Two triggers at once
   * (tokens_revoked and app_uninstalled arrive together) share one run; a
   * later call deletes again whatever in-flight work wrote since.
   */
  disconnect(teamId: string, reason: DisconnectReason, by?: string): Promise<DeletionSummary> {
    const running = this.running.get(teamId);
    if (running) return running;
    this.disconnected.add(teamId);
    const run = this.run(teamId, reason, by)
      .catch(async (error: unknown) => {
        // Nothing was deleted (one transaction): the workspace goes on as before, and an admin can try again.
        this.disconnected.delete(teamId);
        try {
          await this.deps.resumeWork?.(teamId);
        } catch (resumeError) {
          this.deps.logger.error(`workspace ${teamId}: resuming its work after a failed disconnect failed:`, resumeError);
        }
        throw error;
      })
      .finally(() => this.running.delete(teamId));
    this.running.set(teamId, run);
    return run;
  }

  private async run(teamId: string, reason: DisconnectReason, by: string | undefined): Promise<DeletionSummary> {
    try {
      await this.deps.stopWork(teamId);
    } catch (error) {
      // Deleting matters more than a clean stop: a run that still writes is caught by the next disconnect or purge.
      this.deps.logger.error(`workspace ${teamId}: stopping its work before the disconnect failed:`, error);
    }
    const answersFinished = this.deps.answersFinished?.(teamId) ?? Promise.resolve();
    const inTime = await settlesWithin(answersFinished, this.deps.answerGraceMs ?? ANSWER_GRACE_MS);
    if (!inTime) void answersFinished.catch(() => undefined).then(() => this.deleteLateRows(teamId, reason));
    const summary = deleteWorkspaceData(this.deps.store, teamId, reason);
    const detail = Object.entries(summary.tables)
      .filter(([, rows]) => rows > 0)
      .map(([table, rows]) => `${table} ${rows}`)
      .join(', ');
    this.deps.logger.info(
      `workspace ${teamId} disconnected (${reason}${by ? ` by ${by}` : ''}): deleted ${summary.total} rows${detail ? ` (${detail})` : ''}`,
    );
    return summary;
  }

  /** What answers still running at the deletion wrote afterwards. */
  private deleteLateRows(teamId: string, reason: DisconnectReason): void {
    try {
      const late = deleteWorkspaceData(this.deps.store, teamId, reason);
      if (late.total > 0) this.deps.logger.info(`workspace ${teamId}: deleted ${late.total} rows written by answers that ended after the disconnect`);
    } catch (error) {
      this.deps.logger.error(`workspace ${teamId}: deleting what late answers wrote failed; run npm run purge -- --team ${teamId}:`, error);
    }
  }
}

/** True when the promise settled within `ms` (a rejection counts: the work is over either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
