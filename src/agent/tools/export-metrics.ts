/** export_metrics: per-person and per-channel metrics for a range as two CSV files in the asker's DM with Pulse (admins only). */
import { z } from 'zod';
import { DEFAULT_EXPORT_DAYS } from '../../analytics/metrics-export.ts';
import { askerOf, defineTool } from './pulse-tool.ts';
import { dateArgument, NO_ANALYTICS } from './workspace-metrics.ts';

export const exportMetricsTool = defineTool({
  name: 'export_metrics',
  description:
    "Admins only: export every additive collaboration signal for a date range as two CSV files (one row per person keyed by Slack id and email, one row per channel) sent to the asker's DM with Pulse, for matching with other tools. " +
    `Default range: the last ${DEFAULT_EXPORT_DAYS} days; use current_time for "last month". Returns where the files went, the range and the totals; if it refuses, relay the reason.`,
  schema: z.object({
    from: dateArgument.optional().describe(`First day, inclusive (default: ${DEFAULT_EXPORT_DAYS} days before the end).`),
    to: dateArgument.optional().describe('Last day, inclusive (default: today).'),
  }),
  run: async (args, context) => {
    if (!context.analytics) return NO_ANALYTICS;
    const result = await context.analytics.exportToDm(askerOf(context), {
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
    });
    return JSON.stringify(result);
  },
});
