/** find_person: a name, handle or email the user typed → Slack user ids for workspace_metrics. */
import { z } from 'zod';
import { askerOf, defineTool } from './pulse-tool.ts';
import { NO_ANALYTICS } from './workspace-metrics.ts';

export const findPersonTool = defineTool({
  name: 'find_person',
  description: 'Finds people in the workspace by name, display name, handle or email; returns their Slack ids for workspace_metrics and top_threads.',
  schema: z.object({ query: z.string().trim().min(1).max(80) }),
  run: async (args, context) => {
    if (!context.analytics) return NO_ANALYTICS;
    return JSON.stringify(await context.analytics.findPerson(askerOf(context), args.query));
  },
});
