/**
 * A DM is a plain message.im event; only a person speaking in a DM is a question. Real captures of
 * Slack's payloads are used where we have them, so a field Slack really sends cannot be misread.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  directMessageQuestion,
  mentionQuestion,
  threadReplyCandidate,
  type MessageEventFields,
} from '../../src/slack/question-from-event.ts';
import { fixtureUrl } from '../support/shared-fixtures.ts';

// ---- small factories -------------------------------------------------------

const CAPTURES = fixtureUrl('slack-captures/SlackWebhookEvent/');

interface CapturedEnvelope {
  team_id: string;
  event_id: string;
  event: MessageEventFields & Record<string, unknown>;
  authorizations: { user_id: string }[];
}

function capture(name: string): CapturedEnvelope {
  return JSON.parse(readFileSync(new URL(`${name}.json`, CAPTURES), 'utf8')) as CapturedEnvelope;
}

/** The ids Bolt hands a listener for a captured envelope: its team, Pulse's bot user and the event id. */
function idsOf(envelope: CapturedEnvelope) {
  return { teamId: envelope.team_id, botUserId: envelope.authorizations[0]?.user_id ?? '', eventId: envelope.event_id };
}

const IDS = { teamId: 'T0TEAM', botUserId: 'U0PULSE', eventId: 'Ev0EVENT' };

function dmEvent(overrides: Partial<MessageEventFields> = {}): MessageEventFields {
  return {
    type: 'message',
    channel: 'D0DM',
    channel_type: 'im',
    user: 'U0ALICE',
    text: 'what were last week’s signups?',
    ts: '1700000000.000100',
    ...overrides,
  };
}

/** Removes a field, as when Slack omits it. */
function without(event: MessageEventFields, field: keyof MessageEventFields): MessageEventFields {
  const copy = { ...event };
  delete copy[field];
  return copy;
}

// ---- questions -------------------------------------------------------------------

describe('directMessageQuestion: questions', () => {
  it('turns the captured message.im event into a DM question rooted at its own ts', () => {
    const envelope = capture('messageIm');

    expect(directMessageQuestion(envelope.event, idsOf(envelope))).toEqual({
      teamId: 'T043DB835ML',
      dedupeKey: 'msg:D0442US94JD:1664408649.009629',
      channelId: 'D0442US94JD',
      messageTs: '1664408649.009629',
      threadTs: '1664408649.009629',
      replyChannelId: 'D0442US94JD',
      replyThreadTs: '1664408649.009629',
      statusTs: '1664408649.009629',
      userId: 'U043H11ES4V',
      source: 'dm',
      eventId: 'Ev044C51K43V',
    });
  });

  it('turns a plain DM into a question from its author', () => {
    expect(directMessageQuestion(dmEvent(), IDS)).toEqual({
      teamId: 'T0TEAM',
      dedupeKey: 'msg:D0DM:1700000000.000100',
      channelId: 'D0DM',
      messageTs: '1700000000.000100',
      threadTs: '1700000000.000100',
      replyChannelId: 'D0DM',
      replyThreadTs: '1700000000.000100',
      statusTs: '1700000000.000100',
      userId: 'U0ALICE',
      source: 'dm',
      eventId: 'Ev0EVENT',
    });
  });

  it('roots a reply in a DM thread at the thread, not at the reply', () => {
    const question = directMessageQuestion(dmEvent({ ts: '1700000100.000200', thread_ts: '1700000000.000100' }), IDS);

    expect(question).toMatchObject({
      messageTs: '1700000100.000200',
      threadTs: '1700000000.000100',
      replyThreadTs: '1700000000.000100',
      statusTs: '1700000100.000200',
    });
  });

  it('roots a reply in the captured DM at the thread when the capture is a thread reply', () => {
    const envelope = capture('messageIm');
    const reply = { ...envelope.event, ts: '1664408700.000100', thread_ts: envelope.event.ts };

    expect(directMessageQuestion(reply, idsOf(envelope))).toMatchObject({
      messageTs: '1664408700.000100',
      threadTs: '1664408649.009629',
    });
  });

  it('accepts a DM that shares a file', () => {
    expect(directMessageQuestion(dmEvent({ subtype: 'file_share' }), IDS)).toMatchObject({ userId: 'U0ALICE', source: 'dm' });
  });

  it('accepts a DM thread reply also sent to the conversation', () => {
    const event = dmEvent({ subtype: 'thread_broadcast', ts: '1700000100.000200', thread_ts: '1700000000.000100' });

    expect(directMessageQuestion(event, IDS)).toMatchObject({ threadTs: '1700000000.000100' });
  });

  it('accepts a DM with empty text, as when only a file was shared', () => {
    expect(directMessageQuestion(dmEvent({ subtype: 'file_share', text: '' }), IDS)).toBeDefined();
  });

  it('leaves the event id out when Bolt did not provide one', () => {
    expect(directMessageQuestion(dmEvent(), { teamId: 'T0TEAM', botUserId: 'U0PULSE' })?.eventId).toBeUndefined();
  });
});

// ---- ignored events ----------------------------------------------------------------

