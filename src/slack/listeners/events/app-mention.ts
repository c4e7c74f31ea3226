/** app_mention: answer in the thread the mention is in, or start one under it. */
import type { App } from '@slack/bolt';
import { mentionQuestion, type MessageEventFields } from '../../question-from-event.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.event('app_mention', async ({ event, body }) => {
    const question = mentionQuestion(event as MessageEventFields, {
      teamId: body.team_id ?? deps.teamId,
      botUserId: deps.botUserId,
      eventId: body.event_id,
    });
    if (question) deps.conversations.submit(question);
  });
}
