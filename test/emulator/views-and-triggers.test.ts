/**
 * Modals and App Home through the real WebClient: single-use, short-lived
 * trigger ids, published Home views with hash checks, Slack's block limits,
 * and the app's ack to a modal submission.
 */
import type { types } from '@slack/bolt';
import type { WebAPIPlatformError, WebClient } from '@slack/web-api';

type View = types.View;
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { botClient, connectSocketMode, startEmulator, stopEmulators, type ConnectedSocketMode } from './support/real-clients.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await stopEmulators();
});

async function setUp(options: { now?: () => number } = {}): Promise<{ emulator: SlackEmulator; client: WebClient }> {
  const emulator = await startEmulator(options);
  return { emulator, client: botClient(emulator) };
}

function modal(blockCount = 1): View {
  return {
    type: 'modal',
    callback_id: 'ask_pulse_modal',
    title: { type: 'plain_text', text: 'Ask Pulse' },
    submit: { type: 'plain_text', text: 'Ask' },
    blocks: Array.from({ length: blockCount }, (_, index) => ({
      type: 'input',
      block_id: index === 0 ? 'question' : `extra_${index}`,
      label: { type: 'plain_text', text: 'Question' },
      element: { type: 'plain_text_input', action_id: 'text' },
    })),
  };
}

function homeView(blockCount: number, text = 'Pulse'): View {
  return { type: 'home', blocks: Array.from({ length: blockCount }, () => ({ type: 'section', text: { type: 'mrkdwn', text } })) };
}

function shortcutTrigger(emulator: SlackEmulator, userId: string): string {
  const target = emulator.post(userId, emulator.seed.general.id, 'explain this');
  return emulator.runShortcut(userId, 'ask_pulse', target).payload.trigger_id as string;
}

async function slackError(call: Promise<unknown>): Promise<{ error?: string; messages?: string[] }> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as WebAPIPlatformError | undefined;
  return { error: error?.data.error, messages: error?.data.response_metadata?.messages };
}

describe('trigger ids', () => {
  it('open a modal once; a second views.open with the same trigger gets exchanged_trigger_id', async () => {
    const { emulator, client } = await setUp();
    const trigger = shortcutTrigger(emulator, emulator.seed.alice.id);

    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'ask_pulse_modal' });
    expect(emulator.openModals(emulator.seed.alice.id).map((view) => view.id)).toEqual([opened.view?.id]);

    expect((await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).error).toBe('exchanged_trigger_id');
    expect(emulator.openModals(emulator.seed.alice.id)).toHaveLength(1);
  });

  it('expire three seconds after the interaction: expired_trigger_id', async () => {
    let clock = Date.parse('2025-06-02T09:00:00Z');
    const { emulator, client } = await setUp({ now: () => clock });
    const fresh = shortcutTrigger(emulator, emulator.seed.alice.id);
    const stale = shortcutTrigger(emulator, emulator.seed.bob.id);

    clock += 2_900;
    await expect(client.views.open({ trigger_id: fresh, view: modal() })).resolves.toMatchObject({ ok: true });
    clock += 200;
    expect((await slackError(client.views.open({ trigger_id: stale, view: modal() }))).error).toBe('expired_trigger_id');
    expect(emulator.openModals(emulator.seed.bob.id)).toEqual([]);
  });

  it('that Slack never issued are invalid_trigger_id', async () => {
    const { client } = await setUp();
    expect((await slackError(client.views.open({ trigger_id: '12345.98765.abcd', view: modal() }))).error).toBe('invalid_trigger_id');
  });

  it('come with button clicks too, and views.push stacks a modal on the open one', async () => {
    const { emulator, client } = await setUp();
    const opened = await client.views.open({ trigger_id: shortcutTrigger(emulator, emulator.seed.alice.id), view: modal() });
    const click = emulator.clickButton(emulator.seed.alice.id, { viewId: opened.view?.id as string }, { actionId: 'more' });

    const pushed = await client.views.push({ trigger_id: click.payload.trigger_id as string, view: modal() });

    expect(pushed.view).toMatchObject({ root_view_id: opened.view?.id, previous_view_id: opened.view?.id });
    expect(emulator.openModals(emulator.seed.alice.id).map((view) => view.id)).toEqual([opened.view?.id, pushed.view?.id]);
  });
});

