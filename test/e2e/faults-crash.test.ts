/**
 * Crashes and a contended database, end to end: `npm start` runs as its own
 * process (as in production) against the Slack emulator and the fake LLM,
 * and the test reads back what each asker sees. Every question ends exactly
 * once — answered (one answer, ✅) or visibly failed (❌ and a notice) —
 * never twice, never silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_NOTICE, GAVE_UP_NOTICE, MAX_ANSWER_ATTEMPTS } from '../../src/conversation/conversation-service.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { startSlackEmulator, type MessageRef, type SlackEmulator } from '../../src/emulator/driver.ts';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../support/fake-llm.ts';
import { manifestBotEvents, sameReactions, settle, TEST_OPENAI_KEY } from '../support/pulse-harness.ts';
import { emulatedPulseEnv, killHard, spawnPulse, type PulseProcess } from '../support/pulse-process.ts';

/** Pulse's default answer slots: with 50 questions most wait in its queue. */
const ANSWER_SLOTS = 8;
const QUESTION_COUNT = 50;
/** Questions answered before the crash: they must not be answered again after it. */
const ANSWERED_BEFORE_CRASH = 10;
/** Longer than any test: an answer with this delay is still "in the model" when the process dies. */
const STUCK_IN_MODEL_MS = 60_000;
/** SQLite's busy_timeout in src/db/open-database.ts. */
const BUSY_TIMEOUT_MS = 5_000;
/** Bounds for waits on the whole batch, and on a process start (tsx compiles Pulse first). */
const ALL_SETTLED_MS = 30_000;
const START_MS = 20_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  emulator: SlackEmulator;
  llm: FakeLlm;
  dir: string;
  env: Record<string, string>;
  /** People who ask, in turn: DMs and mentions in #general. */
  askers: string[];
}

async function startWorld(extraEnv: Record<string, string> = {}): Promise<World> {
  const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
  const llm = await startFakeLlm();
  const dir = mkdtempSync(join(tmpdir(), 'pulse-faults-crash-'));
  cleanups.push(() => emulator.stop(), () => llm.close(), () => rmSync(dir, { recursive: true, force: true }));
  const { admin, alice, bob, general } = emulator.seed;
  const others = ['carol', 'dave', 'erin'].map((name) => emulator.addPerson({ name, realName: `${name[0]?.toUpperCase()}${name.slice(1)} Test` }).id);
  emulator.addMembers(general.id, others);
  const env = emulatedPulseEnv(emulator, { url: llm.url, apiKey: TEST_OPENAI_KEY }, join(dir, 'pulse.db'), extraEnv);
  return { emulator, llm, dir, env, askers: [alice.id, bob.id, admin.id, ...others] };
}

async function startProcess(world: World): Promise<PulseProcess> {
  const pulse = spawnPulse(world.env, world.dir);
  cleanups.push(() => killHard(pulse));
  await pulse.waitForOutput(/Pulse is connected to/, START_MS);
  return pulse;
}

/** A second connection to Pulse's database file, as a backup tool or an operator's sqlite3 shell would hold. */
function openSecondConnection(world: World): OpenedDatabase {
  const connection = openDatabase(world.env.DATABASE_PATH as string);
  cleanups.push(() => connection.close());
  return connection;
}

const questionText = (n: number) => `Question ${n}: how did the week go?`;
const answerText = (n: number) => `Answer to question ${n}.`;

/** Question n: even ones are DMs, odd ones mentions in #general, from the askers in turn. */
function ask(world: World, n: number): MessageRef {
  const asker = world.askers[n % world.askers.length] as string;
  return n % 2 === 0 ? world.emulator.dm(asker, questionText(n)) : world.emulator.mention(asker, world.emulator.seed.general.id, questionText(n));
}

/** Which question a model request is about: the last person's turn is the question itself. */
function questionNumberOf(request: RecordedRequest): number {
  const turns = (request.body as { messages: { role: string; content: unknown }[] }).messages;
  const asked = JSON.stringify(turns.filter((turn) => turn.role === 'user').at(-1)?.content ?? '');
  const match = /Question (\d+):/.exec(asked);
  if (!match) throw new Error(`no question number in the model's last turn: ${asked}`);
  return Number(match[1]);
}

type Outcome = 'answered' | 'failed' | 'pending';

/** ✅ alone or ❌ alone on the question (👀 gone): Pulse is done with it. */
function outcomeOf(emulator: SlackEmulator, question: MessageRef): Outcome {
  const reactions = emulator.reactions(question);
  if (sameReactions(reactions, { white_check_mark: [emulator.botUserId] })) return 'answered';
  if (sameReactions(reactions, { x: [emulator.botUserId] })) return 'failed';
  return 'pending';
}

