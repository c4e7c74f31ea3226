/**
 * Socket Mode faults, end to end: the real Pulse against the emulator and the
 * fake LLM. Whatever happens to the link, every question gets exactly one
 * answer, one 👀 and one ✅ — nothing lost, nothing duplicated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRef, SlackEmulator } from '../../src/emulator/driver.ts';
import { settle, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

/**
 * The Socket Mode client waits this long before it asks for a new link after
 * any close (its clientPingTimeout, 5 s, times consecutive failures).
 */
const SDK_RECONNECT_PAUSE_MS = 5_000;
/** Bound for waits that include one SDK reconnect pause. */
const RECONNECT_WAIT_MS = SDK_RECONNECT_PAUSE_MS + 7_000;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

function connectionOpens(emulator: SlackEmulator): number {
  return emulator.callsTo('apps.connections.open').length;
}

function reactionsAdded(emulator: SlackEmulator, question: MessageRef, name: string): number {
  return emulator
    .callsTo('reactions.add')
    .filter((call) => call.ok && call.params.timestamp === question.ts && call.params.name === name).length;
}

/** What the asker sees: one answer in the thread, one 👀 that came and went, one ✅ left alone. */
function expectAnsweredOnce(emulator: SlackEmulator, question: MessageRef, answer: string): void {
  expect(emulator.botReplies(question).map((message) => message.text)).toEqual([answer]);
  expect(emulator.reactions(question)).toEqual({ white_check_mark: [emulator.botUserId] });
  expect(reactionsAdded(emulator, question, 'eyes')).toBe(1);
  expect(reactionsAdded(emulator, question, 'white_check_mark')).toBe(1);
}

describe('a dropped Socket Mode link', () => {
  it('mid-answer: the answer still arrives once, Pulse reconnects, and a question asked while it was away is answered once', async () => {
    const { emulator, llm } = await start();
    const { alice, bob } = emulator.seed;
    llm.script({ reply: 'Deploys are up 12%.', delayMs: 1_500 }, { reply: 'Nothing was lost.' });
    const opensBefore = connectionOpens(emulator);
    const linksBefore = emulator.socketMode.connectionCount;

    const question = emulator.dm(alice.id, 'How did deploys do?');
    await llm.waitForRequests(1);
    // The model is still answering when the network kills the WebSocket (no close frame).
    emulator.socketMode.dropConnections();
    const whileAway = emulator.dm(bob.id, 'Did anything get lost?');

    await waitForAnswer(harness as Harness, question);
    await emulator.waitFor(() => emulator.socketMode.connectionCount > linksBefore && emulator.socketMode.openConnections === 1, {
      what: 'Pulse reconnecting',
      timeoutMs: RECONNECT_WAIT_MS,
    });
    await waitForAnswer(harness as Harness, whileAway);
    await settle();

    expect(connectionOpens(emulator)).toBe(opensBefore + 1);
    expectAnsweredOnce(emulator, question, 'Deploys are up 12%.');
    expectAnsweredOnce(emulator, whileAway, 'Nothing was lost.');
    expect(llm.requests).toHaveLength(2);
  });
});

