import { afterEach, describe, expect, it } from 'vitest';
import { SHORTCUT_ID } from '../../src/slack/ids.ts';
import { ACTION_ID, BLOCK_ID } from '../../src/slack/ids.ts';
import {
  modelTurns,
  settle,
  startHarness,
  waitForAnswer,
  type Harness,
} from '../support/pulse-harness.ts';

let harness: Harness;
afterEach(async () => {
  await harness?.stop();
});

async function start() {
  harness = await startHarness();
  return harness;
}

describe('an @-mention in a channel', () => {
  it('at top level is answered in a new thread under the mention', async () => {
    const { emulator, llm } = await start();
    const { alice, general } = emulator.seed;
    llm.script({ reply: 'Deploys are up.' });

    const question = emulator.mention(alice.id, general.id, 'how are deploys?');

    const replies = await waitForAnswer(harness, question);
    expect(replies.map((reply) => [reply.text, reply.threadTs])).toEqual([['Deploys are up.', question.ts]]);
    expect(emulator.messages(general.id).map((message) => message.ts)).toEqual([question.ts]);
  });

  it('inside a thread is answered in that thread, with the thread as context', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, general } = emulator.seed;
    const [root] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'The release slipped to Friday.' }]);
    emulator.seedHistory(general.id, [{ user: alice.id, text: 'Why?', threadTs: root?.ts }]);
    llm.script({ reply: 'Because QA found a blocker.' });

    const question = emulator.mention(alice.id, general.id, 'can you explain?', { threadTs: root?.ts });

    await waitForAnswer(harness, question);
    const thread = emulator.messages(general.id, { threadTs: root?.ts as string });
    expect(thread.at(-1)).toMatchObject({ text: 'Because QA found a blocker.', threadTs: root?.ts });
    expect(modelTurns(harness).map((turn) => turn.content)).toEqual([
      'bob: The release slipped to Friday.',
      'alice: Why?',
      'alice: @Pulse can you explain?',
    ]);
  });
});

describe('a follow-up without a mention', () => {
  it('in a channel thread Pulse answered in is answered there', async () => {
    const { emulator, llm } = await start();
    const { alice, general } = emulator.seed;
    llm.script({ reply: 'First answer.' }, { reply: 'Second answer.' });
    const first = emulator.mention(alice.id, general.id, 'first question');
    await waitForAnswer(harness, first);

    const followUp = emulator.post(alice.id, general.id, 'and a follow-up', { threadTs: first.ts });

    await waitForAnswer(harness, followUp);
    expect(emulator.botReplies(first).map((reply) => reply.text)).toEqual(['First answer.', 'Second answer.']);
    expect(modelTurns(harness, 1).map((turn) => turn.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('in a DM thread is answered in that thread, reading the thread', async () => {
    const { emulator, llm } = await start();
    const { bob } = emulator.seed;
    llm.script({ reply: 'Top answer.' }, { reply: 'Thread answer.' });
    const first = emulator.dm(bob.id, 'top-level question');
    await waitForAnswer(harness, first);

    const followUp = emulator.dm(bob.id, 'more detail please', { threadTs: first.ts });

    await waitForAnswer(harness, followUp);
    expect(emulator.botReplies(first).map((reply) => reply.text)).toEqual(['Top answer.', 'Thread answer.']);
    expect(modelTurns(harness, 1).map((turn) => turn.content)).toEqual([
      'bob: top-level question',
      'Top answer.',
      'bob: more detail please',
    ]);
  });
});

describe('ignored, with no reply and no reaction', () => {
  it('channel chatter, replies in threads Pulse is not in, other bots, edits and deletions', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, general } = emulator.seed;
    const chatter = emulator.post(alice.id, general.id, 'lunch anyone?');
    const reply = emulator.post(bob.id, general.id, 'yes!', { threadTs: chatter.ts });
    const otherBot = emulator.workspace.addUser({ name: 'deploybot', isBot: true });
    const botPost = emulator.workspace.postMessage({ channel: general.id, user: otherBot.id, botId: 'BDEPLOYBOT', text: `<@${emulator.botUserId}> deployed v2` });
    const botDm = emulator.workspace.postMessage({ channel: emulator.imChannel(alice.id), user: otherBot.id, botId: 'BDEPLOYBOT', text: 'ping' });

    await settle();
    expect(llm.requests).toHaveLength(0);

    // An answered DM that is then edited and deleted is not answered again.
    const dm = emulator.dm(alice.id, 'real question');
    await waitForAnswer(harness, dm);
    emulator.workspace.updateMessage(dm.channel, dm.ts, { text: 'real question (edited)' }, alice.id);
    const extra = emulator.dm(alice.id, 'to be deleted');
    emulator.workspace.deleteMessage(extra.channel, extra.ts);
    await settle();

    for (const ref of [chatter, reply, { channel: general.id, ts: botPost.ts }, { channel: botDm.channel, ts: botDm.ts }]) {
      expect(emulator.reactions(ref)).toEqual({});
      expect(emulator.botReplies(ref)).toEqual([]);
    }
    expect(emulator.botReplies(dm)).toHaveLength(1);
    expect(llm.requests.length).toBeLessThanOrEqual(2); // the real question, and the deleted one if it was picked up in time
  });
});

describe('the "Ask Pulse" shortcut', () => {
  it('opens a modal, then answers in the message’s thread for everyone, following the instruction', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, general } = emulator.seed;
    const [target] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'Q3 revenue was 1.2M, up 8%.' }]);
    llm.script({ reply: 'Revenue grew 8% to 1.2M.' });

    emulator.runShortcut(alice.id, SHORTCUT_ID.askPulse, target as { channel: string; ts: string });
    const [modal] = await emulator.waitFor(() => {
      const modals = emulator.openModals(alice.id);
      return modals.length > 0 && modals;
    }, { what: 'the instruction modal' });
    const ack = await emulator.submitView(alice.id, modal?.id as string, {
      [BLOCK_ID.instruction]: { [ACTION_ID.instructionInput]: 'Summarise in one line' },
    });

    expect(ack).toEqual({});
    const replies = await waitForAnswer(harness, target as { channel: string; ts: string });
    expect(replies.map((reply) => reply.text)).toEqual(['Revenue grew 8% to 1.2M.']);
    const turns = modelTurns(harness);
    expect(turns[0]?.content).toBe('bob: Q3 revenue was 1.2M, up 8%.');
    expect(turns.at(-1)?.content).toBe('alice: (Asking about bob\'s message: "Q3 revenue was 1.2M, up 8%.") Summarise in one line');
  });

  it('with an empty instruction answers about the message', async () => {
    const { emulator } = await start();
    const { alice, bob, general } = emulator.seed;
    const [target] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'Can someone review PR 42?' }]);

    emulator.runShortcut(alice.id, SHORTCUT_ID.askPulse, target as { channel: string; ts: string });
    const [modal] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id));
    await emulator.submitView(alice.id, modal?.id as string, {});

    await waitForAnswer(harness, target as { channel: string; ts: string });
    expect(modelTurns(harness).at(-1)?.content).toMatch(/Explain this message, or answer it if it asks something\.$/);
  });

  it('in a channel Pulse is not in explains how to invite it, and asks nothing', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, random } = emulator.seed;
    const target = emulator.post(bob.id, random.id, 'a message in #random');

    emulator.runShortcut(alice.id, SHORTCUT_ID.askPulse, target);

    const [modal] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id));
    expect(JSON.stringify(modal?.view.blocks)).toContain('/invite @Pulse');
    expect(modal?.view.submit).toBeUndefined();
    await settle();
    expect(llm.requests).toHaveLength(0);
  });
});

