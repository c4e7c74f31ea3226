/** One short welcome per person, the first time they open Pulse's Messages tab or DM it. */
import type { WebClient } from '@slack/web-api';
import type { WorkspaceSettingsStore } from '../db/workspace-settings-store.ts';
import type { Logger } from '../logger.ts';

export const WELCOME_TEXT = [
  ":wave: Hi, I'm *Pulse*, your team's AI analyst. A few ways to use me:",
  '• Ask me anything here — e.g. _“summarise what we decided about the Q3 launch”_.',
  '• Mention *@Pulse* in a channel thread I’m in, and I’ll answer there.',
  '• On any message, use *⋯ → Ask Pulse* (answer in its thread) or *Ask Pulse in DM* (a private answer here).',
].join('\n');

export async function welcomeIfNew(
  deps: { client: WebClient; store: WorkspaceSettingsStore; logger: Logger },
  teamId: string,
  userId: string,
  dmChannelId?: string,
): Promise<boolean> {
  try {
    if (!deps.store.markWelcomed(teamId, userId)) return false;
    const channel = dmChannelId ?? (await deps.client.conversations.open({ users: userId })).channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    await deps.client.chat.postMessage({ channel, text: WELCOME_TEXT });
    return true;
  } catch (error) {
    deps.logger.warn(`could not welcome ${userId}:`, error);
    return false;
  }
}
