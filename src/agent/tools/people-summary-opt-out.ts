/** people_summary_opt_out: the asker leaves people summaries, or comes back. Acts on the asker only, never on someone else. */
import { z } from 'zod';
import { askerOf, defineTool } from './pulse-tool.ts';
import { NO_ANALYTICS } from './workspace-metrics.ts';

export const peopleSummaryOptOutTool = defineTool({
  name: 'people_summary_opt_out',
  description:
    'For the person asking only: opt_out true leaves them out of people summaries (collaboration_evidence then refuses to summarize them for anyone); false brings them back. ' +
    'It cannot change anyone else\u2019s choice; someone asking for another person should be told that person must ask themselves.',
  schema: z.object({ opt_out: z.boolean().describe('true: leave me out of people summaries; false: include me again.') }),
  run: async (args, context) => {
    if (!context.analytics) return NO_ANALYTICS;
    return JSON.stringify(await context.analytics.setPeopleSummaryOptOut(askerOf(context), args.opt_out));
  },
});
