import { afterEach, describe, expect, it } from 'vitest';
import { WELCOME_TEXT } from '../../src/slack/welcome.ts';
import { modelTurns, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

let harness: Harness;
afterEach(async () => {
  await harness?.stop();
});

/** A 1×1 PNG, so the bytes are a real image. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('the context Pulse reads', () => {
  it('is exactly the last 20 DM messages, oldest first, Pulse’s own as its turns, names and mentions resolved', async () => {
    harness = await startHarness();
    const { emulator } = harness;
    const { alice, bob } = emulator.seed;
    const im = emulator.imChannel(alice.id);
    emulator.seedHistory(
      im,
      Array.from({ length: 25 }, (_, index) =>
        index % 2 === 0
          ? { user: alice.id, text: `question ${index} about <@${bob.id}>` }
          : { user: alice.id, text: `answer ${index}`, fromPulse: true },
      ),
    );

    const question = emulator.dm(alice.id, 'and now?');

    await waitForAnswer(harness, question);
    const turns = modelTurns(harness);
    expect(turns).toHaveLength(20);
    // 25 earlier messages plus the question: the first 6 fall outside the 20.
    expect(turns[0]).toEqual({ role: 'user', content: 'alice: question 6 about @bob' });
    expect(turns[1]).toEqual({ role: 'assistant', content: 'answer 7' });
    expect(turns.at(-1)).toEqual({ role: 'user', content: 'alice: and now?' });
    // One users.info per person, not per message.
    expect(emulator.callsTo('users.info').map((call) => call.params.user).sort()).toEqual([alice.id, bob.id].sort());
  });

  it('in a thread of 300 replies is the last 20 of them, found by paging to the end', async () => {
    harness = await startHarness();
    const { emulator } = harness;
    const { alice, bob, general } = emulator.seed;
    const [root] = emulator.seedHistory(general.id, [{ user: bob.id, text: 'root of a long thread' }]);
    emulator.seedHistory(
      general.id,
      Array.from({ length: 300 }, (_, index) => ({ user: index % 2 ? alice.id : bob.id, text: `reply ${index}`, threadTs: root?.ts })),
    );

    const question = emulator.mention(alice.id, general.id, 'summarise', { threadTs: root?.ts });

    await waitForAnswer(harness, question);
    const turns = modelTurns(harness).map((turn) => turn.content);
    expect(turns).toHaveLength(20);
    expect(turns[0]).toBe('alice: reply 281');
    expect(turns.at(-2)).toBe('alice: reply 299');
    expect(turns.at(-1)).toBe('alice: @Pulse summarise');
    expect(emulator.callsTo('conversations.replies').length).toBeGreaterThan(1);
  });

  it('gives attached images to the model as images and names other files', async () => {
    harness = await startHarness();
    const { emulator } = harness;
    const { alice } = emulator.seed;
    const image = emulator.uploadAsUser(alice.id, 'chart.png', PNG, 'image/png');
    const pdf = emulator.uploadAsUser(alice.id, 'report.pdf', Buffer.from('%PDF-1.4'), 'application/pdf');

    const question = emulator.post(alice.id, emulator.imChannel(alice.id), 'what does this show?', { fileIds: [image, pdf] });

    await waitForAnswer(harness, question);
    const [turn] = modelTurns(harness);
    expect(turn?.content).toEqual([
      { type: 'text', text: 'alice: what does this show?\n[attached: chart.png (image/png), report.pdf (application/pdf)]' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
  });

  it('is trimmed from the oldest side to the token budget, never dropping the question', async () => {
    harness = await startHarness({ env: { CONTEXT_TOKEN_BUDGET: '60' } });
    const { emulator } = harness;
    const { alice } = emulator.seed;
    emulator.seedHistory(
      emulator.imChannel(alice.id),
      Array.from({ length: 10 }, (_, index) => ({ user: alice.id, text: `older message number ${index} with some words` })),
    );

    const question = emulator.dm(alice.id, 'the question itself');

    await waitForAnswer(harness, question);
    const turns = modelTurns(harness).map((turn) => turn.content);
    expect(turns.length).toBeLessThan(11);
    expect(turns.length).toBeGreaterThan(1);
    expect(turns.at(-1)).toBe('alice: the question itself');
    expect(turns[0]).toBe(`alice: older message number ${11 - turns.length} with some words`);
  });

  it('shortens a question longer than the whole budget instead of dropping it', async () => {
    harness = await startHarness({ env: { CONTEXT_TOKEN_BUDGET: '100' } });
    const { emulator } = harness;
    const question = emulator.dm(emulator.seed.bob.id, `please read ${'word '.repeat(2_000)}`);

    await waitForAnswer(harness, question);
    const turns = modelTurns(harness);
    expect(turns).toHaveLength(1);
    expect(String(turns[0]?.content)).toMatch(/^bob: please read word .*\[message truncated to fit the context budget\]$/);
    expect(String(turns[0]?.content).length).toBeLessThan(500);
  });

  it('at the top level of a DM, shows the model its answer to the previous question (from that thread), without the welcome', async () => {
    harness = await startHarness();
    const { emulator, llm } = harness;
    const { bob } = emulator.seed;
    llm.script({ reply: 'Revenue in Q3 was 4.2M.' }, { reply: 'Q2 was 3.9M, so Q3 grew 8%.' });
    await waitForAnswer(harness, emulator.dm(bob.id, 'What was revenue in Q3?'));
    expect(emulator.messages(emulator.imChannel(bob.id)).some((message) => message.text === WELCOME_TEXT)).toBe(true);

    await waitForAnswer(harness, emulator.dm(bob.id, 'And how does that compare to Q2?'));

    expect(modelTurns(harness, 1)).toEqual([
      { role: 'user', content: 'bob: What was revenue in Q3?' },
      { role: 'assistant', content: 'Revenue in Q3 was 4.2M.' },
      { role: 'user', content: 'bob: And how does that compare to Q2?' },
    ]);
  });
});
