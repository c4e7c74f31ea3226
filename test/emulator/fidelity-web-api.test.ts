/**
 * The emulator's Web API responses, as the real WebClient receives them, have
 * Slack's shape: no field that Slack's merged sample lacks, and every field a
 * client reads present with Slack's JSON type.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { EMULATED_METHODS } from '../../src/emulator/server.ts';
import { fixtureExists, keysMissingFromSample, readFixture, typeMismatches, withAdditions } from './support/json-shape.ts';
import { recordingBotClient, startEmulator, stopEmulators, type RecordedResponse } from './support/real-clients.ts';

interface Scenario {
  /** Calls the method (and whatever it needs) through the real client. */
  run: (client: WebClient, emulator: SlackEmulator) => Promise<unknown>;
  /** Fields clients read (per docs/slack-protocol.md): present, with the sample's JSON type. */
  reads: string[];
  /** Polymorphic or dynamic-keyed values not compared key by key. */
  skip?: string[];
  /** Fields Slack really sends that the merged sample lacks (each with its evidence), merged into the sample. */
  allow?: Record<string, unknown>;
}

/** Block Kit is the app's own JSON echoed back; its shape is Block Kit's, not the method's. */
const MESSAGE_BLOCKS = ['message.blocks', 'messages[].blocks'];
const VIEW_DYNAMIC = ['view.blocks', 'view.state.values'];
/** Slack sends `parent_conversation: null` on channels (slack-captures/JoinRsp/test.json); the sample lacks it. */
const CHANNEL_ADDITIONS = { parent_conversation: null };
const MESSAGE_READS = ['messages[].type', 'messages[].ts', 'messages[].user', 'messages[].text'];

async function threadWithReply(client: WebClient, channel: string) {
  const root = await client.chat.postMessage({ channel, text: 'root' });
  await client.chat.postMessage({ channel, text: 'reply', thread_ts: root.ts as string });
  return root.ts as string;
}

