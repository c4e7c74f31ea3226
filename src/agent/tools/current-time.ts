/** current_time: now, in the workspace's and the asker's time zones. */
import { z } from 'zod';
import { defineTool } from './pulse-tool.ts';

function describeNow(now: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(now);
  return `${text} (${timeZone})`;
}

export const currentTimeTool = defineTool({
  name: 'current_time',
  description: "The current date and time in the workspace's time zone and in the asker's own time zone.",
  schema: z.object({}).describe('No arguments.'),
  run: async (_args, context) => {
    const now = context.now();
    return JSON.stringify({
      utc: now.toISOString(),
      workspace: describeNow(now, context.workspaceTimeZone),
      asker: context.askerTimeZone ? describeNow(now, context.askerTimeZone) : 'unknown (no time zone on their Slack profile)',
    });
  },
});
