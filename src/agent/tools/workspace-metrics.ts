/** workspace_metrics: collaboration figures from the synced channels, as a table the agent can describe, chart or share. */
import { z } from 'zod';
import { LINK_KINDS } from '../../analytics/classify-link.ts';
import { METRIC_DEFINITIONS } from '../../analytics/workspace-metrics.ts';
import { DIMENSIONS, METRICS } from '../../db/analytics-queries.ts';
import { askerOf, defineTool, type ToolContext } from './pulse-tool.ts';

export const NO_ANALYTICS = 'Workspace analytics is not available in this Pulse.';

/** A day argument, as the analytics tools take it. */
export const dateArgument = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD');

export const workspaceMetricsTool = defineTool({
  name: 'workspace_metrics',
  description:
    'Collaboration figures from the Slack channels Pulse syncs (metadata only: who posted, replied, reacted, mentioned, linked; never message text). ' +
    'Returns a table (columns, rows) plus the definition, date range and channels counted; describe it, chart it with render_chart, or share it with share_table. ' +
    'Resolve channel names with list_channels and people with find_person first; use current_time for relative dates. Metrics: ' +
    METRICS.map((metric) => `${metric} — ${METRIC_DEFINITIONS[metric]}`).join(' '),
  schema: z.object({
    metric: z.enum(METRICS),
    group_by: z
      .array(z.enum(DIMENSIONS))
      .max(2)
      .default([])
      .describe('Up to two of person, channel, day, week (Monday-start, UTC), month, link_kind (links only). Empty: one total.'),
    channels: z.array(z.string().min(1)).max(50).optional().describe('Channel ids or names; default: every synced channel the asker is in.'),
    people: z.array(z.string().min(1)).max(50).optional().describe('Slack user ids (from find_person) to restrict to.'),
    link_kinds: z.array(z.enum(LINK_KINDS)).optional().describe('For links and thread metrics: only these kinds of work item.'),
    from: dateArgument.optional().describe('First day, inclusive (default: 30 days ago).'),
    to: dateArgument.optional().describe('Last day, inclusive (default: today).'),
    top: z.number().int().min(1).max(100).optional().describe('Keep the top N people/channels (default 10 when ranking).'),
    sort: z.enum(['desc', 'asc']).default('desc'),
  }),
  run: async (args, context: ToolContext) => {
    if (!context.analytics) return NO_ANALYTICS;
    const result = await context.analytics.metric(
      askerOf(context),
      {
        metric: args.metric,
        groupBy: args.group_by,
        sort: args.sort,
        ...(args.channels ? { channels: args.channels } : {}),
        ...(args.people ? { people: args.people } : {}),
        ...(args.link_kinds ? { linkKinds: args.link_kinds } : {}),
        ...(args.from ? { from: args.from } : {}),
        ...(args.to ? { to: args.to } : {}),
        ...(args.top ? { top: args.top } : {}),
      },
    );
    return JSON.stringify(result);
  },
});
