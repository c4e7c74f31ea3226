/**
 * Scheduled reports: what a report is, where it goes, and what a run left
 * behind. Plain data shared by the store, the scheduler, the runner, the
 * agent tool and the Slack views.
 */

/** What a report runs: a saved question through the agent, or a fixed metric query charted without the LLM. */
export type ReportWork =
  | { kind: 'question'; question: string }
  | {
      kind: 'metric';
      /** The workspace_metrics arguments, as the tool takes them (metric, group_by, filters, period, top, sort). */
      query: Record<string, unknown>;
      /** The chart drawn from the table: none, bar or line. */
      chart: 'none' | 'bar' | 'line';
    };

/** Where a report posts: a channel (public or private: Pulse must be a member), the owner's DM, or a group DM. */
export type ReportDestination =
  | { kind: 'channel'; channelId: string }
  | { kind: 'dm'; userId: string }
  | { kind: 'group_dm'; userIds: string[] };

export type ReportStatus = 'active' | 'paused';

export interface ReportSchedule {
  /** Five-field cron (minute hour day-of-month month day-of-week), evaluated in `timeZone`. */
  cron: string;
  /** IANA time zone: the workspace's (WORKSPACE_TIMEZONE) when the report was made. */
  timeZone: string;
  /** The schedule as people read it, e.g. "Every Monday at 09:00". */
  description: string;
}

export interface Report {
  id: string;
  teamId: string;
  ownerId: string;
  name: string;
  work: ReportWork;
  destination: ReportDestination;
  schedule: ReportSchedule;
  status: ReportStatus;
  /** Epoch ms of the next scheduled run; null while paused. */
  nextRunAt: number | null;
  lastRun: ReportRunSummary | null;
  createdAt: number;
  updatedAt: number;
}

export type RunTrigger = 'schedule' | 'catch_up' | 'manual' | 'retry';

export interface ReportRunSummary {
  /** Epoch ms the run finished (or failed for good). */
  finishedAt: number;
  ok: boolean;
  /** User-safe: what went wrong and what to do, when not ok. */
  error: string | null;
  /** Where the report was posted, when ok. */
  channelId: string | null;
  messageTs: string | null;
}

/** A report an agent proposed in a conversation, waiting for its asker to click Confirm. */
export interface ReportProposal {
  id: string;
  teamId: string;
  proposerId: string;
  name: string;
  work: ReportWork;
  destination: ReportDestination;
  schedule: ReportSchedule;
  createdAt: number;
  /** Epoch ms after which Confirm no longer creates it. */
  expiresAt: number;
}
