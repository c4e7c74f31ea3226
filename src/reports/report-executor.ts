/**
 * One run of a report: check the destination as its owner, produce the
 * content, deliver it. Slack calls go through the delivery port.
 */
import type { ThreadFile } from '../conversation/ports.ts';
import { UserFacingError } from '../errors.ts';
import { produceReportContent, type ReportContent, type ReportContentDependencies } from './report-content.ts';
import type { ReportExecutor } from './report-scheduler.ts';
import type { ReportSlackPort } from './report-service.ts';
import type { Report, RunTrigger } from './report-types.ts';

export interface ReportDelivery {
  /** Posts the report message in its destination and its files in that message's thread. */
  deliver(report: Report, content: ReportContent, context: { trigger: RunTrigger; ranAt: number; nextRunAt: number | null }): Promise<{ channelId: string; messageTs: string }>;
  notifyFailure(report: Report, problem: string, retryAt: number | null): Promise<void>;
}

export function createReportExecutor(deps: {
  slack: Pick<ReportSlackPort, 'destinationProblem'>;
  delivery: ReportDelivery;
  content: ReportContentDependencies;
}): ReportExecutor {
  return {
    async run(report, context) {
      // Access as of today: the owner may have left the channel, or Pulse been removed, since the report was made.
      const problem = await deps.slack.destinationProblem(report.teamId, report.ownerId, report.destination);
      if (problem) throw new UserFacingError('report_destination', problem);
      const content = await produceReportContent(deps.content, report, context.ranAt);
      const posted = await deps.delivery.deliver(report, content, context);
      return { ...posted, ...(content.tokens ? { tokens: content.tokens } : {}) };
    },
    notifyFailure: (report, problem, retryAt) => deps.delivery.notifyFailure(report, problem, retryAt),
  };
}

export type { ThreadFile };