async function waitUntilAllSettled(emulator: SlackEmulator, questions: readonly MessageRef[], timeoutMs = ALL_SETTLED_MS): Promise<void> {
  await emulator.waitFor(() => questions.every((question) => outcomeOf(emulator, question) !== 'pending'), {
    what: `✅ or ❌ alone on all ${questions.length} questions`,
    timeoutMs,
  });
}

/** Pulse's replies in the question's thread, without "you're queued" notices. */
function repliesOf(emulator: SlackEmulator, question: MessageRef): string[] {
  return emulator
    .botReplies(question)
    .map((message) => message.text ?? '')
    .filter((text) => text !== BUSY_NOTICE);
}

/**
 * Starts Pulse for a lock test and lets its start-up writes (reports' first
 * claim) finish with one answered question, so the lock meets the questions
 * and nothing else. No analytics sync: its backfill would write at times the
 * test does not control.
 */
async function startIdleProcess(world: World): Promise<PulseProcess> {
  const pulse = await startProcess(world);
  const warmUp = world.emulator.dm(world.emulator.seed.alice.id, questionText(0));
  await waitUntilAllSettled(world.emulator, [warmUp], 10_000);
  return pulse;
}

function questionRows(connection: OpenedDatabase) {
  return connection.db.$client
    .prepare('SELECT message_ts AS ts, status, attempts, error_code AS errorCode FROM questions ORDER BY id')
    .all() as { ts: string; status: string; attempts: number; errorCode: string | null }[];
}

describe('kill -9 of the Pulse process', () => {
  it('with 50 questions in flight: after a restart on the same database each is answered exactly once — none twice, none lost', async () => {
    const world = await startWorld({ MAX_CONCURRENT_ANSWERS: String(ANSWER_SLOTS) });
    const { emulator, llm } = world;
    let crashed = false;
    const modelCalls: { n: number; afterCrash: boolean }[] = [];
    llm.setDefault({
      respond: (request) => {
        const n = questionNumberOf(request);
        modelCalls.push({ n, afterCrash: crashed });
        if (!crashed && n > ANSWERED_BEFORE_CRASH) return { reply: 'This answer dies with the process.', delayMs: STUCK_IN_MODEL_MS };
        return { reply: answerText(n) };
      },
    });
    const first = await startProcess(world);
    const reader = openSecondConnection(world);

    const questions: MessageRef[] = [];
    for (let n = 1; n <= ANSWERED_BEFORE_CRASH; n++) questions.push(ask(world, n));
    await waitUntilAllSettled(emulator, questions);
    for (let n = ANSWERED_BEFORE_CRASH + 1; n <= QUESTION_COUNT; n++) questions.push(ask(world, n));
    // Every question is recorded, every slot is waiting on the model, the rest are queued behind them.
    await emulator.waitFor(() => questionRows(reader).length === QUESTION_COUNT && llm.requests.length === ANSWERED_BEFORE_CRASH + ANSWER_SLOTS, {
      what: 'all 50 questions recorded and 8 of them in the model',
      timeoutMs: ALL_SETTLED_MS,
    });
    const inModelAtCrash = modelCalls.filter((call) => call.n > ANSWERED_BEFORE_CRASH).map((call) => call.n);
    expect(inModelAtCrash).toHaveLength(ANSWER_SLOTS);
    const inFlight = QUESTION_COUNT - ANSWERED_BEFORE_CRASH;
    expect(questions.slice(ANSWERED_BEFORE_CRASH).filter((question) => outcomeOf(emulator, question) !== 'pending')).toEqual([]);

    await killHard(first);
    crashed = true;
    const restartedAt = Date.now();
    const second = await startProcess(world);
    await second.waitForOutput(new RegExp(`resuming ${inFlight} unfinished question\\(s\\); 0 given up`));
    await waitUntilAllSettled(emulator, questions);
    const recoveryMs = Date.now() - restartedAt;
    // Anything sent twice would arrive within this; nothing may.
    await settle(500);

    for (const [index, question] of questions.entries()) {
      const n = index + 1;
      expect({ n, outcome: outcomeOf(emulator, question), replies: repliesOf(emulator, question) }).toEqual({
        n,
        outcome: 'answered',
        replies: [answerText(n)],
      });
      expect(emulator.botReplies(question).filter((message) => message.text === BUSY_NOTICE).length).toBeLessThanOrEqual(1);
    }
    // The model was asked again only about what the crash interrupted, once each.
    const askedAfterCrash = modelCalls.filter((call) => call.afterCrash).map((call) => call.n);
    expect(askedAfterCrash.sort((a, b) => a - b)).toEqual(Array.from({ length: inFlight }, (_, i) => ANSWERED_BEFORE_CRASH + 1 + i));
    // The database agrees: all answered; only the ones the crash caught in the model were started twice.
    const numberOf = new Map(questions.map((question, index) => [question.ts, index + 1]));
    const rows = questionRows(reader).map((row) => ({ n: numberOf.get(row.ts) ?? 0, status: row.status, attempts: row.attempts }));
    expect(rows.sort((a, b) => a.n - b.n)).toEqual(
      questions.map((_, index) => ({ n: index + 1, status: 'answered', attempts: inModelAtCrash.includes(index + 1) ? 2 : 1 })),
    );
    expect(second.child.exitCode).toBeNull();
    console.info(`kill -9 with ${inFlight} in flight: all answered ${recoveryMs} ms after the restart began`);
  }, 60_000);

  it('twice during the same answers: those questions are failed visibly on the next start (❌ and a notice), not tried a third time', async () => {
    const world = await startWorld();
    const { emulator, llm } = world;
    let crashes = 0;
    llm.setDefault({
      respond: () => (crashes < MAX_ANSWER_ATTEMPTS ? { reply: 'This answer dies with the process.', delayMs: STUCK_IN_MODEL_MS } : { reply: 'Too late.' }),
    });
    let pulse = await startProcess(world);
    const refs = [1, 2, 3].map((n) => ask(world, n));
    for (let attempt = 1; attempt <= MAX_ANSWER_ATTEMPTS; attempt++) {
      await llm.waitForRequests(refs.length * attempt, 15_000);
      await killHard(pulse);
      crashes += 1;
      pulse = await startProcess(world);
    }
    await pulse.waitForOutput(/resuming 0 unfinished question\(s\); 3 given up/);
    await waitUntilAllSettled(emulator, refs);
    await settle(500);

    for (const ref of refs) {
      expect(outcomeOf(emulator, ref)).toBe('failed');
      expect(repliesOf(emulator, ref)).toEqual([GAVE_UP_NOTICE]);
    }
    expect(llm.requests).toHaveLength(refs.length * MAX_ANSWER_ATTEMPTS);
    const reader = openSecondConnection(world);
    expect(questionRows(reader).map((row) => [row.status, row.errorCode])).toEqual(Array(refs.length).fill(['failed', 'gave_up']));
  }, 60_000);
});

