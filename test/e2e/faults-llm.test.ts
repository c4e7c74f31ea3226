/**
 * Fault suite, model side: the provider rate-limits, fails, stalls, sends
 * garbage or cuts a stream. Each question ends with an answer (a retry
 * worked) or ❌ and the right explanation, never both, never twice, and the
 * next question in the same thread is answered (nothing stuck).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { LLM_MESSAGES } from '../../src/agent/llm-errors.ts';
import type { AnswerDelivery } from '../../src/config.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { MessageRef } from '../../src/emulator/driver.ts';
import { prepareStreamMarkdown } from '../../src/slack/reply/answer-writers/stream-markdown.ts';
import { INTERRUPTED_NOTE } from '../../src/slack/reply/answer-writers/sync-answer-messages.ts';
import { renderAnswerChunks } from '../../src/slack/reply/answer-writers/update-answer-writer.ts';
import type { FakeStep } from '../support/fake-llm.ts';
import { splitIntoDeltas } from '../support/fake-llm-wire.ts';
import { settle, startHarness, waitForAnswer, waitForFailure, type Harness } from '../support/pulse-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Harness> {
  harness = await startHarness({ env });
  return harness;
}

/** What the asker reads under a failed question. */
const notice = (message: string) => `:warning: ${message}`;
const NEXT_ANSWER = 'Back to normal.';
/** Pulse's model client (LangChain) honours a 429's Retry-After; zero asks for no wait beyond its own backoff. */
const RETRY_NOW = { 'retry-after': '0' };
const TRUNCATED_JSON = '{"id":"chatcmpl-broken","choices":[';

/** Each question's recorded outcome: none left received or answering. */
function outcomes(h: Harness): { status: string; errorCode: string | null }[] {
  const database = openDatabase(h.config.databasePath);
  try {
    return database.db.all<{ status: string; errorCode: string | null }>(
      sql`SELECT status, error_code AS errorCode FROM questions ORDER BY id`,
    );
  } finally {
    database.close();
  }
}

/** Asks a plain follow-up in the same thread (same queue key) and expects it answered: the fault left nothing stuck. */
async function expectNextQuestionAnswered(h: Harness, question: MessageRef, before: string[]): Promise<void> {
  const { emulator } = h;
  const next = emulator.dm(emulator.seed.alice.id, 'and now a normal question', { threadTs: question.ts });
  const replies = await waitForAnswer(h, next);
  expect(replies.map((reply) => reply.text)).toEqual([...before, NEXT_ANSWER]);
}

interface FaultCase {
  fault: string;
  steps: FakeStep[];
  /** The answer a retry delivered, or the explanation under ❌ and the error code recorded when it names the fault. */
  outcome: { answer: string } | { failure: string; code?: string };
  /** Model requests the question took: retries included. */
  requests: number;
}

