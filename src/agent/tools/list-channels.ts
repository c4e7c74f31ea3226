/** list_channels: the channels Pulse syncs, to turn a name the user typed into an id. */
import { z } from 'zod';
import { askerOf, defineTool } from './pulse-tool.ts';
import { NO_ANALYTICS } from './workspace-metrics.ts';

export const listChannelsTool = defineTool({
  name: 'list_channels',
  description: 'Channels Pulse syncs for analytics (id, name, whether the asker is a member, how recent the data is). Optionally filtered by part of a name.',
  schema: z.object({ name_contains: z.string().max(80).optional() }),
  run: async (args, context) => {
    if (!context.analytics) return NO_ANALYTICS;
    return JSON.stringify(await context.analytics.listChannels(askerOf(context), args.name_contains));
  },
});