const scenarios: Record<string, Scenario> = {
  'auth.test': { run: (c) => c.auth.test(), reads: ['ok', 'url', 'team', 'user', 'team_id', 'user_id', 'bot_id'] },
  'auth.revoke': {
    run: (c) => c.auth.revoke({ test: true }),
    reads: ['ok', 'revoked'],
    // Slack's auth.revoke reference: "Typical success response {"ok": true, "revoked": true}".
    allow: { revoked: true },
  },
  'apps.connections.open': { run: (c, e) => c.apps.connections.open({ token: e.appToken }), reads: ['ok', 'url'] },
  'assistant.threads.setStatus': {
    run: async (c, e) => {
      const question = e.dm(e.seed.alice.id, 'status?');
      return c.assistant.threads.setStatus({ channel_id: question.channel, thread_ts: question.ts, status: 'is thinking…' });
    },
    reads: ['ok'],
  },
  'assistant.threads.setSuggestedPrompts': {
    run: async (c, e) => {
      const question = e.dm(e.seed.alice.id, 'prompts?');
      return c.assistant.threads.setSuggestedPrompts({ channel_id: question.channel, thread_ts: question.ts, prompts: [{ title: 'Hi', message: 'Hi' }] });
    },
    reads: ['ok'],
  },
  'assistant.threads.setTitle': {
    run: async (c, e) => {
      const question = e.dm(e.seed.alice.id, 'title?');
      return c.assistant.threads.setTitle({ channel_id: question.channel, thread_ts: question.ts, title: 'Deploys' });
    },
    reads: ['ok'],
  },
  'chat.postMessage': {
    run: async (c, e) => {
      const root = await c.chat.postMessage({ channel: e.seed.general.id, text: 'top', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*top*' } }] });
      return c.chat.postMessage({ channel: e.seed.general.id, text: 'reply', thread_ts: root.ts as string, metadata: { event_type: 'pulse_answer', event_payload: { id: 1 } } });
    },
    reads: ['ok', 'channel', 'ts', 'message.ts', 'message.text', 'message.bot_id', 'message.thread_ts'],
    skip: [...MESSAGE_BLOCKS, 'message.metadata.event_payload'],
  },
  'chat.update': {
    run: async (c, e) => {
      const posted = await c.chat.postMessage({ channel: e.seed.general.id, text: 'draft' });
      return c.chat.update({ channel: e.seed.general.id, ts: posted.ts as string, text: 'final' });
    },
    reads: ['ok', 'channel', 'ts', 'text', 'message.text', 'message.edited.user'],
    skip: MESSAGE_BLOCKS,
  },
  'chat.delete': {
    run: async (c, e) => {
      const posted = await c.chat.postMessage({ channel: e.seed.general.id, text: 'oops' });
      return c.chat.delete({ channel: e.seed.general.id, ts: posted.ts as string });
    },
    reads: ['ok', 'channel', 'ts'],
  },
  'chat.getPermalink': {
    run: async (c, e) => {
      const posted = await c.chat.postMessage({ channel: e.seed.general.id, text: 'link me' });
      return c.chat.getPermalink({ channel: e.seed.general.id, message_ts: posted.ts as string });
    },
    reads: ['ok', 'permalink', 'channel'],
  },
  'chat.postEphemeral': {
    run: (c, e) => c.chat.postEphemeral({ channel: e.seed.general.id, user: e.seed.alice.id, text: 'only you' }),
    reads: ['ok', 'message_ts'],
  },
  'chat.startStream': {
    run: async (c, e) => {
      const question = e.dm(e.seed.alice.id, 'stream?');
      return c.chat.startStream({ channel: question.channel, thread_ts: question.ts, markdown_text: 'Hel' });
    },
    reads: ['ok', 'ts', 'channel'],
  },
  'chat.appendStream': {
    run: async (c, e) => {
      const question = e.dm(e.seed.alice.id, 'stream more?');
      const started = await c.chat.startStream({ channel: question.channel, thread_ts: question.ts });
      return c.chat.appendStream({ channel: question.channel, ts: started.ts as string, markdown_text: 'lo' });
    },
    reads: ['ok', 'ts', 'channel'],
  },
  'chat.stopStream': {
    run: async (c, e) => {
      const question = e.dm(e.seed.alice.id, 'stop?');
      const started = await c.chat.startStream({ channel: question.channel, thread_ts: question.ts, markdown_text: 'Done' });
      return c.chat.stopStream({ channel: question.channel, ts: started.ts as string, markdown_text: '.' });
    },
    reads: ['ok', 'ts', 'message.text'],
    skip: [...MESSAGE_BLOCKS, 'message.bot_profile'],
    // The sample holds only ok/error; @slack/web-api 8.2's ChatStopStreamResponse (generated from
    // real responses) has channel, ts and the finished message with these fields.
    allow: {
      channel: '',
      ts: '',
      message: { app_id: '', blocks: [], bot_id: '', bot_profile: {}, parent_user_id: '', team: '', text: '', thread_ts: '', ts: '', type: '', user: '' },
    },
  },
  'conversations.history': {
    run: async (c, e) => {
      for (const text of ['one', 'two', 'three']) await c.chat.postMessage({ channel: e.seed.leads.id, text });
      await threadWithReply(c, e.seed.leads.id);
      await c.reactions.add({ channel: e.seed.leads.id, timestamp: (await c.chat.postMessage({ channel: e.seed.leads.id, text: 'react' })).ts as string, name: 'eyes' });
      await c.conversations.history({ channel: e.seed.leads.id });
      return c.conversations.history({ channel: e.seed.leads.id, limit: 2 });
    },
    reads: ['ok', 'messages', ...MESSAGE_READS, 'has_more', 'response_metadata.next_cursor'],
    skip: MESSAGE_BLOCKS,
  },
  'conversations.replies': {
    run: async (c, e) => {
      const rootTs = await threadWithReply(c, e.seed.general.id);
      return c.conversations.replies({ channel: e.seed.general.id, ts: rootTs });
    },
    reads: ['ok', 'messages', ...MESSAGE_READS, 'messages[].thread_ts', 'messages[].reply_count', 'has_more'],
    skip: MESSAGE_BLOCKS,
  },
  'conversations.info': {
    run: (c, e) => c.conversations.info({ channel: e.seed.general.id }),
    reads: ['ok', 'channel.id', 'channel.name', 'channel.is_member', 'channel.is_private', 'channel.is_archived'],
    allow: { channel: CHANNEL_ADDITIONS },
  },
  'conversations.list': {
    run: (c) => c.conversations.list({ types: 'public_channel,private_channel,im', limit: 2 }),
    reads: ['ok', 'channels[].id', 'channels[].name', 'channels[].is_member', 'channels[].is_private', 'response_metadata.next_cursor'],
    allow: { channels: [CHANNEL_ADDITIONS] },
  },
  'conversations.join': {
    run: (c, e) => c.conversations.join({ channel: e.seed.random.id }),
    reads: ['ok', 'channel.id', 'channel.name', 'channel.is_member'],
    allow: { channel: CHANNEL_ADDITIONS },
  },
  'conversations.members': {
    run: (c, e) => c.conversations.members({ channel: e.seed.general.id, limit: 2 }),
    reads: ['ok', 'members', 'response_metadata.next_cursor'],
  },
  'conversations.open': { run: (c, e) => c.conversations.open({ users: e.seed.bob.id }), reads: ['ok', 'channel.id'] },
  'files.getUploadURLExternal': {
    run: (c, e) =>
      c.filesUploadV2({ channel_id: e.seed.general.id, file: Buffer.from('a,b\n1,2\n'), filename: 'table.csv', title: 'Table', alt_text: 'A table' }),
    reads: ['ok', 'upload_url', 'file_id'],
  },
  'files.completeUploadExternal': {
    run: (c, e) => c.filesUploadV2({ channel_id: e.seed.general.id, file: Buffer.from('png'), filename: 'chart.png', title: 'Chart' }),
    reads: ['ok', 'files[].id', 'files[].title'],
  },
  'reactions.add': {
    run: async (c, e) => {
      const posted = await c.chat.postMessage({ channel: e.seed.general.id, text: 'react to me' });
      await c.reactions.add({ channel: e.seed.general.id, timestamp: posted.ts as string, name: 'eyes' });
      // An error answer has Slack's shape too: {ok:false,error}.
      await c.reactions.add({ channel: e.seed.general.id, timestamp: posted.ts as string, name: 'eyes' }).catch(() => undefined);
      return c.reactions.add({ channel: e.seed.general.id, timestamp: posted.ts as string, name: 'x' });
    },
    reads: ['ok'],
  },
  'reactions.remove': {
    run: async (c, e) => {
      const posted = await c.chat.postMessage({ channel: e.seed.general.id, text: 'unreact' });
      await c.reactions.add({ channel: e.seed.general.id, timestamp: posted.ts as string, name: 'x' });
      return c.reactions.remove({ channel: e.seed.general.id, timestamp: posted.ts as string, name: 'x' });
    },
    reads: ['ok'],
  },
  'reactions.get': {
    run: async (c, e) => {
      const posted = await c.chat.postMessage({ channel: e.seed.general.id, text: 'count me' });
      await c.reactions.add({ channel: e.seed.general.id, timestamp: posted.ts as string, name: 'white_check_mark' });
      return c.reactions.get({ channel: e.seed.general.id, timestamp: posted.ts as string });
    },
    reads: ['ok', 'type', 'channel', 'message.reactions[].name', 'message.reactions[].count'],
    skip: MESSAGE_BLOCKS,
  },
  'team.info': { run: (c) => c.team.info(), reads: ['ok', 'team.id', 'team.name', 'team.domain'] },
  'users.info': {
    run: async (c, e) => {
      await c.users.info({ user: e.botUserId });
      return c.users.info({ user: e.seed.admin.id });
    },
    reads: ['ok', 'user.id', 'user.name', 'user.real_name', 'user.is_admin', 'user.is_owner', 'user.is_bot', 'user.deleted', 'user.tz', 'user.profile.display_name', 'user.profile.email'],
  },
  'users.list': {
    run: (c) => c.users.list({ limit: 2 }),
    reads: ['ok', 'members[].id', 'members[].name', 'members[].is_bot', 'members[].deleted', 'response_metadata.next_cursor'],
  },
  'views.publish': {
    run: async (c, e) => {
      const first = await c.views.publish({ user_id: e.seed.admin.id, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi' } }] } });
      return c.views.publish({ user_id: e.seed.admin.id, hash: first.view?.hash as string, view: { type: 'home', callback_id: 'home', blocks: [] } });
    },
    reads: ['ok', 'view.id', 'view.type', 'view.hash', 'view.root_view_id', 'view.callback_id'],
    skip: VIEW_DYNAMIC,
  },
  'views.open': {
    run: async (c, e) => {
      const question = e.post(e.seed.alice.id, e.seed.general.id, 'open a modal on me');
      const trigger = e.runShortcut(e.seed.alice.id, 'ask_pulse', question).payload.trigger_id as string;
      return c.views.open({ trigger_id: trigger, view: modal('ask') });
    },
    reads: ['ok', 'view.id', 'view.type', 'view.hash', 'view.callback_id', 'view.private_metadata'],
    skip: VIEW_DYNAMIC,
  },
  'views.update': {
    run: async (c, e) => {
      const question = e.post(e.seed.bob.id, e.seed.general.id, 'update a modal');
      const trigger = e.runShortcut(e.seed.bob.id, 'ask_pulse', question).payload.trigger_id as string;
      const opened = await c.views.open({ trigger_id: trigger, view: modal('ask') });
      return c.views.update({ view_id: opened.view?.id as string, view: modal('ask-updated') });
    },
    reads: ['ok', 'view.id', 'view.hash', 'view.callback_id'],
    skip: VIEW_DYNAMIC,
  },
};

function modal(callbackId: string) {
  return {
    type: 'modal' as const,
    callback_id: callbackId,
    private_metadata: '{"ts":"1.2"}',
    title: { type: 'plain_text' as const, text: 'Ask Pulse' },
    submit: { type: 'plain_text' as const, text: 'Ask' },
    blocks: [{ type: 'input', block_id: 'q', label: { type: 'plain_text', text: 'Question' }, element: { type: 'plain_text_input', action_id: 'text' } }],
  };
}

const responses = new Map<string, RecordedResponse[]>();

beforeAll(async () => {
  const emulator = await startEmulator();
  for (const [method, scenario] of Object.entries(scenarios)) {
    const { client, responses: recorded } = recordingBotClient(emulator);
    await scenario.run(client, emulator);
    responses.set(method, recorded.filter((response) => response.method === method));
  }
});
afterAll(stopEmulators);

describe('the emulated Web API, compared with Slack’s field samples', () => {
  it('exercises every emulated method that has a Slack sample', () => {
    const sampled = EMULATED_METHODS.filter((method) => fixtureExists(`slack-field-samples/api/${method}.json`));
    expect(sampled.filter((method) => !(method in scenarios))).toEqual([]);
  });

  it.each(Object.keys(scenarios))('%s answers only with fields Slack sends, typed as Slack types the ones clients read', (method) => {
    const scenario = scenarios[method] as Scenario;
    const sample = withAdditions(readFixture(`slack-field-samples/api/${method}.json`), scenario.allow);
    const answers = responses.get(method) ?? [];
    expect(answers.length, `${method} was called`).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(keysMissingFromSample(answer.body, sample, scenario.skip), `${method} fields missing from Slack's sample`).toEqual([]);
    }
    // The scenario's last call is the representative one (e.g. a history page with more to come).
    const last = answers.at(-1);
    expect(last?.body.ok, `${method} succeeded`).toBe(true);
    expect(typeMismatches(last?.body, sample, scenario.reads), `${method} fields clients read`).toEqual([]);
  });
});
