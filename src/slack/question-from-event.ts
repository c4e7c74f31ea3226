/** Decides whether a Slack event is a question for Pulse, and which (pure). */
import { messageDedupeKey, type NewQuestion } from '../db/question-store.ts';

/** The fields of a message or app_mention event Pulse reads. */
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

export interface EventIds {
  teamId: string;
  botUserId: string;
  eventId?: string | undefined;
}

/** Message subtypes that are a person speaking; every other subtype is ignored. */
const PERSON_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

/** A Slack message timestamp: seconds, a dot, microseconds ("1700000000.000100"). */
const SLACK_TS = /^\d{1,12}\.\d{1,8}$/;
const isSlackTs = (value: unknown): value is string => typeof value === 'string' && SLACK_TS.test(value);
/** Slack's user and conversation ids: capital letters and digits ("U0123ABCD", "C0123ABCD", "D0123ABCD"). */
const SLACK_ID = /^[A-Z0-9]{2,32}$/;
const isId = (value: unknown): value is string => typeof value === 'string' && SLACK_ID.test(value);

/**
 * A message a person wrote (not a bot, not Pulse, not an edit/delete/join…), with what Pulse needs.
 * Ids and timestamps of another shape are not a message Pulse could answer: a question recorded from
 * one would reach the model about nothing and post its failure wherever the channel was.
 */
function personMessage(event: MessageEventFields, ids: EventIds) {
  if (event.subtype !== undefined && !PERSON_SUBTYPES.has(event.subtype)) return undefined;
  if (event.bot_id !== undefined || !isId(event.user) || event.user === ids.botUserId) return undefined;
  if (!isId(event.channel) || !isSlackTs(event.ts)) return undefined;
  if (event.thread_ts !== undefined && !isSlackTs(event.thread_ts)) return undefined;
  return { channel: event.channel, ts: event.ts, user: event.user, threadTs: event.thread_ts ?? event.ts };
}

function questionFor(
  message: { channel: string; ts: string; user: string; threadTs: string },
  source: NewQuestion['source'],
  ids: EventIds,
): NewQuestion {
  return {
    teamId: ids.teamId,
    dedupeKey: messageDedupeKey(message.channel, message.ts),
    source,
    userId: message.user,
    channelId: message.channel,
    messageTs: message.ts,
    threadTs: message.threadTs,
    replyChannelId: message.channel,
    replyThreadTs: message.threadTs,
    statusTs: message.ts,
    // Bolt passes the envelope's event_id through whatever its type; only Slack's string is kept.
    eventId: typeof ids.eventId === 'string' ? ids.eventId : undefined,
  };
}

export function mentionsBot(text: string | undefined, botUserId: string): boolean {
  return typeof text === 'string' && new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`).test(text);
}

/** message.im: every DM a person sends Pulse (top level or in a DM thread) is a question. */
export function directMessageQuestion(event: MessageEventFields, ids: EventIds): NewQuestion | undefined {
  if (event.type !== 'message' || event.channel_type !== 'im') return undefined;
  const message = personMessage(event, ids);
  return message && questionFor(message, 'dm', ids);
}

/** app_mention: a mention answers in the thread it is in, or starts one under itself. */
export function mentionQuestion(event: MessageEventFields, ids: EventIds): NewQuestion | undefined {
  if (event.type !== 'app_mention' || !mentionsBot(event.text, ids.botUserId)) return undefined;
  const message = personMessage(event, ids);
  return message && questionFor(message, 'mention', ids);
}

/**
 * message.channels / message.groups: a reply in a channel thread that does not
 * mention Pulse (mentions arrive as app_mention) — a follow-up if Pulse has
 * answered in that thread, which the caller checks.
 */
export function threadReplyCandidate(event: MessageEventFields, ids: EventIds): NewQuestion | undefined {
  if (event.type !== 'message' || (event.channel_type !== 'channel' && event.channel_type !== 'group')) return undefined;
  if (event.thread_ts === undefined || event.thread_ts === event.ts) return undefined;
  if (mentionsBot(event.text, ids.botUserId)) return undefined;
  const message = personMessage(event, ids);
  return message && questionFor(message, 'thread_follow_up', ids);
}