describe('the database locked by another connection', () => {
  it('for less than busy_timeout while questions arrive: Pulse waits for the lock, does not crash, and answers each once', async () => {
    const world = await startWorld({ ANALYTICS_SYNC_CRON: 'off' });
    const { emulator, llm } = world;
    llm.setDefault({ respond: (request) => ({ reply: answerText(questionNumberOf(request)) }) });
    const pulse = await startIdleProcess(world);
    const requestsBefore = llm.requests.length;
    const holder = openSecondConnection(world).db.$client;
    const lockMs = BUSY_TIMEOUT_MS - 2_000;

    holder.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();
    const envelopesBefore = emulator.socketMode.history.length;
    const questions = Array.from({ length: 10 }, (_, i) => ask(world, i + 1));
    // Pulse has the first question, and is stuck on the lock recording it.
    await emulator.waitFor(() => emulator.socketMode.history.slice(envelopesBefore).some((envelope) => envelope.ackedAt !== undefined), {
      what: 'Pulse to receive a question',
    });
    await new Promise((resolve) => setTimeout(resolve, lockMs - (Date.now() - lockedAt)));
    expect(llm.requests).toHaveLength(requestsBefore);
    expect(questions.map((question) => outcomeOf(emulator, question))).toEqual(Array(questions.length).fill('pending'));
    holder.exec('COMMIT');
    const releasedAt = Date.now();

    await waitUntilAllSettled(emulator, questions, 15_000);
    const answeredMs = Date.now() - releasedAt;
    await settle(500);
    for (const [index, question] of questions.entries()) {
      expect({ outcome: outcomeOf(emulator, question), replies: repliesOf(emulator, question) }).toEqual({
        outcome: 'answered',
        replies: [answerText(index + 1)],
      });
    }
    expect(llm.requests).toHaveLength(requestsBefore + questions.length);
    expect(pulse.child.exitCode).toBeNull();
    expect(pulse.output()).not.toMatch(/SQLITE_BUSY|database is locked/);
    console.info(`write lock held ${lockMs} ms: all ${questions.length} answered ${answeredMs} ms after it was released`);
  }, 60_000);

  it('for longer than busy_timeout while questions arrive: the question that could not be recorded fails visibly with the reason, the rest are answered once, and Pulse keeps running', async () => {
    const world = await startWorld({ ANALYTICS_SYNC_CRON: 'off' });
    const { emulator, llm } = world;
    llm.setDefault({ respond: (request) => ({ reply: answerText(questionNumberOf(request)) }) });
    const pulse = await startIdleProcess(world);
    const connection = openSecondConnection(world);
    const lockMs = BUSY_TIMEOUT_MS + 3_000;

    connection.db.$client.exec('BEGIN IMMEDIATE');
    // The first question's write waits out busy_timeout with the lock still held; the others, queued behind it, get the lock.
    const [refused, ...later] = Array.from({ length: 4 }, (_, i) => ask(world, i + 1)) as [MessageRef, ...MessageRef[]];
    await new Promise((resolve) => setTimeout(resolve, lockMs));
    connection.db.$client.exec('COMMIT');
    const releasedAt = Date.now();

    await waitUntilAllSettled(emulator, [refused, ...later], 15_000);
    const settledMs = Date.now() - releasedAt;
    await settle(500);
    expect(outcomeOf(emulator, refused)).toBe('failed');
    expect(repliesOf(emulator, refused)).toEqual([expect.stringMatching(/database was busy for too long \(ref `[0-9a-f]{8}`\)\. Please ask again/)]);
    for (const [index, question] of later.entries()) {
      expect({ outcome: outcomeOf(emulator, question), replies: repliesOf(emulator, question) }).toEqual({
        outcome: 'answered',
        replies: [answerText(index + 2)],
      });
    }
    // The refused question left no row behind, so no restart can answer it later; the others are answered.
    const rows = questionRows(connection).filter((row) => [refused, ...later].some((ref) => ref.ts === row.ts));
    expect(rows.map((row) => [row.ts, row.status])).toEqual(later.map((ref) => [ref.ts, 'answered']));
    expect(pulse.child.exitCode).toBeNull();
    expect(pulse.output()).toMatch(/could not record question msg:\S+ \(ref [0-9a-f]{8}\): SqliteError: database is locked/);
    expect(pulse.output()).not.toContain('unhandled error');
    console.info(`write lock held ${lockMs} ms: 1 question refused visibly, ${later.length} answered ${settledMs} ms after the release`);
  }, 60_000);

  it('for longer than busy_timeout while answers are being written: each answer is delivered once, recorded once the lock is gone, and never also reported as failed', async () => {
    const world = await startWorld({ ANALYTICS_SYNC_CRON: 'off' });
    const { emulator, llm } = world;
    const pulse = await startIdleProcess(world);
    llm.setDefault({ respond: (request) => ({ reply: answerText(questionNumberOf(request)), delayMs: 1_000 }) });
    const connection = openSecondConnection(world);
    const requestsBefore = llm.requests.length;
    const lockMs = BUSY_TIMEOUT_MS + 3_000;

    const questions = Array.from({ length: 3 }, (_, i) => ask(world, i + 1));
    await llm.waitForRequests(requestsBefore + questions.length);
    // The model replies a second later: the answers reach Slack while the database cannot record them.
    connection.db.$client.exec('BEGIN IMMEDIATE');
    await new Promise((resolve) => setTimeout(resolve, lockMs));
    const deliveredWhileLocked = questions.filter((question, index) => repliesOf(emulator, question).includes(answerText(index + 1))).length;
    const doneWhileLocked = questions.filter((question) => outcomeOf(emulator, question) !== 'pending').length;
    connection.db.$client.exec('COMMIT');
    const releasedAt = Date.now();

    await waitUntilAllSettled(emulator, questions, 15_000);
    const settledMs = Date.now() - releasedAt;
    await settle(500);
    expect(deliveredWhileLocked).toBeGreaterThanOrEqual(1);
    expect(doneWhileLocked).toBe(0);
    for (const [index, question] of questions.entries()) {
      expect({ outcome: outcomeOf(emulator, question), replies: repliesOf(emulator, question) }).toEqual({
        outcome: 'answered',
        replies: [answerText(index + 1)],
      });
    }
    const rows = questionRows(connection).filter((row) => questions.some((ref) => ref.ts === row.ts));
    expect(rows.map((row) => [row.status, row.attempts])).toEqual(Array(questions.length).fill(['answered', 1]));
    expect(llm.requests).toHaveLength(requestsBefore + questions.length);
    expect(pulse.child.exitCode).toBeNull();
    expect(pulse.output()).not.toMatch(/failed \(ref|unhandled error/);
    console.info(`write lock held ${lockMs} ms mid-answer: ${deliveredWhileLocked} answer(s) delivered under the lock, all recorded ${settledMs} ms after the release`);
  }, 60_000);
});
