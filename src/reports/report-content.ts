/**
 * What a report says when it runs: a saved question answered by the agent as
 * the report's owner, or a fixed workspace_metrics query turned into a
 * summary, a CSV and a chart without the LLM. Either way the owner's access
 * applies at run time: the figures are the ones the owner may see today.
 */
import { fileNameFor } from '../agent/tools/share-table.ts';
import { toCsv } from '../csv.ts';
import { buildChartConfiguration, describeChartForAltText } from '../charts/chart-spec.ts';
import { renderChartPng } from '../charts/render-chart.ts';
import type { AnswerGenerator, ThreadFile } from '../conversation/ports.ts';
import { UserFacingError } from '../errors.ts';
import type { Audience, WorkspaceMetrics } from '../analytics/workspace-metrics.ts';
import { buildMetricReport, metricRequestFor, type MetricTable } from './metric-report.ts';
import type { Report, ReportDestination } from './report-types.ts';

export interface ReportContent {
  markdown: string;
  files: ThreadFile[];
  /** The model's tokens, for the owner's usage and budget (none for a metric report). */
  tokens?: { prompt: number; completion: number };
}

export interface ReportContentDependencies {
  generator: AnswerGenerator;
  metrics: Pick<WorkspaceMetrics, 'metric'>;
  /** The owner's display name, for the question's context. */
  ownerName: (teamId: string, userId: string) => Promise<string>;
  /** Why the owner may not use the model today (a daily token budget), or undefined. */
  budgetProblem: (teamId: string, userId: string) => string | undefined;
}

/** Who reads a report besides its owner: a private channel's figures only in that channel, per-person figures as for members. */
export function audienceOf(destination: ReportDestination): Audience | undefined {
  if (destination.kind === 'dm') return undefined;
  return { privateChannelIds: destination.kind === 'channel' ? [destination.channelId] : [] };
}

export async function produceReportContent(deps: ReportContentDependencies, report: Report, now: number): Promise<ReportContent> {
  const work = report.work;
  const audience = audienceOf(report.destination);
  if (work.kind === 'question') {
    const overBudget = deps.budgetProblem(report.teamId, report.ownerId);
    if (overBudget) throw new UserFacingError('budget_exceeded', overBudget);
    const files: ThreadFile[] = [];
    const answer = await deps.generator.generateAnswer({
      teamId: report.teamId,
      askerId: report.ownerId,
      context: [
        {
          ts: (now / 1000).toFixed(6),
          authorId: report.ownerId,
          authorName: await deps.ownerName(report.teamId, report.ownerId),
          fromPulse: false,
          text: work.question,
          files: [],
        },
      ],
      // The files the agent makes (charts, CSVs) are posted with the report.
      files: { uploadFile: async (file) => void files.push(file) },
      ...(audience ? { audience } : {}),
    });
    return { markdown: answer.markdown, files, tokens: { prompt: answer.usage.promptTokens, completion: answer.usage.completionTokens } };
  }
  const request = metricRequestFor(work.query, now, report.schedule.timeZone);
  const result = await deps.metrics.metric({ teamId: report.teamId, userId: report.ownerId, ...(audience ? { audience } : {}) }, request);
  if ('refused' in result) throw new UserFacingError('report_refused', `The report's query was refused: ${String(result.refused)}`);
  const built = buildMetricReport(report.name, result as unknown as MetricTable, work.chart);
  const files: ThreadFile[] = [
    { bytes: Buffer.from(toCsv(built.csv.columns, built.csv.rows), 'utf8'), filename: fileNameFor(report.name, 'csv'), title: report.name },
  ];
  if (built.chart) {
    const png = await renderChartPng(buildChartConfiguration(built.chart));
    files.unshift({ bytes: png, filename: fileNameFor(report.name, 'png'), title: report.name, altText: describeChartForAltText(built.chart) });
  }
  return { markdown: built.markdown, files };
}
