/** app_mention: answer in the thread the mention is in, or start one under it. */
import type { App } from '@slack/bolt';
import { mentionQuestion, type MessageEventFields } from '../../question-from-event.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.event('app_mention', async ({ event, body }) => {
    const question = mentionQuestion(event as MessageEventFields, {
      // Questions belong to the workspace Pulse is installed in, whatever team id the payload names.
      teamId: deps.teamId,
      botUserId: deps.botUserId,
      eventId: body.event_id,
    });
    if (question) deps.conversations.submit(question);
  });
}
