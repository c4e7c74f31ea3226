/**
 * message.im / message.channels / message.groups: DMs to Pulse, and replies
 * in channel threads Pulse is part of. Everything else (edits, deletes, joins,
 * bots, channel chatter not addressed to Pulse) is ignored.
 */
import type { App } from '@slack/bolt';
import { directMessageQuestion, threadReplyCandidate, type MessageEventFields } from '../../question-from-event.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.event('message', async ({ event, body }) => {
    // Questions belong to the workspace Pulse is installed in, whatever team id the payload names.
    const ids = { teamId: deps.teamId, botUserId: deps.botUserId, eventId: body.event_id };
    const fields = event as MessageEventFields;
    const dm = directMessageQuestion(fields, ids);
    if (dm) {
      // A redelivery (or a copy naming someone else) of a message already taken is not a first visit.
      if (deps.conversations.submit(dm) === 'duplicate') return;
      // Not awaited: the welcome is a side post and must not hold up the next event.
      void deps.welcome(dm.teamId, dm.userId, dm.channelId);
      return;
    }
    const reply = threadReplyCandidate(fields, ids);
    if (reply?.replyThreadTs && deps.conversations.isPulseThread(reply.teamId, reply.replyChannelId, reply.replyThreadTs)) {
      deps.conversations.submit(reply);
    }
  });
}
