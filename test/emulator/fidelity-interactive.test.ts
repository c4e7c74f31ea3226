/**
 * Interactive payloads (shortcuts, button clicks, modal submissions), as the
 * real SocketModeClient receives them, against Slack's merged samples in
 * slack-field-samples/app-backend.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { keysMissingFromSample, readFixture, typeMismatches, withAdditions } from './support/json-shape.ts';
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

async function nextInteractive(since: number, type: string): Promise<Record<string, unknown>> {
  return emulator.waitFor(() => socket.received.slice(since).find((envelope) => envelope.type === 'interactive' && envelope.body.type === type)?.body, {
    what: `a ${type} payload`,
    timeoutMs: 3_000,
  });
}

/**
 * Views carry blocks and state (bolt-python tests/scenario_tests/test_view_submission.py,
 * slack-captures/PublishResp); the merged app-backend samples leave both out.
 */
const VIEW_ADDITIONS = { view: { blocks: [], state: { values: {} } } };
/** Block Kit and typed input values are the app's and the user's own JSON. */
const SKIP = ['message.blocks', 'view.blocks', 'view.state.values'];
const BASE_READS = ['type', 'team.id', 'user.id', 'trigger_id', 'token'];

function expectLikeSample(payload: unknown, samplePath: string, reads: string[], additions?: Record<string, unknown>) {
  const sample = withAdditions(readFixture(samplePath), additions);
  expect(keysMissingFromSample(payload, sample, SKIP), `fields missing from ${samplePath}`).toEqual([]);
  expect(typeMismatches(payload, sample, reads), `fields apps read, against ${samplePath}`).toEqual([]);
}

async function openModal(userId: string): Promise<string> {
  const question = emulator.post(userId, emulator.seed.general.id, 'open a modal');
  const trigger = emulator.runShortcut(userId, 'ask_pulse', question).payload.trigger_id as string;
  const opened = await client.views.open({
    trigger_id: trigger,
    view: {
      type: 'modal',
      callback_id: 'ask_pulse_modal',
      private_metadata: 'C1:1.2',
      title: { type: 'plain_text', text: 'Ask Pulse' },
      submit: { type: 'plain_text', text: 'Ask' },
      blocks: [{ type: 'input', block_id: 'question', label: { type: 'plain_text', text: 'Question' }, element: { type: 'plain_text_input', action_id: 'text' } }],
    },
  });
  return opened.view?.id as string;
}

describe('interactive payloads from the emulator', () => {
  it('a message shortcut sends message_action shaped like Slack’s', async () => {
    const target = emulator.post(emulator.seed.alice.id, emulator.seed.general.id, 'Why did latency spike?');
    const since = socket.received.length;
    emulator.runShortcut(emulator.seed.bob.id, 'ask_pulse', target);
    const payload = await nextInteractive(since, 'message_action');
    const reads = [...BASE_READS, 'callback_id', 'message_ts', 'response_url', 'channel.id', 'channel.name', 'message.ts', 'message.text', 'message.user', 'action_ts'];
    expectLikeSample(payload, 'slack-field-samples/app-backend/MessageShortcutPayload.json', reads);
  });

  it('a button in App Home sends block_actions with a view container and no channel', async () => {
    const published = await client.views.publish({
      user_id: emulator.seed.admin.id,
      view: { type: 'home', blocks: [{ type: 'actions', block_id: 'admin', elements: [{ type: 'button', action_id: 'set_key', text: { type: 'plain_text', text: 'Set key' }, value: 'set' }] }] },
    });
    const since = socket.received.length;
    emulator.clickButton(emulator.seed.admin.id, { viewId: published.view?.id as string }, { actionId: 'set_key', value: 'set' });
    const payload = await nextInteractive(since, 'block_actions');
    const reads = [...BASE_READS, 'api_app_id', 'container.type', 'container.view_id', 'view.id', 'view.type', 'actions[].action_id', 'actions[].block_id', 'actions[].value', 'actions[].type'];
    expectLikeSample(payload, 'slack-field-samples/app-backend/BlockActionPayload.json', reads, VIEW_ADDITIONS);
    expect(payload).not.toHaveProperty('channel');
    expect((payload.actions as { block_id: string }[])[0]?.block_id).toBe('admin');
  });

  it('a button in a message sends block_actions with a message container, channel and response_url', async () => {
    const posted = await client.chat.postMessage({
      channel: emulator.seed.general.id,
      text: 'Weekly report',
      blocks: [{ type: 'actions', block_id: 'report', elements: [{ type: 'button', action_id: 'rerun_report', text: { type: 'plain_text', text: 'Re-run' }, value: 'r1' }] }],
    });
    const since = socket.received.length;
    emulator.clickButton(emulator.seed.alice.id, { channel: emulator.seed.general.id, ts: posted.ts as string }, { actionId: 'rerun_report', value: 'r1' });
    const payload = await nextInteractive(since, 'block_actions');
    const reads = [...BASE_READS, 'container.type', 'container.message_ts', 'container.channel_id', 'channel.id', 'message.ts', 'response_url', 'actions[].action_id', 'actions[].value'];
    expectLikeSample(payload, 'slack-field-samples/app-backend/BlockActionPayload.json', reads);
  });

  it('submitting a modal sends view_submission with the typed values in view.state', async () => {
    const viewId = await openModal(emulator.seed.alice.id);
    const since = socket.received.length;
    const ack = emulator.submitView(emulator.seed.alice.id, viewId, { question: { text: 'only the EU region' } });
    const payload = await nextInteractive(since, 'view_submission');
    const reads = [...BASE_READS, 'api_app_id', 'view.id', 'view.callback_id', 'view.private_metadata', 'view.hash'];
    expectLikeSample(payload, 'slack-field-samples/app-backend/ViewSubmissionPayload.json', reads, {
      ...VIEW_ADDITIONS,
      // Slack sends response_urls (empty without conversation inputs): bolt-python test_view_submission.py.
      response_urls: [],
    });
    expect((payload.view as { state: unknown }).state).toEqual({ values: { question: { text: { type: 'plain_text_input', value: 'only the EU region' } } } });
    await ack;
  });
});