describe('Slack’s disconnect message', () => {
  it('refresh_requested: Pulse opens a new link and answers questions asked before, during and after the refresh, each once', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, admin } = emulator.seed;
    llm.script({ reply: 'Before.' }, { reply: 'During.' }, { reply: 'After.' });
    const before = emulator.dm(alice.id, 'asked before the refresh');
    await waitForAnswer(harness as Harness, before);
    const opensBefore = connectionOpens(emulator);
    const linksBefore = emulator.socketMode.connectionCount;

    emulator.socketMode.disconnect('refresh_requested');
    // Sent while the old link is closing: Slack holds it for the new link.
    const during = emulator.dm(bob.id, 'asked during the refresh');
    await emulator.waitFor(() => emulator.socketMode.connectionCount > linksBefore && emulator.socketMode.openConnections === 1, {
      what: 'the new link',
      timeoutMs: RECONNECT_WAIT_MS,
    });
    await waitForAnswer(harness as Harness, during);
    const after = emulator.dm(admin.id, 'asked after the refresh');
    await waitForAnswer(harness as Harness, after);
    await settle();

    expect(connectionOpens(emulator)).toBe(opensBefore + 1);
    expectAnsweredOnce(emulator, before, 'Before.');
    expectAnsweredOnce(emulator, during, 'During.');
    expectAnsweredOnce(emulator, after, 'After.');
    expect(llm.requests).toHaveLength(3);
  });

  it('link_disabled (Socket Mode turned off): Pulse says so in a warning, stays up, asks for a new link once after a pause rather than in a loop, and answers again when Slack takes it', async () => {
    const { emulator, llm, logs } = await start();
    llm.script({ reply: 'Back again.' });
    const opensBefore = connectionOpens(emulator);
    const linksBefore = emulator.socketMode.connectionCount;

    const disabledAt = Date.now();
    emulator.socketMode.disconnect('link_disabled');
    await emulator.waitFor(() => emulator.socketMode.openConnections === 0, { what: 'Pulse closing the disabled link' });
    const warning = await emulator.waitFor(
      () => logs.find((line) => / WARN .*link_disabled/.test(line)),
      { what: 'a warning about link_disabled' },
    );
    expect(warning).toContain('Socket Mode was turned off');
    expect(warning).toContain('turned back on');

    await emulator.waitFor(() => emulator.socketMode.connectionCount > linksBefore && emulator.socketMode.openConnections === 1, {
      what: 'the next link',
      timeoutMs: RECONNECT_WAIT_MS,
    });
    // The SDK waits its reconnect pause before asking again; a tight loop would show here as many opens.
    expect(Date.now() - disabledAt).toBeGreaterThanOrEqual(SDK_RECONNECT_PAUSE_MS - 500);
    expect(connectionOpens(emulator)).toBe(opensBefore + 1);

    const question = emulator.dm(emulator.seed.alice.id, 'Are you there?');
    await waitForAnswer(harness as Harness, question);
    await settle();
    expectAnsweredOnce(emulator, question, 'Back again.');
    expect(connectionOpens(emulator)).toBe(opensBefore + 1);
    expect(logs.filter((line) => / ERROR /.test(line))).toEqual([]);
  });
});

describe('acks that reach Slack late', () => {
  it('while Pulse is busy with a queue, Slack redelivers each question once (retry 1, "timeout"), takes the late ack, and each is answered once', async () => {
    // Slack's 3 s deadline scaled down; acks land between the first and the second redelivery.
    const ackTimeoutMs = 800;
    const { emulator, llm, logs } = await start({ env: { MAX_CONCURRENT_ANSWERS: '1' }, emulator: { ackTimeoutMs } });
    emulator.socketMode.ackLatencyMs = ackTimeoutMs * 1.5;
    llm.setDefault({ reply: 'Answered once.', delayMs: 400 });
    const askers = [emulator.seed.alice, emulator.seed.bob, emulator.seed.admin];

    const questions = askers.map((asker) => emulator.dm(asker.id, `${asker.name}: one answer, please`));

    for (const question of questions) await waitForAnswer(harness as Harness, question, { timeoutMs: 15_000 });
    const askedTs = new Set(questions.map((question) => question.ts));
    // The questions' own events (Pulse's posts and reactions come back as events too).
    const envelopes = emulator.socketMode.history.filter((envelope) => {
      const event = envelope.payload.event as { ts?: string; bot_id?: string } | undefined;
      return envelope.type === 'events_api' && event?.bot_id === undefined && askedTs.has(event?.ts ?? '');
    });
    await Promise.all(envelopes.map((envelope) => envelope.acked));
    await settle(ackTimeoutMs * 2);

    // Each event went out twice (redelivered while Pulse's first ack was still on its way), then that late ack counted.
    expect(envelopes).toHaveLength(questions.length);
    expect(envelopes.map((envelope) => [envelope.retryAttempt, envelope.ack])).toEqual(questions.map(() => [1, {}]));
    for (const question of questions) expectAnsweredOnce(emulator, question, 'Answered once.');
    expect(llm.requests).toHaveLength(questions.length);
    expect(logs.filter((line) => line.includes('ignoring redelivery'))).toHaveLength(questions.length);
  });
});
