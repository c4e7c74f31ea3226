/** message.im: every DM to Pulse (top level or in a DM thread) is a question. */
import type { App } from '@slack/bolt';
import type { ConversationService } from '../../../conversation/conversation-service.ts';
import { directMessageQuestion, type MessageEventFields } from '../../question-from-event.ts';

export function register(app: App, deps: { conversations: ConversationService; teamId: string; botUserId: string }) {
  app.event('message', async ({ event, body }) => {
    const question = directMessageQuestion(event as MessageEventFields, {
      teamId: body.team_id ?? deps.teamId,
      botUserId: deps.botUserId,
      eventId: body.event_id,
    });
    if (question) deps.conversations.submit(question);
  });
}
