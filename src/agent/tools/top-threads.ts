/** top_threads: individual threads ranked by depth or by how long the first answer took, with links to open them. */
import { z } from 'zod';
import { LINK_KINDS } from '../../analytics/classify-link.ts';
import { askerOf, defineTool } from './pulse-tool.ts';
import { dateArgument, NO_ANALYTICS } from './workspace-metrics.ts';


export const topThreadsTool = defineTool({
  name: 'top_threads',
  description:
    'Threads from the synced channels ranked by replies, participants, or slowest first reply, each with its Slack link, ' +
    'reply and participant counts, minutes to the first reply and the kinds of work-item links in it (e.g. github_pr). ' +
    'Use link_kinds to find threads about pull requests, Jira tickets, docs… Message text is never available.',
  schema: z.object({
    order: z.enum(['replies', 'participants', 'slowest_first_reply']).default('replies'),
    channels: z.array(z.string().min(1)).max(50).optional(),
    people: z.array(z.string().min(1)).max(50).optional().describe('Only threads these people started (Slack ids).'),
    link_kinds: z.array(z.enum(LINK_KINDS)).optional(),
    from: dateArgument.optional(),
    to: dateArgument.optional(),
    limit: z.number().int().min(1).max(50).default(10),
  }),
  run: async (args, context) => {
    if (!context.analytics) return NO_ANALYTICS;
    const result = await context.analytics.threads(
      askerOf(context),
      {
        order: args.order,
        limit: args.limit,
        ...(args.channels ? { channels: args.channels } : {}),
        ...(args.people ? { people: args.people } : {}),
        ...(args.link_kinds ? { linkKinds: args.link_kinds } : {}),
        ...(args.from ? { from: args.from } : {}),
        ...(args.to ? { to: args.to } : {}),
      },
    );
    return JSON.stringify(result);
  },
});
