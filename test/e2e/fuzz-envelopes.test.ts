/**
 * 5,000 randomly mutated, JSON-valid envelopes through the emulator's Socket
 * Mode, built from real ones: what the emulator sent for a warm-up (a DM, a
 * mention, channel chatter, App Home, a button, a shortcut and its modal) and
 * Slack's own captures and field samples. Pulse must ack or ignore each, stay
 * up on the same link, post nothing for them outside the threads it already
 * answers in, and still answer a DM after. The seed is random per run and
 * printed on failure; PULSE_FUZZ_SEED=<seed> replays a run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MessageRef } from '../../src/emulator/driver.ts';
import type { SentEnvelope } from '../../src/emulator/socket-mode.ts';
import { ACTION_ID, BLOCK_ID, SHORTCUT_ID } from '../../src/slack/ids.ts';
import { createRng, mutate, type JsonObject, type Rng } from '../support/envelope-fuzzer.ts';
import { readFixtureJson } from '../support/shared-fixtures.ts';
import { settle, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

const FUZZ_ENVELOPES = 5_000;
/** Sent together, then waited for: enough to overlap handlers, few enough that acks come well inside Slack's 3 s. */
const BATCH_SIZE = 100;
/** A batch is done when every envelope is acked, or no ack has come for this long (some are never acked). */
const QUIET_MS = 150;
/** What the fake model says to every question: any other text Pulse posts during the fuzz is a notice, a welcome or an error. */
const MODEL_REPLY = 'An answer to a real question.';
/** Slack methods that put something in front of people. */
const POSTING_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.startStream', 'files.completeUploadExternal']);

const seed = Number(process.env.PULSE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const crashes: { kind: string; reason: unknown }[] = [];
const onRejection = (reason: unknown) => crashes.push({ kind: 'unhandledRejection', reason });
const onException = (reason: unknown) => crashes.push({ kind: 'uncaughtException', reason });
beforeAll(() => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
});
afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

type EnvelopeKind = 'events_api' | 'interactive';
interface Template {
  name: string;
  type: EnvelopeKind;
  payload: JsonObject;
}

/** Runs the warm-up through Pulse and returns the messages it answered (the only threads it may post in later). */
async function warmUp(h: Harness): Promise<MessageRef[]> {
  const { emulator } = h;
  const { admin, alice, bob, general } = emulator.seed;
  const dm = emulator.dm(alice.id, 'warm-up: how are we doing?');
  await waitForAnswer(h, dm);
  const mention = emulator.mention(bob.id, general.id, 'warm-up: summarise the channel');
  await waitForAnswer(h, mention);
  emulator.post(bob.id, general.id, 'warm-up: chatter nobody asked Pulse about');
  emulator.openHome(admin.id);
  // The Home tab is re-published once the provider's models arrive; the template must not depend on which one it is.
  const home = await emulator.waitFor(() => {
    const view = emulator.homeView(admin.id);
    return view && JSON.stringify(view.view.blocks).includes('gpt-4o"') && view;
  }, { what: "the admin's Home tab with the model list" });
  await emulator.clickButton(admin.id, { viewId: home.id }, { actionId: ACTION_ID.editBudgets }).acked;
  const [target] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'warm-up: Q3 revenue was 1.2M' }]);
  const shortcutTarget = target as MessageRef;
  emulator.runShortcut(alice.id, SHORTCUT_ID.askPulse, shortcutTarget);
  const [modal] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id), {
    what: 'the instruction modal',
  });
  await emulator.submitView(alice.id, modal?.id as string, { [BLOCK_ID.instruction]: { [ACTION_ID.instructionInput]: 'one line' } });
  await waitForAnswer(h, shortcutTarget);
  await settle(200);
  return [dm, mention, shortcutTarget];
}

