/**
 * A Pulse tool: a zod schema the model's arguments must satisfy and a run
 * function that gets the answer's context through injected dependencies.
 * Tools can post only into the thread being answered (ToolContext.files).
 */
import type { z } from 'zod';
import type { MetricsExporter } from '../../analytics/metrics-exporter.ts';
import type { PeopleSummaries } from '../../analytics/people-summaries.ts';
import type { Asker, Audience, WorkspaceMetrics } from '../../analytics/workspace-metrics.ts';
import type { ThreadFileDelivery } from '../../conversation/ports.ts';
import type { ReportService } from '../../reports/report-service.ts';

/**
 * The workspace's collaboration data, access-controlled for the asker. Exports and people summaries are
 * optional: where they are missing, their tools say they are not available.
 */
export type AnalyticsTools = Pick<WorkspaceMetrics, 'metric' | 'threads' | 'listChannels' | 'findPerson'> &
  Pick<MetricsExporter, 'exportToDm'> &
  Pick<PeopleSummaries, 'collaborationEvidence' | 'setPeopleSummaryOptOut'>;

export interface ToolContext {
  teamId: string;
  askerId: string;
  askerTimeZone: string | undefined;
  workspaceTimeZone: string;
  now: () => Date;
  files: ThreadFileDelivery;
  /** Absent when analytics is not wired (the tools then say so). */
  analytics?: AnalyticsTools;
  /** Scheduled reports; absent when not wired (propose_report then says so). */
  reports?: ReportTools;
  /** The conversation being answered, where a proposal's Confirm button is posted. */
  thread?: { channelId: string; threadTs: string } | undefined;
  /** Set when the answer is posted for others too (a scheduled report): analytics figures are held to what they may see. */
  audience?: Audience | undefined;
}

/** The asker as the analytics tools pass it on, with the answer's audience when it has one. */
export function askerOf(context: ToolContext): Asker {
  return { teamId: context.teamId, userId: context.askerId, ...(context.audience ? { audience: context.audience } : {}) };
}

/** Scheduled reports, as the agent may use them: it proposes, the asker confirms. */
export type ReportTools = Pick<ReportService, 'propose'>;

export interface PulseTool<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: Schema;
  /** Returns what the model reads back. Throwing is fine: the error text goes back to the model. */
  run(args: z.infer<Schema>, context: ToolContext): Promise<string>;
}

export function defineTool<Schema extends z.ZodType>(tool: PulseTool<Schema>): PulseTool<Schema> {
  return tool;
}