describe('directMessageQuestion: ignored events', () => {
  it('ignores the captured bot message', () => {
    const envelope = capture('botMessage');

    expect(directMessageQuestion(envelope.event, idsOf(envelope))).toBeUndefined();
  });

  it('ignores the captured bot message even when it arrives in a DM', () => {
    const envelope = capture('botMessage');
    const inDm = { ...envelope.event, channel_type: 'im', channel: 'D0442US94JD' };

    expect(directMessageQuestion(inDm, { ...idsOf(envelope), botUserId: 'U0SOMEONEELSE' })).toBeUndefined();
  });

  it('ignores the captured message_deleted event, even in a DM', () => {
    const envelope = capture('message_deleted');

    expect(directMessageQuestion(envelope.event, idsOf(envelope))).toBeUndefined();
    expect(directMessageQuestion({ ...envelope.event, channel_type: 'im', user: 'U043H11ES4V' }, idsOf(envelope))).toBeUndefined();
  });

  it('ignores the captured message_changed event, even in a DM', () => {
    const envelope = capture('messageChange');

    expect(directMessageQuestion(envelope.event, idsOf(envelope))).toBeUndefined();
    expect(directMessageQuestion({ ...envelope.event, channel_type: 'im', user: 'U043H11ES4V' }, idsOf(envelope))).toBeUndefined();
  });

  it('ignores a message from another bot', () => {
    expect(directMessageQuestion(dmEvent({ bot_id: 'B0OTHER' }), IDS)).toBeUndefined();
  });

  it('ignores Pulse’s own messages', () => {
    expect(directMessageQuestion(dmEvent({ user: IDS.botUserId }), IDS)).toBeUndefined();
  });

  it.each(['message_changed', 'message_deleted', 'channel_join', 'bot_message', 'message_replied', 'huddle_thread'])(
    'ignores the %s subtype',
    (subtype) => {
      expect(directMessageQuestion(dmEvent({ subtype }), IDS)).toBeUndefined();
    },
  );

  it.each(['channel', 'group', 'mpim', 'app_home'])('ignores a message in a %s conversation', (channelType) => {
    expect(directMessageQuestion(dmEvent({ channel_type: channelType }), IDS)).toBeUndefined();
  });

  it('ignores an event that is not a message', () => {
    expect(directMessageQuestion(dmEvent({ type: 'app_mention' }), IDS)).toBeUndefined();
  });

  it.each(['type', 'channel_type', 'user', 'channel', 'ts'] as const)('ignores a DM without %s', (field) => {
    expect(directMessageQuestion(without(dmEvent(), field), IDS)).toBeUndefined();
  });

  it('ignores a DM with an empty user', () => {
    expect(directMessageQuestion(dmEvent({ user: '' }), IDS)).toBeUndefined();
  });
});

// ---- mentions and channel thread replies ---------------------------------------

function channelEvent(overrides: Partial<MessageEventFields> = {}): MessageEventFields {
  return { type: 'message', channel: 'C0GENERAL', channel_type: 'channel', user: 'U0ALICE', text: 'and last month?', ts: '1700000100.000200', ...overrides };
}

describe('mentionQuestion', () => {
  it('turns a top-level mention into a question answered in a thread under it', () => {
    const question = mentionQuestion(channelEvent({ type: 'app_mention', text: '<@U0PULSE> how many deploys?' }), IDS);
    expect(question).toMatchObject({
      source: 'mention',
      channelId: 'C0GENERAL',
      threadTs: '1700000100.000200',
      replyThreadTs: '1700000100.000200',
      dedupeKey: 'msg:C0GENERAL:1700000100.000200',
    });
  });

  it('answers a mention inside a thread in that thread', () => {
    const question = mentionQuestion(
      channelEvent({ type: 'app_mention', text: 'hey <@U0PULSE>', thread_ts: '1700000000.000100' }),
      IDS,
    );
    expect(question).toMatchObject({ replyThreadTs: '1700000000.000100', statusTs: '1700000100.000200' });
  });

  it('ignores mentions by bots, by Pulse itself, and events that do not mention Pulse', () => {
    expect(mentionQuestion(channelEvent({ type: 'app_mention', text: '<@U0PULSE> hi', bot_id: 'B0OTHER' }), IDS)).toBeUndefined();
    expect(mentionQuestion(channelEvent({ type: 'app_mention', text: '<@U0PULSE> hi', user: 'U0PULSE' }), IDS)).toBeUndefined();
    expect(mentionQuestion(channelEvent({ type: 'app_mention', text: '<@U0SOMEONE> hi' }), IDS)).toBeUndefined();
  });
});

describe('threadReplyCandidate', () => {
  it('offers a reply in a channel thread as a possible follow-up, keyed like any message', () => {
    const question = threadReplyCandidate(channelEvent({ thread_ts: '1700000000.000100' }), IDS);
    expect(question).toMatchObject({ source: 'thread_follow_up', replyThreadTs: '1700000000.000100', dedupeKey: 'msg:C0GENERAL:1700000100.000200' });
  });

  it('works in private channels too', () => {
    expect(threadReplyCandidate(channelEvent({ channel_type: 'group', thread_ts: '1700000000.000100' }), IDS)).toBeDefined();
  });

  it('ignores top-level channel messages, replies that mention Pulse (the mention answers), bots and edits', () => {
    expect(threadReplyCandidate(channelEvent(), IDS)).toBeUndefined();
    expect(threadReplyCandidate(channelEvent({ thread_ts: '1700000000.000100', text: '<@U0PULSE> and now?' }), IDS)).toBeUndefined();
    expect(threadReplyCandidate(channelEvent({ thread_ts: '1700000000.000100', bot_id: 'B0OTHER' }), IDS)).toBeUndefined();
    expect(threadReplyCandidate(channelEvent({ thread_ts: '1700000000.000100', subtype: 'message_changed' }), IDS)).toBeUndefined();
    expect(threadReplyCandidate(channelEvent({ thread_ts: '1700000000.000100', channel_type: 'im' }), IDS)).toBeUndefined();
  });
});
