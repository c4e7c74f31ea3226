import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_MENTION_REPLY } from '../../src/conversation/answer-question.ts';
import { modelTurns, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

let harness: Harness;
afterEach(async () => {
  await harness?.stop();
});

async function start() {
  harness = await startHarness();
  return harness;
}

describe('bad input is answered or refused clearly, never silence', () => {
  it('a mention with nothing after it gets a short how-to, without a model call', async () => {
    const { emulator, llm } = await start();
    const question = emulator.post(emulator.seed.alice.id, emulator.seed.general.id, `<@${emulator.botUserId}>   `);
    const replies = await waitForAnswer(harness, question);
    expect(replies.map((reply) => reply.text)).toEqual([EMPTY_MENTION_REPLY]);
    expect(llm.requests).toHaveLength(0);
  });

  it('a message of more than 40,000 characters is answered from its trimmed text', async () => {
    const { emulator, llm } = await start();
    llm.script({ reply: 'That is long.' });
    const question = emulator.dm(emulator.seed.alice.id, `x${'y'.repeat(45_000)}`);
    const replies = await waitForAnswer(harness, question);
    expect(replies.map((reply) => reply.text)).toEqual(['That is long.']);
    const [turn] = modelTurns(harness);
    expect(String(turn?.content).length).toBeLessThan(16_000 * 4 + 200);
  });

  it('only emoji, and right-to-left, zero-width and combining characters reach the model intact', async () => {
    const { emulator } = await start();
    const texts = [':tada: :rocket:', 'مرحبا، كيف حالك؟', 'zero\u200bwidth\u200djoiner', 'cafe\u0301 n\u0303 Z\u0335\u0321algo'];
    for (const text of texts) {
      const question = emulator.dm(emulator.seed.bob.id, text);
      await waitForAnswer(harness, question);
    }
    expect(harness.llm.requests.map((_, index) => modelTurns(harness, index).at(-1)?.content)).toEqual(
      texts.map((text) => `bob: ${text}`),
    );
  });

  it('a question from a user who has since been deactivated is still answered', async () => {
    const { emulator } = await start();
    const leaver = emulator.workspace.addUser({ name: 'leaver', realName: 'Lee Ver' });
    const question = emulator.dm(leaver.id, 'last question before I go');
    leaver.deleted = true;
    const replies = await waitForAnswer(harness, question);
    expect(replies).toHaveLength(1);
    expect(modelTurns(harness).at(-1)?.content).toBe('leaver: last question before I go');
  });

  it('a mention in a thread whose root was deleted is answered in that thread', async () => {
    const { emulator } = await start();
    const { alice, bob, general } = emulator.seed;
    const [root] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'soon to be deleted' }]);
    const rootTs = root?.ts as string;
    emulator.seedHistory(general.id, [{ user: alice.id, text: 'a reply that stays', threadTs: rootTs }]);
    emulator.workspace.silently(() => emulator.workspace.deleteMessage(general.id, rootTs));

    const question = emulator.mention(alice.id, general.id, 'what was this about?', { threadTs: rootTs });

    const replies = await waitForAnswer(harness, question);
    expect(replies).toHaveLength(1);
    expect(modelTurns(harness).map((turn) => turn.content)).toEqual(['alice: a reply that stays', 'alice: @Pulse what was this about?']);
  });
});