/** Real envelopes to mutate: the warm-up's, as the emulator sent them, and Slack's own captures and field samples. */
function collectTemplates(h: Harness): Template[] {
  const history = h.emulator.socketMode.history;
  const eventOf = (envelope: SentEnvelope) => (envelope.payload.event ?? {}) as { type?: string; channel_type?: string };
  const sent = (name: string, match: (envelope: SentEnvelope) => boolean): Template => {
    const envelope = history.find(match);
    if (!envelope) throw new Error(`the warm-up sent no ${name}`);
    return { name, type: envelope.type as EnvelopeKind, payload: structuredClone(envelope.payload) as Template['payload'] };
  };
  const fixture = (name: string, type: EnvelopeKind, path: string): Template => ({ name, type, payload: readFixtureJson(path) });
  return [
    sent('message.im', (e) => eventOf(e).type === 'message' && eventOf(e).channel_type === 'im'),
    sent('app_mention', (e) => eventOf(e).type === 'app_mention'),
    sent('message.channels', (e) => eventOf(e).type === 'message' && eventOf(e).channel_type === 'channel'),
    sent('app_home_opened', (e) => eventOf(e).type === 'app_home_opened'),
    sent('block_actions', (e) => e.payload.type === 'block_actions'),
    sent('message_action', (e) => e.payload.type === 'message_action'),
    sent('view_submission', (e) => e.payload.type === 'view_submission'),
    fixture('captured message.im', 'events_api', 'slack-captures/SlackWebhookEvent/messageIm.json'),
    fixture('captured app_home_opened', 'events_api', 'slack-captures/SlackWebhookEvent/app_home_opened_home.json'),
    fixture('captured bot message', 'events_api', 'slack-captures/SlackWebhookEvent/botMessage.json'),
    fixture('captured file share', 'events_api', 'slack-captures/SlackWebhookEvent/message_file_share.json'),
    fixture('sample app_mention', 'events_api', 'slack-field-samples/events/AppMentionPayload.json'),
    fixture('sample block_actions', 'interactive', 'slack-field-samples/app-backend/BlockActionPayload.json'),
    fixture('sample view_submission', 'interactive', 'slack-field-samples/app-backend/ViewSubmissionPayload.json'),
    fixture('sample message_action', 'interactive', 'slack-field-samples/app-backend/MessageShortcutPayload.json'),
  ];
}

/** Mostly the template's own envelope type; sometimes another real one, or one Slack never sends. */
function envelopeType(rng: Rng, own: EnvelopeKind): string {
  const roll = rng.next();
  if (roll < 0.94) return own;
  if (roll < 0.97) return rng.pick(['events_api', 'interactive', 'slash_commands'].filter((type) => type !== own));
  return rng.pick(['fuzz_envelope', 'EVENTS_API', '']);
}

