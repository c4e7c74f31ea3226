/** Whether Pulse can read a conversation before it offers to answer about it. */
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from './slack-errors.ts';

export type ConversationAccess = 'readable' | 'not_in_channel' | 'private_conversation';

export async function checkConversationAccess(client: WebClient, channelId: string): Promise<ConversationAccess> {
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    if (channel?.is_im) return 'readable'; // only Pulse's own DMs are visible to its token
    return channel?.is_member ? 'readable' : 'not_in_channel';
  } catch (error) {
    // DMs and private channels Pulse is not part of do not exist for its token.
    if (slackErrorCode(error) === 'channel_not_found') return 'private_conversation';
    throw error;
  }
}