const CASES: FaultCase[] = [
  {
    fault: 'a 429 twice, then an answer: the retries absorb it',
    steps: [
      { status: 429, code: 'rate_limit_exceeded', headers: RETRY_NOW },
      { status: 429, code: 'rate_limit_exceeded', headers: RETRY_NOW },
      { reply: 'Answered after the rate limit.' },
    ],
    outcome: { answer: 'Answered after the rate limit.' },
    requests: 3,
  },
  {
    fault: 'a 429 on every try: ❌ with the rate-limit explanation',
    steps: Array.from({ length: 3 }, () => ({ status: 429, code: 'rate_limit_exceeded', headers: RETRY_NOW })),
    outcome: { failure: LLM_MESSAGES.rateLimited, code: 'llm_rate_limited' },
    requests: 3,
  },
  {
    fault: 'a 500 twice, then an answer: the retries absorb it',
    steps: [{ status: 500 }, { status: 500 }, { reply: 'Answered after the outage.' }],
    outcome: { answer: 'Answered after the outage.' },
    requests: 3,
  },
  {
    fault: 'a 500 on every try: ❌ saying the provider could not be reached',
    steps: Array.from({ length: 3 }, () => ({ status: 500 })),
    outcome: { failure: LLM_MESSAGES.unreachable, code: 'llm_unreachable' },
    requests: 3,
  },
  {
    fault: 'a proxy’s HTML 502 page, then an answer: retried',
    steps: [{ raw: '<html><body>502 Bad Gateway</body></html>', status: 502, contentType: 'text/html' }, { reply: 'Answered after the proxy.' }],
    outcome: { answer: 'Answered after the proxy.' },
    requests: 2,
  },
  {
    fault: 'a truncated JSON body, then an answer: retried',
    steps: [{ raw: TRUNCATED_JSON }, { reply: 'Answered after the garbled reply.' }],
    outcome: { answer: 'Answered after the garbled reply.' },
    requests: 2,
  },
  {
    fault: 'a truncated JSON body on every try: ❌ saying the response could not be read',
    steps: Array.from({ length: 3 }, () => ({ raw: TRUNCATED_JSON })),
    outcome: { failure: LLM_MESSAGES.badResponse, code: 'llm_bad_response' },
    requests: 3,
  },
  {
    fault: 'a well-formed completion without choices: ❌ saying the response could not be read, not retried',
    steps: [{ raw: '{"object":"chat.completion","choices":[]}' }],
    outcome: { failure: LLM_MESSAGES.badResponse },
    requests: 1,
  },
  {
    fault: 'the connection dropped before any answer: retried',
    steps: [{ cutStreamAfterChunks: 0, reply: 'never sent' }, { reply: 'Answered on a new connection.' }],
    outcome: { answer: 'Answered on a new connection.' },
    requests: 2,
  },
];

describe('model faults, answers posted in one message', () => {
  it.each(CASES)('$fault; the next question is answered', async ({ steps, outcome, requests }) => {
    const { emulator, llm } = await start();
    llm.script(...steps);
    llm.setDefault({ reply: NEXT_ANSWER });

    const question = emulator.dm(emulator.seed.alice.id, 'how are deploys going?');
    const replies = 'answer' in outcome ? await waitForAnswer(harness as Harness, question) : await waitForFailure(harness as Harness, question);
    const expected = 'answer' in outcome ? outcome.answer : notice(outcome.failure);
    expect(replies.map((reply) => reply.text)).toEqual([expected]);
    expect(llm.requests).toHaveLength(requests);

    await expectNextQuestionAnswered(harness as Harness, question, [expected]);
    const [first, second] = outcomes(harness as Harness);
    expect([first?.status, second?.status]).toEqual(['answer' in outcome ? 'answered' : 'failed', 'answered']);
    if ('code' in outcome && outcome.code) expect(first?.errorCode).toBe(outcome.code);
  });
});