/** Resolves when every envelope is acked, or acks have stopped coming for QUIET_MS. */
async function settleAcks(envelopes: SentEnvelope[]): Promise<void> {
  let acked = -1;
  let quietSince = Date.now();
  for (;;) {
    const now = envelopes.filter((envelope) => envelope.ack !== undefined).length;
    if (now === envelopes.length) return;
    if (now !== acked) {
      acked = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > QUIET_MS) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once Pulse has made no Slack call for QUIET_MS: what the fuzz set off has finished (bounded: no runaway work). */
async function settleCalls(h: Harness): Promise<void> {
  const deadline = Date.now() + 10_000;
  let count = -1;
  while (count !== h.emulator.calls.length) {
    if (Date.now() > deadline) throw new Error('Pulse was still calling Slack 10 s after the last envelope');
    count = h.emulator.calls.length;
    await settle(QUIET_MS);
  }
}

/** The warm-up template named `name`, copied and edited by `edit` (which reaches into it as plain JSON). */
function edited(templates: Template[], name: string, edit: (payload: Record<string, any>) => void): Template { // eslint-disable-line @typescript-eslint/no-explicit-any
  const template = templates.find((candidate) => candidate.name === name);
  if (!template) throw new Error(`no template ${name}`);
  const payload = structuredClone(template.payload);
  edit(payload);
  return { ...template, payload };
}

describe('envelopes the fuzz once caught Pulse posting for', () => {
  it('a known message under another team or user id, odd ids or timestamps, or a non-string form value posts nothing and asks no model', async () => {
    const h = (harness = await startHarness());
    const { emulator, llm } = h;
    llm.setDefault({ reply: MODEL_REPLY });
    const answered = await warmUp(h);
    const templates = collectTemplates(h);
    const callsBefore = emulator.calls.length;
    const modelCallsBefore = llm.requests.length;

    const cases = [
      edited(templates, 'message.im', (p) => (p.team_id = 'T0FOREIGN01')),
      edited(templates, 'app_mention', (p) => (p.team_id = 'T0FOREIGN01')),
      edited(templates, 'message.im', (p) => (p.event.user = 'U0STRANGER1')),
      edited(templates, 'message.im', (p) => (p.event_id = { id: 'Ev1' })),
      edited(templates, 'message.im', (p) => (p.event.ts = 'not a timestamp')),
      edited(templates, 'message.im', (p) => (p.event.channel = 'D'.repeat(100 * 1024))),
      edited(templates, 'view_submission', (p) => (p.team.id = 'T0FOREIGN01')),
      edited(templates, 'view_submission', (p) => (p.view.id = 42)),
      edited(templates, 'view_submission', (p) => (p.view.state.values[BLOCK_ID.instruction][ACTION_ID.instructionInput].value = ['one line'])),
    ];
    const envelopes = cases.map((item) => emulator.sendRawEnvelope(item.type, item.payload));
    await settleAcks(envelopes);
    await settleCalls(h);

    expect(envelopes.every((envelope) => envelope.ack !== undefined)).toBe(true);
    expect(emulator.calls.slice(callsBefore).filter((call) => POSTING_METHODS.has(call.method))).toEqual([]);
    expect(llm.requests.length).toBe(modelCallsBefore);
    for (const ref of answered) expect(emulator.reactions(ref)).toEqual({ white_check_mark: [emulator.botUserId] });
  });
});

describe('random envelopes through Socket Mode', () => {
  it('5,000 mutated envelopes are acked or ignored, crash nothing, post nothing new, and a DM is answered after', { timeout: 60_000 }, async () => {
    onTestFailed(() => {
      console.error(`fuzz seed ${seed}: replay with PULSE_FUZZ_SEED=${seed}`);
    });
    const h = (harness = await startHarness());
    const { emulator, llm } = h;
    llm.setDefault({ reply: MODEL_REPLY });
    const answered = await warmUp(h);
    const templates = collectTemplates(h);
    const rng = createRng(seed);
    const callsBefore = emulator.calls.length;
    const modelCallsBefore = llm.requests.length;
    const connectionsBefore = emulator.socketMode.connectionCount;
    const started = Date.now();

    const sent: SentEnvelope[] = [];
    while (sent.length < FUZZ_ENVELOPES) {
      const batch: SentEnvelope[] = [];
      while (batch.length < BATCH_SIZE && sent.length + batch.length < FUZZ_ENVELOPES) {
        const template = rng.pick(templates);
        const payload = mutate(rng, template.payload);
        const type = envelopeType(rng, template.type);
        batch.push(emulator.sendRawEnvelope(type, payload));
      }
      await settleAcks(batch);
      sent.push(...batch);
    }
    await settleAcks(sent);
    const fuzzMs = Date.now() - started;
    await settleCalls(h);

    const fuzzCalls = emulator.calls.slice(callsBefore);
    const unacked = sent.filter((envelope) => envelope.ack === undefined);
    const summary = {
      seed,
      sent: sent.length,
      acked: sent.length - unacked.length,
      unackedEvents: unacked.filter((envelope) => envelope.type === 'events_api').length,
      redeliveries: sent.reduce((total, envelope) => total + envelope.retryAttempt, 0),
      unackedOther: unacked.filter((envelope) => envelope.type !== 'events_api').length,
      modelCalls: llm.requests.length - modelCallsBefore,
      posts: fuzzCalls.filter((call) => POSTING_METHODS.has(call.method) && call.ok).length,
      postsRefusedBySlack: fuzzCalls.filter((call) => POSTING_METHODS.has(call.method) && !call.ok).length,
      fuzzMs,
    };
    console.log(`fuzz summary ${JSON.stringify(summary)}`);

    expect(crashes).toEqual([]);
    expect(emulator.socketMode.connectionCount).toBe(connectionsBefore);
    expect(emulator.socketMode.openConnections).toBe(1);
    // Anything Pulse showed people is a model answer in a thread it had already answered in.
    const shown = fuzzCalls
      .filter((call) => POSTING_METHODS.has(call.method) && call.ok)
      .map((call) => ({ channel: call.params.channel, thread: call.params.thread_ts, text: call.params.text }));
    const allowed = (post: (typeof shown)[number]) =>
      post.text === MODEL_REPLY && answered.some((ref) => ref.channel === post.channel && ref.ts === post.thread);
    expect(shown.filter((post) => !allowed(post))).toEqual([]);

    const replies = await waitForAnswer(h, emulator.dm(emulator.seed.bob.id, 'are you still there?'));
    expect(replies.map((reply) => reply.text)).toEqual([MODEL_REPLY]);
  });
});
