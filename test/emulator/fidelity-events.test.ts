/**
 * Events API payloads, as the real SocketModeClient receives them, have
 * Slack's shape: against the merged field samples (no invented field, the
 * fields apps read typed as Slack types them) and against real captures (the
 * same key set).
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { keySetDifference, keysMissingFromSample, readFixture, typeMismatches, withAdditions } from './support/json-shape.ts';
import { botClient, connectSocketMode, startEmulator, stopEmulators, type ConnectedSocketMode } from './support/real-clients.ts';

let emulator: SlackEmulator;
let client: WebClient;
let socket: ConnectedSocketMode;

beforeAll(async () => {
  emulator = await startEmulator();
  client = botClient(emulator);
  socket = await connectSocketMode(emulator);
});
afterAll(async () => {
  await socket.stop();
  await stopEmulators();
});

type Payload = Record<string, unknown> & { event: Record<string, unknown> };

/** The next events_api payload (received after `since`) whose event matches. */
async function nextEvent(since: number, matches: (event: Record<string, unknown>) => boolean): Promise<Payload> {
  return emulator.waitFor(
    () =>
      socket.received
        .slice(since)
        .map((envelope) => envelope.body as Payload)
        .find((body) => body.type === 'event_callback' && matches(body.event)),
    { what: 'an event', timeoutMs: 3_000 },
  );
}

function eventOfType(type: string, subtype?: string) {
  return (event: Record<string, unknown>) => event.type === type && event.subtype === subtype;
}

/** Rich-text blocks are Block Kit (compared with real captures below, not with the samples' merged blocks). */
const SKIP_BLOCKS = ['event.blocks', 'event.message.blocks', 'event.previous_message.blocks'];
const ENVELOPE_READS = ['token', 'team_id', 'api_app_id', 'type', 'event_id', 'event_time', 'authorizations[].user_id', 'authorizations[].is_bot'];
const MESSAGE_READS = [...ENVELOPE_READS, 'event.type', 'event.channel', 'event.user', 'event.text', 'event.ts', 'event.event_ts', 'event.channel_type'];
/** Bot messages carry app_id (slack-captures/SlackWebhookEvent/botMessage.json); the merged sample lacks it. */
const BOT_MESSAGE_ADDITIONS = { app_id: '' };

function expectLikeSample(payload: unknown, samplePath: string, reads: string[], options: { skip?: string[]; allow?: Record<string, unknown> } = {}) {
  const sample = withAdditions(readFixture(samplePath), options.allow);
  expect(keysMissingFromSample(payload, sample, options.skip ?? SKIP_BLOCKS), `fields missing from ${samplePath}`).toEqual([]);
  expect(typeMismatches(payload, sample, reads), `fields apps read, against ${samplePath}`).toEqual([]);
}

function expectSameKeysAsCapture(payload: unknown, capturePath: string, skip: string[] = []) {
  expect(keySetDifference(payload, readFixture(capturePath), skip), `key set against ${capturePath}`).toEqual({ notInCapture: [], notEmitted: [] });
}