describe('views.publish', () => {
  it('stores the Home view a user sees', async () => {
    const { emulator, client } = await setUp();
    const published = await client.views.publish({ user_id: emulator.seed.admin.id, view: homeView(2, 'Set the API key') });

    const home = emulator.homeView(emulator.seed.admin.id);
    expect(home?.id).toBe(published.view?.id);
    expect(home?.view.blocks).toEqual(homeView(2, 'Set the API key').blocks);
    expect(emulator.homeView(emulator.seed.alice.id)).toBeUndefined();
  });

  it('answers hash_conflict to a publish made with a stale hash, keeping the newer view', async () => {
    const { emulator, client } = await setUp();
    const first = await client.views.publish({ user_id: emulator.seed.admin.id, view: homeView(1, 'v1') });
    const second = await client.views.publish({ user_id: emulator.seed.admin.id, hash: first.view?.hash as string, view: homeView(1, 'v2') });
    expect(second.view?.hash).not.toBe(first.view?.hash);

    expect((await slackError(client.views.publish({ user_id: emulator.seed.admin.id, hash: first.view?.hash as string, view: homeView(1, 'v3') }))).error).toBe(
      'hash_conflict',
    );
    expect(emulator.homeView(emulator.seed.admin.id)?.view.blocks).toEqual(homeView(1, 'v2').blocks);
  });

  it('accepts 100 blocks and rejects 101 with invalid_arguments naming the limit', async () => {
    const { emulator, client } = await setUp();
    await expect(client.views.publish({ user_id: emulator.seed.bob.id, view: homeView(100) })).resolves.toMatchObject({ ok: true });

    const rejected = await slackError(client.views.publish({ user_id: emulator.seed.bob.id, view: homeView(101) }));
    expect(rejected.error).toBe('invalid_arguments');
    expect(rejected.messages?.join(' ')).toContain('no more than 100 items');
    expect(emulator.homeView(emulator.seed.bob.id)?.view.blocks).toHaveLength(100);
  });

  it('rejects a modal of more than 100 blocks too', async () => {
    const { emulator, client } = await setUp();
    expect((await slackError(client.views.open({ trigger_id: shortcutTrigger(emulator, emulator.seed.alice.id), view: modal(101) }))).error).toBe(
      'invalid_arguments',
    );
  });
});

describe('modal submission', () => {
  async function openModalWithApp(ackWith: ConnectedSocketMode['ackWith']) {
    const { emulator, client } = await setUp();
    const socket = await connectSocketMode(emulator);
    cleanups.push(() => socket.stop());
    socket.ackWith = ackWith;
    const opened = await client.views.open({ trigger_id: shortcutTrigger(emulator, emulator.seed.alice.id), view: modal() });
    return { emulator, viewId: opened.view?.id as string };
  }

  it('resolves with the app’s ack payload, and a response_action "errors" keeps the modal open', async () => {
    const errors = { response_action: 'errors', errors: { question: 'Ask something longer' } };
    const { emulator, viewId } = await openModalWithApp((envelope) => (envelope.body.type === 'view_submission' ? errors : {}));

    const ack = await emulator.submitView(emulator.seed.alice.id, viewId, { question: { text: 'hm' } });

    expect(ack).toEqual(errors);
    expect(emulator.openModals(emulator.seed.alice.id).map((view) => view.id)).toEqual([viewId]);
  });

  it('closes the modal when the app acks with an empty payload', async () => {
    const { emulator, viewId } = await openModalWithApp(() => ({}));

    const ack = await emulator.submitView(emulator.seed.alice.id, viewId, { question: { text: 'What shipped this week?' } });

    expect(ack).toEqual({});
    expect(emulator.openModals(emulator.seed.alice.id)).toEqual([]);
  });
});
