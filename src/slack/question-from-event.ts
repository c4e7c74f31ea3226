/** Decides whether a Slack event is a question for Pulse, and which (pure). */
import type { NewQuestion } from '../db/question-store.ts';

/** The fields of a message event Pulse reads. */
export interface MessageEventFields {
  type?: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
}

/** Message subtypes that are a person speaking; every other subtype is ignored. */
const PERSON_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

export function directMessageQuestion(
  event: MessageEventFields,
  ids: { teamId: string; botUserId: string; eventId?: string | undefined },
): NewQuestion | undefined {
  if (event.type !== 'message' || event.channel_type !== 'im') return undefined;
  if (event.subtype !== undefined && !PERSON_SUBTYPES.has(event.subtype)) return undefined;
  if (event.bot_id !== undefined || !event.user || event.user === ids.botUserId) return undefined;
  if (!event.channel || !event.ts) return undefined;
  return {
    teamId: ids.teamId,
    channelId: event.channel,
    messageTs: event.ts,
    threadTs: event.thread_ts ?? event.ts,
    userId: event.user,
    source: 'dm',
    eventId: ids.eventId,
  };
}