describe('Events API payloads from the emulator', () => {
  it('a DM arrives as message.im with exactly the keys of a real captured DM', async () => {
    const since = socket.received.length;
    emulator.dm(emulator.seed.alice.id, 'How did deploys do this week?');
    const payload = await nextEvent(since, (event) => event.type === 'message' && event.channel_type === 'im');
    expectLikeSample(payload, 'slack-field-samples/events/MessagePayload.json', [...MESSAGE_READS, 'event.client_msg_id']);
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/messageIm.json');
  });

  it('a reply in a DM thread adds thread_ts and parent_user_id', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'First');
    const since = socket.received.length;
    emulator.dm(emulator.seed.alice.id, 'Follow-up', { threadTs: question.ts });
    const payload = await nextEvent(since, (event) => event.type === 'message' && event.thread_ts === question.ts);
    expectLikeSample(payload, 'slack-field-samples/events/MessagePayload.json', [...MESSAGE_READS, 'event.thread_ts', 'event.parent_user_id']);
  });

  it('a channel message has the keys of a real captured channel message', async () => {
    const since = socket.received.length;
    emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'standup notes');
    const payload = await nextEvent(since, (event) => event.type === 'message' && event.channel_type === 'channel');
    expectLikeSample(payload, 'slack-field-samples/events/MessagePayload.json', MESSAGE_READS);
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/messageExample.json');
  });

  it('an @-mention arrives as app_mention shaped like Slack’s', async () => {
    const since = socket.received.length;
    emulator.mention(emulator.seed.alice.id, emulator.seed.general.id, 'what changed?');
    const payload = await nextEvent(since, eventOfType('app_mention'));
    expectLikeSample(payload, 'slack-field-samples/events/AppMentionPayload.json', [...ENVELOPE_READS, 'event.type', 'event.user', 'event.text', 'event.ts', 'event.channel', 'event.event_ts']);
    expect(payload.event.text).toBe(`<@${emulator.botUserId}> what changed?`);
  });

  it('the bot’s own threaded post echoes back with the keys of a real captured bot message', async () => {
    const root = emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'question');
    const since = socket.received.length;
    await client.chat.postMessage({ channel: emulator.seed.general.id, thread_ts: root.ts, text: 'TEST' });
    const payload = await nextEvent(since, (event) => event.type === 'message' && event.bot_id !== undefined && event.thread_ts === root.ts);
    expectLikeSample(payload, 'slack-field-samples/events/MessagePayload.json', MESSAGE_READS, { allow: { event: BOT_MESSAGE_ADDITIONS } });
    // The capture's bot message came with Slack's auto-generated rich_text blocks; the emulator stores what the app sent.
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/botMessage.json', ['event.blocks']);
  });

  it('a shared file arrives as a file_share message with the keys of a real capture', async () => {
    const fileId = emulator.uploadAsUser(emulator.seed.alice.id, 'notes.txt', Buffer.from('hug a kitten'), 'text/plain');
    const since = socket.received.length;
    emulator.post(emulator.seed.alice.id, emulator.imChannel(emulator.seed.alice.id), 'message message message', { fileIds: [fileId] });
    const payload = await nextEvent(since, eventOfType('message', 'file_share'));
    const reads = [...MESSAGE_READS, 'event.files[].id', 'event.files[].name', 'event.files[].mimetype', 'event.files[].url_private', 'event.files[].size'];
    expectLikeSample(payload, 'slack-field-samples/events/MessageFileSharePayload.json', reads, {
      // The real captures of file_share messages carry client_msg_id; the merged sample lacks it.
      allow: { event: { client_msg_id: '' } },
    });
    const capture = readFixture('slack-captures/SlackWebhookEvent/message_file_share.json') as Payload;
    expect(typeMismatches(payload, capture, reads), 'fields apps read, against the real capture').toEqual([]);
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/message_file_share.json', ['event.files']);
  });

  it('opening App Home for the first time sends app_home_opened without a view, like the real capture', async () => {
    const since = socket.received.length;
    emulator.openHome(emulator.seed.bob.id);
    const payload = await nextEvent(since, eventOfType('app_home_opened'));
    expectLikeSample(payload, 'slack-field-samples/events/AppHomeOpenedPayload.json', [...ENVELOPE_READS, 'event.user', 'event.channel', 'event.tab']);
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/app_home_opened_home.json');
  });

  it('opening the Messages tab sends app_home_opened with tab "messages", like the real capture', async () => {
    const since = socket.received.length;
    emulator.openHome(emulator.seed.bob.id, 'messages');
    const payload = await nextEvent(since, (event) => event.type === 'app_home_opened' && event.tab === 'messages');
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/app_home_opened_messages.json');
  });

  it('opening App Home after a views.publish carries the published view', async () => {
    await client.views.publish({ user_id: emulator.seed.admin.id, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi' } }] } });
    const since = socket.received.length;
    emulator.openHome(emulator.seed.admin.id);
    const payload = await nextEvent(since, (event) => event.type === 'app_home_opened' && event.view !== undefined);
    expectLikeSample(payload, 'slack-field-samples/events/AppHomeOpenedPayload.json', [...ENVELOPE_READS, 'event.view.id', 'event.view.hash'], {
      // Views carry blocks and state (slack-captures/PublishResp: the same view object); the merged sample lacks both.
      allow: { event: { view: { blocks: [], state: { values: {} } } } },
      skip: ['event.view.blocks', 'event.view.state.values'],
    });
  });

  it('reactions arrive as reaction_added / reaction_removed shaped like Slack’s', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'react to this');
    let since = socket.received.length;
    await client.reactions.add({ channel: question.channel, timestamp: question.ts, name: 'eyes' });
    const added = await nextEvent(since, eventOfType('reaction_added'));
    const reads = [...ENVELOPE_READS, 'event.user', 'event.reaction', 'event.item.type', 'event.item.channel', 'event.item.ts', 'event.item_user', 'event.event_ts'];
    expectLikeSample(added, 'slack-field-samples/events/ReactionAddedPayload.json', reads);
    since = socket.received.length;
    await client.reactions.remove({ channel: question.channel, timestamp: question.ts, name: 'eyes' });
    expectLikeSample(await nextEvent(since, eventOfType('reaction_removed')), 'slack-field-samples/events/ReactionRemovedPayload.json', reads);
  });

  it('the bot joining a channel sends member_joined_channel shaped like Slack’s', async () => {
    const since = socket.received.length;
    await client.conversations.join({ channel: emulator.seed.random.id });
    const payload = await nextEvent(since, eventOfType('member_joined_channel'));
    expectLikeSample(payload, 'slack-field-samples/events/MemberJoinedChannelPayload.json', [...ENVELOPE_READS, 'event.user', 'event.channel', 'event.channel_type', 'event.team']);
  });

  it('an edit arrives as message_changed with the top-level keys of a real capture', async () => {
    const posted = await client.chat.postMessage({ channel: emulator.seed.general.id, text: 'draft' });
    const since = socket.received.length;
    await client.chat.update({ channel: emulator.seed.general.id, ts: posted.ts as string, text: 'final' });
    const payload = await nextEvent(since, eventOfType('message', 'message_changed'));
    expectLikeSample(payload, 'slack-field-samples/events/MessageChangedPayload.json', [...ENVELOPE_READS, 'event.channel', 'event.message.ts', 'event.message.text', 'event.previous_message.text'], {
      allow: { event: { message: BOT_MESSAGE_ADDITIONS, previous_message: BOT_MESSAGE_ADDITIONS } },
    });
    // The capture is a user's message with an unfurl added; the nested messages differ by author, not by event shape.
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/messageChange.json', ['event.message', 'event.previous_message']);
  });

  it('a deletion arrives as message_deleted with the keys of a real capture', async () => {
    const posted = await client.chat.postMessage({ channel: emulator.seed.general.id, text: 'This message will be deleted' });
    const since = socket.received.length;
    await client.chat.delete({ channel: emulator.seed.general.id, ts: posted.ts as string });
    const payload = await nextEvent(since, eventOfType('message', 'message_deleted'));
    expectLikeSample(payload, 'slack-field-samples/events/MessageDeletedPayload.json', [...ENVELOPE_READS, 'event.channel', 'event.deleted_ts', 'event.previous_message.ts'], {
      allow: { event: { previous_message: BOT_MESSAGE_ADDITIONS } },
    });
    expectSameKeysAsCapture(payload, 'slack-captures/SlackWebhookEvent/message_deleted.json', ['event.previous_message']);
  });
});
