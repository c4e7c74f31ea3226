/** propose_report: sets up a scheduled report, created only after the asker clicks Confirm in Slack. */
import { z } from 'zod';
import { metricQuerySchema } from '../../reports/metric-report.ts';
import { MAX_SCHEDULE_TEXT } from '../../reports/report-schedule.ts';
import { MAX_DESTINATION_TEXT, MAX_REPORT_NAME, MAX_REPORT_QUESTION } from '../../reports/report-service.ts';
import { defineTool } from './pulse-tool.ts';

export const proposeReportTool = defineTool({
  name: 'propose_report',
  description:
    'Propose a scheduled report when someone asks for something to be posted regularly ("post this every Monday at 9:00 to #eng-leads"). ' +
    'It runs either a saved question (answered by you each time, with charts and CSVs as you see fit) or a fixed workspace_metrics query ' +
    '(a table, a CSV and a chart, no model needed). Pulse shows the proposal with Confirm and Cancel buttons; nothing is scheduled until the asker confirms. ' +
    "Times are in the workspace's time zone.",
  schema: z.object({
    name: z.string().min(1).max(MAX_REPORT_NAME).describe('A short name, e.g. "Weekly messages per channel".'),
    schedule: z
      .string()
      .min(1)
      .max(MAX_SCHEDULE_TEXT)
      .describe('When, in words or cron: "every Monday at 9:00", "every weekday at 8am", "daily at 17:30", "on the 1st of every month at 9:00", "0 9 * * 1".'),
    destination: z
      .string()
      .min(1)
      .max(MAX_DESTINATION_TEXT)
      .describe('Where: a channel ("#eng-leads" or its id), "me" for the asker\'s DM, or people for a group DM ("<@U1> <@U2>").'),
    question: z.string().min(1).max(MAX_REPORT_QUESTION).optional().describe('For a question report: the question to answer each time, written to stand alone.'),
    metric: metricQuerySchema.optional().describe('For a metric report: workspace_metrics arguments with a rolling window of `days` instead of from/to.'),
    chart: z.enum(['none', 'bar', 'line']).optional().describe('For a metric report: the chart (default bar; line for series over time).'),
  }),
  run: async (args, context) => {
    if (!context.reports) return 'Scheduled reports are not available in this Pulse.';
    return context.reports.propose({
      teamId: context.teamId,
      askerId: context.askerId,
      thread: context.thread,
      name: args.name,
      schedule: args.schedule,
      destination: args.destination,
      question: args.question,
      metric: args.metric,
      chart: args.chart,
    });
  },
});
