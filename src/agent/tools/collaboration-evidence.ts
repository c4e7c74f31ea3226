/** collaboration_evidence: one person's signals and the threads behind them, as permalinks a summary cites (admins only). */
import { z } from 'zod';
import { MAX_EVIDENCE_THREADS } from '../../analytics/people-evidence.ts';
import { askerOf, defineTool } from './pulse-tool.ts';
import { dateArgument, NO_ANALYTICS } from './workspace-metrics.ts';

export const collaborationEvidenceTool = defineTool({
  name: 'collaboration_evidence',
  description:
    "Admins only: for one person and period, their signals (messages, threads started, help replies, replies, reactions, mentions, links by kind, channels active in) and the threads behind them — threads they started and threads they gave help replies in — " +
    `each as a Slack link with channel, date, replies and participants (the ${MAX_EVIDENCE_THREADS} most active, and how many more). ` +
    'Resolve the person with find_person first (in pseudonymized workspaces pass their pseudonym P-…). Use it to write an evidence-cited summary of someone\u2019s collaboration.',
  schema: z.object({
    person: z.string().trim().min(1).max(80).describe('Slack user id from find_person (or a pseudonym P-… where people are pseudonymized).'),
    channels: z.array(z.string().min(1)).max(50).optional().describe('Channel ids or names; default: every synced channel the asker is in.'),
    from: dateArgument.optional().describe('First day, inclusive (default: 30 days ago).'),
    to: dateArgument.optional().describe('Last day, inclusive (default: today).'),
  }),
  run: async (args, context) => {
    if (!context.analytics) return NO_ANALYTICS;
    const result = await context.analytics.collaborationEvidence(askerOf(context), {
      person: args.person,
      ...(args.channels ? { channels: args.channels } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
    });
    return JSON.stringify(result);
  },
});
