import { afterEach, describe, expect, it } from 'vitest';
import { sameReactions, startHarness, TEST_OPENAI_KEY, type Harness } from '../support/pulse-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('a DM to Pulse', () => {
  it('gets 👀 at once, then the answer in the DM thread, then ✅ with 👀 removed', async () => {
    harness = await startHarness();
    const { emulator, llm } = harness;
    const { alice } = emulator.seed;
    llm.script({ reply: 'Our **deploys** went up 12% this week.', delayMs: 300 });

    const question = emulator.dm(alice.id, 'How did deploys do this week?');

    await emulator.waitFor(() => emulator.reactions(question).eyes, { what: '👀 on the question' });
    const [answer] = await emulator.waitFor(() => {
      const replies = emulator.botReplies(question);
      return replies.length > 0 && replies;
    }, { what: 'the answer' });
    expect(answer?.text).toBe('Our *deploys* went up 12% this week.');
    expect(answer?.threadTs).toBe(question.ts);
    await emulator.waitFor(() => sameReactions(emulator.reactions(question), { white_check_mark: [emulator.botUserId] }), {
      what: '✅ alone on the question',
    });

    const [request] = llm.requests;
    expect(request?.apiKey).toBe(TEST_OPENAI_KEY);
    const messages = request?.body.messages as { role: string; content: string }[];
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'alice: How did deploys do this week?' });
  });

  it('fails visibly when the LLM is down: ❌, 👀 removed, and a short human explanation', async () => {
    harness = await startHarness({ llm: {} });
    const { emulator, llm } = harness;
    llm.setDefault({ status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key', type: 'invalid_request_error' });

    const question = emulator.dm(emulator.seed.bob.id, 'Summarise the incident');

    await emulator.waitFor(() => sameReactions(emulator.reactions(question), { x: [emulator.botUserId] }), {
      what: '❌ alone on the question',
    });
    const [notice] = emulator.botReplies(question);
    expect(notice?.text).toContain("An admin must set a valid API key in Pulse's App Home");
    expect(notice?.text).not.toMatch(/Incorrect API key|Error:|at .*\.ts/);
  });

  it('is answered once when Slack redelivers the event because the ack was lost', async () => {
    harness = await startHarness({ emulator: { ackTimeoutMs: 150 } });
    const { emulator, llm } = harness;
    // Acks are dropped, so the emulator redelivers the event (retry_attempt 1, 2, 3) as Slack does.
    emulator.socketMode.ignoreAcks = true;
    llm.script({ reply: 'Answered once.', delayMs: 200 });

    const question = emulator.dm(emulator.seed.alice.id, 'Count me once');

    await emulator.waitFor(() => emulator.socketMode.history.some((envelope) => envelope.retryAttempt === 3), {
      what: 'the third redelivery',
    });
    await emulator.waitFor(() => sameReactions(emulator.reactions(question), { white_check_mark: [emulator.botUserId] }), {
      what: '✅ alone on the question',
    });
    expect(emulator.botReplies(question).map((message) => message.text)).toEqual(['Answered once.']);
    expect(llm.requests).toHaveLength(1);
    const ignored = () => (harness as Harness).logs.filter((line) => line.includes('ignoring redelivery')).length;
    await emulator.waitFor(() => ignored() === 3, { what: 'all three redeliveries recognised' });
    expect(emulator.botReplies(question)).toHaveLength(1);
  });
});