describe('the "Ask Pulse in DM" shortcut', () => {
  it('answers privately in the asker’s DM with a link back, and posts nothing in the channel', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, general } = emulator.seed;
    const [target] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'Incident 7 is resolved.' }]);
    const ref = target as { channel: string; ts: string };
    llm.script({ reply: 'It was a database failover.' });

    emulator.runShortcut(alice.id, SHORTCUT_ID.askPulseInDm, ref);
    const [modal] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id));
    await emulator.submitView(alice.id, modal?.id as string, { [BLOCK_ID.instruction]: { [ACTION_ID.instructionInput]: 'What caused it?' } });

    const dmChannel = emulator.imChannel(alice.id);
    const intro = await emulator.waitFor(() => emulator.messages(dmChannel)[0], { what: 'the private answer' });
    expect(intro.text).toContain(emulator.workspace.permalink(general.id, ref.ts));
    expect(intro.text).toContain('What caused it?');
    const replies = await waitForAnswer(harness, { channel: dmChannel, ts: intro.ts });
    expect(replies.map((reply) => reply.text)).toEqual(['It was a database failover.']);

    expect(emulator.messages(general.id).map((message) => message.ts)).toEqual([ref.ts]);
    expect(emulator.botReplies(ref)).toEqual([]);
    expect(emulator.reactions(ref)).toEqual({});
  });

  it('says so in the modal, and records nothing, when Slack will not open the DM', async () => {
    const { emulator, llm } = await start();
    const { alice, bob, general } = emulator.seed;
    const [target] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'private question about this' }]);
    const ref = target as { channel: string; ts: string };
    emulator.runShortcut(alice.id, SHORTCUT_ID.askPulseInDm, ref);
    const [modal] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id));
    emulator.faults.error('conversations.open', 'fatal_error');

    const ack = await emulator.submitView(alice.id, modal?.id as string, {});

    expect(ack).toMatchObject({ response_action: 'errors', errors: { [BLOCK_ID.instruction]: expect.stringContaining("couldn't open a DM") } });
    await settle();
    expect(llm.requests).toHaveLength(0);
    expect(emulator.messages(general.id).map((message) => message.ts)).toEqual([ref.ts]);
    expect(emulator.reactions(ref)).toEqual({});
  });
});
