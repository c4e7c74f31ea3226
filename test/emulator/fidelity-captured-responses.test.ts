/**
 * The emulator's Web API responses against real responses captured from
 * Slack (slack-captures): every key the emulator sends appears in the real
 * response. Real responses often carry more (last_read, priority…), which
 * apps must not depend on anyway.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { keysMissingFromSample, readFixture } from './support/json-shape.ts';
import { recordingBotClient, startEmulator, stopEmulators, type RecordedResponse } from './support/real-clients.ts';

let emulator: SlackEmulator;
let client: WebClient;
let responses: RecordedResponse[];

beforeAll(async () => {
  emulator = await startEmulator();
  ({ client, responses } = recordingBotClient(emulator));
});
afterAll(stopEmulators);

function lastResponse(method: string): Record<string, unknown> {
  const response = responses.filter((candidate) => candidate.method === method).at(-1);
  expect(response?.body.ok, `${method} succeeded`).toBe(true);
  return response?.body as Record<string, unknown>;
}

/**
 * Newer responses carry `updated` on channels (slack-captures/InfoRsp/general.json and the field
 * samples of conversations.join/list/info); the older join and users.conversations captures predate it.
 */
const NEWER_CHANNEL_FIELDS = ['channel.updated', 'channels[].updated'];

function expectKeysWithin(method: string, capturePath: string, skip: string[] = []) {
  expect(keysMissingFromSample(lastResponse(method), readFixture(capturePath), skip), `keys absent from ${capturePath}`).toEqual([]);
}

describe('Web API responses against real captured responses', () => {
  it('chat.update answers like slack-captures/UpdateRsp/actual.json', async () => {
    const dm = emulator.imChannel(emulator.seed.alice.id);
    const posted = await client.chat.postMessage({ channel: dm, text: 'blah' });
    await client.chat.update({ channel: dm, ts: posted.ts as string, text: 'blahblahblah' });
    expectKeysWithin('chat.update', 'slack-captures/UpdateRsp/actual.json');
  });

  it('conversations.join answers like slack-captures/JoinRsp/test.json', async () => {
    await client.conversations.join({ channel: emulator.seed.random.id });
    expectKeysWithin('conversations.join', 'slack-captures/JoinRsp/test.json', NEWER_CHANNEL_FIELDS);
  });

  it('conversations.info answers like slack-captures/InfoRsp for a channel and for a DM', async () => {
    await client.conversations.info({ channel: emulator.seed.general.id });
    expectKeysWithin('conversations.info', 'slack-captures/InfoRsp/general.json');
    await client.conversations.info({ channel: emulator.imChannel(emulator.seed.alice.id) });
    expectKeysWithin('conversations.info', 'slack-captures/InfoRsp/im.json');
  });

  it('conversations.members answers with exactly the keys of slack-captures/MembersRsp/test.json', async () => {
    await client.conversations.members({ channel: emulator.seed.general.id, limit: 2 });
    const body = lastResponse('conversations.members');
    const capture = readFixture('slack-captures/MembersRsp/test.json');
    expect(keysMissingFromSample(body, capture)).toEqual([]);
    expect(keysMissingFromSample(capture, body)).toEqual([]);
  });

  it('users.conversations (no field sample) answers like slack-captures/UsersConversationsResponse', async () => {
    await client.users.conversations({ types: 'public_channel,private_channel,im' });
    expectKeysWithin('users.conversations', 'slack-captures/UsersConversationsResponse/im_and_channels.json', ['channels[]']);
    // Each channel the emulator lists, against the captured conversation of the same kind.
    const capture = readFixture('slack-captures/UsersConversationsResponse/im_and_channels.json') as { channels: Record<string, unknown>[] };
    const captured = (isIm: boolean) => capture.channels.find((channel) => (channel.is_im === true) === isIm);
    const listed = lastResponse('users.conversations').channels as Record<string, unknown>[];
    expect(listed.some((channel) => channel.is_im === true)).toBe(true);
    for (const channel of listed) {
      const model = captured(channel.is_im === true);
      if (model === undefined) continue;
      expect(keysMissingFromSample(channel, model, ['updated']), `channel ${String(channel.id)}`).toEqual([]);
    }
  });

  it('views.publish answers like slack-captures/PublishResp/views.publish_example.json', async () => {
    await client.views.publish({ user_id: emulator.seed.admin.id, view: { type: 'home', callback_id: 'home', private_metadata: 'x', blocks: [] } });
    // app_installed_team_id: Slack sends it on views (field samples api/views.publish.json); this older capture predates it.
    expectKeysWithin('views.publish', 'slack-captures/PublishResp/views.publish_example.json', ['view.blocks', 'view.app_installed_team_id']);
  });
});
