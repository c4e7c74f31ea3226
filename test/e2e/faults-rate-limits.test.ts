/**
 * Fault suite, Slack side: storms of HTTP 429 (with Retry-After) on the
 * methods every answer needs, while several questions are in flight. The
 * answers arrive late but all of them, each once, in order within a thread,
 * and every question ends with ✅ alone (👀 removed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/open-database.ts';
import type { MessageRef } from '../../src/emulator/driver.ts';
import type { FakeStep } from '../support/fake-llm.ts';
import { startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/**
 * The next eight calls of a method are refused with 429 and "Retry-After: 1":
 * more than the calls five questions make at once, so retries are refused
 * again and the storm lasts several rounds.
 */
const STORM = { times: 8, retryAfterSeconds: 1 };
/** Enough for the storm's waits plus five answers; a hung question fails the test instead of stalling it. */
const ANSWER_WITHIN_MS = 15_000;
/** A storm test waits out several rounds of Retry-After on top of its answers. */
const STORM_TEST_MS = 30_000;

/** Every question carries a tag (q1, q2, …); the model answers the tag of the question it was asked. */
const answerFor = (tag: string) => `Answer to ${tag}.`;
const ANSWER_BY_TAG: FakeStep = {
  respond: (request) => {
    const asked = String((request.body.messages as { content: unknown }[]).at(-1)?.content);
    return { reply: answerFor(asked.match(/\bq\d+\b/g)?.at(-1) ?? 'an untagged question') };
  },
};

async function start(): Promise<Harness> {
  harness = await startHarness();
  harness.llm.setDefault(ANSWER_BY_TAG);
  return harness;
}

/** Waits (bounded) until every question shows ✅ alone: none lost, none left with 👀. */
async function waitForAllAnswered(h: Harness, questions: readonly MessageRef[]): Promise<void> {
  for (const question of questions) await waitForAnswer(h, question, { timeoutMs: ANSWER_WITHIN_MS });
}

/** The texts of Pulse's replies in a question's thread, oldest first. */
const replyTexts = (h: Harness, question: MessageRef) => h.emulator.botReplies(question).map((reply) => reply.text);

/** How many messages anywhere in the workspace read exactly `text` and come from Pulse. */
function copiesOf(h: Harness, text: string): number {
  return [...h.emulator.workspace.messages.values()].flat().filter((message) => message.botId !== undefined && message.text === text).length;
}

function expectEachAnswerOnce(h: Harness, tags: readonly string[]): void {
  for (const tag of tags) expect(copiesOf(h, answerFor(tag)), answerFor(tag)).toBe(1);
}

function statuses(h: Harness): string[] {
  const database = openDatabase(h.config.databasePath);
  try {
    return database.db.all<{ status: string }>(sql`SELECT status FROM questions ORDER BY id`).map((row) => row.status);
  } finally {
    database.close();
  }
}

/**
 * Every call the storm refused, and proof that it was waited out: the first
 * call let through came at least Retry-After after the first refusal (the
 * rule refuses every call until it is used up, so nothing slips in between).
 */
function expectStormWaitedOut(h: Harness, method: string): void {
  const calls = h.emulator.callsTo(method);
  const refused = calls.filter((call) => call.status === 429);
  expect(refused).toHaveLength(STORM.times);
  const firstRefusal = calls.indexOf(refused[0] as (typeof calls)[number]);
  const firstThrough = calls.slice(firstRefusal).find((call) => call.status === 200);
  expect((firstThrough?.at ?? 0) - (refused[0]?.at ?? 0)).toBeGreaterThanOrEqual(STORM.retryAfterSeconds * 1000);
}

/**
 * Five questions at once: a channel question and two follow-ups in its
 * thread (answered in order), and two DMs from other people.
 */
function askFive(h: Harness): { root: MessageRef; all: MessageRef[] } {
  const { emulator } = h;
  const { admin, alice, bob, general } = emulator.seed;
  const root = emulator.mention(alice.id, general.id, 'q1: how are deploys going?');
  const all = [
    root,
    emulator.mention(bob.id, general.id, 'q2: and incidents?', { threadTs: root.ts }),
    emulator.mention(alice.id, general.id, 'q3: and review times?', { threadTs: root.ts }),
    emulator.dm(bob.id, 'q4: what did I miss today?'),
    emulator.dm(admin.id, 'q5: who is on call?'),
  ];
  return { root, all };
}