describe('a model slower than LLM_TIMEOUT_SECONDS', () => {
  it('fails with the "took too long" explanation and never posts the late answer', async () => {
    const { emulator, llm } = await start({ LLM_TIMEOUT_SECONDS: '1' });
    const lateMs = 3_000;
    llm.script({ reply: 'This answer comes too late.', delayMs: lateMs });
    llm.setDefault({ reply: NEXT_ANSWER });

    const question = emulator.dm(emulator.seed.alice.id, 'a slow one?');
    const askedAt = Date.now();
    const replies = await waitForFailure(harness as Harness, question);
    const failedAfterMs = Date.now() - askedAt;
    expect(replies.map((reply) => reply.text)).toEqual([notice(LLM_MESSAGES.timeout)]);
    expect(failedAfterMs).toBeLessThan(lateMs);

    // Past the moment the model would have answered: nothing more arrives, and the model was not asked again.
    await settle(lateMs - failedAfterMs + 500);
    expect(emulator.botReplies(question).map((reply) => reply.text)).toEqual([notice(LLM_MESSAGES.timeout)]);
    expect(llm.requests).toHaveLength(1);

    await expectNextQuestionAnswered(harness as Harness, question, [notice(LLM_MESSAGES.timeout)]);
    expect(outcomes(harness as Harness)).toEqual([
      { status: 'failed', errorCode: 'llm_timeout' },
      { status: 'answered', errorCode: null },
    ]);
  });

  it('stops retrying a failing provider when the time is up: "took too long", and no request after', async () => {
    const { emulator, llm } = await start({ LLM_TIMEOUT_SECONDS: '1' });
    // The failure comes at 300 ms; the retry's backoff (at least a second) would end past the 1 s timeout.
    // A retry that went out all the same would be answered, and show here as a second request.
    llm.script({ status: 500, delayMs: 300 });
    llm.setDefault({ reply: NEXT_ANSWER });

    const question = emulator.dm(emulator.seed.alice.id, 'flaky and slow?');
    const replies = await waitForFailure(harness as Harness, question);
    expect(replies.map((reply) => reply.text)).toEqual([notice(LLM_MESSAGES.timeout)]);

    // Longer than the backoff before a retry: the abandoned run must not call the model again.
    await settle(2_500);
    expect(llm.requests).toHaveLength(1);
    expect(emulator.botReplies(question)).toHaveLength(1);

    await expectNextQuestionAnswered(harness as Harness, question, [notice(LLM_MESSAGES.timeout)]);
    expect(outcomes(harness as Harness).map((row) => row.errorCode)).toEqual(['llm_timeout', null]);
  });
});

/** Long enough that two of the fake model's four content chunks are clearly half an answer. */
const CUT_REPLY = 'Deploys rose twelve percent this week and incidents fell to two, both in the data pipeline.';
/** The role chunk and two content chunks arrive, then the connection is closed. */
const CUT_AFTER_CHUNKS = 3;
const PARTIAL = splitIntoDeltas(CUT_REPLY).slice(0, CUT_AFTER_CHUNKS - 1).join('');

/** The partial answer as each live mode leaves it: what had arrived, marked unfinished. */
const INTERRUPTED: Record<Exclude<AnswerDelivery, 'post'>, string> = {
  stream: `${prepareStreamMarkdown(PARTIAL, { complete: true })}\n\n${INTERRUPTED_NOTE}`,
  update: `${renderAnswerChunks(PARTIAL)[0] as string}\n\n${INTERRUPTED_NOTE}`,
};

describe('a model stream cut midway', () => {
  it.each(['stream', 'update'] as const)(
    'with ANSWER_DELIVERY=%s, the partial answer is marked interrupted, ❌ explains, and the next question is answered',
    async (delivery) => {
      const { emulator, llm } = await start({ ANSWER_DELIVERY: delivery });
      llm.script({ cutStreamAfterChunks: CUT_AFTER_CHUNKS, reply: CUT_REPLY });
      llm.setDefault({ reply: NEXT_ANSWER });

      const question = emulator.dm(emulator.seed.alice.id, 'how are deploys going?');
      const replies = await waitForFailure(harness as Harness, question);
      expect(replies.map((reply) => reply.text)).toEqual([INTERRUPTED[delivery], notice(LLM_MESSAGES.interrupted)]);
      // Nothing is left looking live or complete: the stream is closed and the full reply never appears.
      expect(replies.some((reply) => reply.streaming)).toBe(false);
      expect(replies.some((reply) => reply.text.includes(CUT_REPLY))).toBe(false);
      expect(llm.requests).toHaveLength(1);
      // The partial answer really was live before the cut: streamed, or posted and then edited.
      expect(emulator.callsTo(delivery === 'stream' ? 'chat.startStream' : 'chat.update')).toHaveLength(1);

      await expectNextQuestionAnswered(harness as Harness, question, [INTERRUPTED[delivery], notice(LLM_MESSAGES.interrupted)]);
      expect(outcomes(harness as Harness)).toEqual([
        { status: 'failed', errorCode: 'llm_interrupted' },
        { status: 'answered', errorCode: null },
      ]);
    },
  );
});