/** What five questions must leave behind, whatever Slack's limits did on the way. */
function expectFiveAnsweredOnceInOrder(h: Harness, asked: { root: MessageRef; all: MessageRef[] }): void {
  expect(replyTexts(h, asked.root)).toEqual(['q1', 'q2', 'q3'].map(answerFor));
  expect(replyTexts(h, asked.all[3] as MessageRef)).toEqual([answerFor('q4')]);
  expect(replyTexts(h, asked.all[4] as MessageRef)).toEqual([answerFor('q5')]);
  expectEachAnswerOnce(h, ['q1', 'q2', 'q3', 'q4', 'q5']);
  expect(statuses(h)).toEqual(Array.from({ length: 5 }, () => 'answered'));
}

describe('Slack 429 storms while five questions are in flight', () => {
  it('on chat.postMessage: every answer is delayed, then posted once, in order within the thread', async () => {
    const h = await start();
    h.emulator.faults.rateLimit('chat.postMessage', STORM);

    const asked = askFive(h);
    await waitForAllAnswered(h, asked.all);

    expectStormWaitedOut(h, 'chat.postMessage');
    expectFiveAnsweredOnceInOrder(h, asked);
    // Only the answers were posted in threads: a 429 never turned into a second copy.
    expect(h.emulator.callsTo('chat.postMessage').filter((call) => call.status === 200 && call.params.thread_ts)).toHaveLength(5);
  }, STORM_TEST_MS);

  it('on reactions.add: 👀 and ✅ still land, every answer is posted once, and no question keeps 👀', async () => {
    const h = await start();
    h.emulator.faults.rateLimit('reactions.add', STORM);

    const asked = askFive(h);
    await waitForAllAnswered(h, asked.all);

    expectStormWaitedOut(h, 'reactions.add');
    expectFiveAnsweredOnceInOrder(h, asked);
    // Each question got 👀 then ✅, each once.
    const added = h.emulator.callsTo('reactions.add').filter((call) => call.status === 200);
    expect(added.map((call) => call.params.name).sort()).toEqual([
      ...Array.from({ length: 5 }, () => 'eyes'),
      ...Array.from({ length: 5 }, () => 'white_check_mark'),
    ]);
  }, STORM_TEST_MS);

  it('on conversations.replies: follow-ups in two threads are answered once each, in the order they were asked', async () => {
    const h = await start();
    const { emulator } = h;
    const { alice, bob, general } = emulator.seed;
    const first = emulator.mention(alice.id, general.id, 'q1: how are deploys going?');
    const second = emulator.mention(bob.id, general.id, 'q2: how is the on-call rota?');
    await waitForAllAnswered(h, [first, second]);
    const repliesBefore = emulator.callsTo('conversations.replies').length;
    emulator.faults.rateLimit('conversations.replies', STORM);

    // Follow-ups in threads Pulse answers in need no mention; each reads its thread through conversations.replies.
    const followUps = [
      emulator.post(bob.id, general.id, 'q3: and last week?', { threadTs: first.ts }),
      emulator.post(bob.id, general.id, 'q6: who covers Friday?', { threadTs: second.ts }),
      emulator.post(alice.id, general.id, 'q4: and the week before?', { threadTs: first.ts }),
      emulator.post(alice.id, general.id, 'q7: and the weekend?', { threadTs: second.ts }),
      emulator.post(alice.id, general.id, 'q5: so, a trend?', { threadTs: first.ts }),
    ];
    await waitForAllAnswered(h, followUps);

    expectStormWaitedOut(h, 'conversations.replies');
    expect(emulator.callsTo('conversations.replies').length - repliesBefore).toBe(STORM.times + followUps.length);
    expect(replyTexts(h, first)).toEqual(['q1', 'q3', 'q4', 'q5'].map(answerFor));
    expect(replyTexts(h, second)).toEqual(['q2', 'q6', 'q7'].map(answerFor));
    expectEachAnswerOnce(h, ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7']);
    expect(statuses(h)).toEqual(Array.from({ length: 7 }, () => 'answered'));
  }, STORM_TEST_MS);
});
