/**
 * The bench's three scenarios, each bounded in time: Slack calls for one
 * cold and one warm answer, a sequential latency series, and a burst of
 * questions over many DM threads for throughput. They run in the outside
 * world's process (bench/world.ts); the app is another process.
 */
import { performance } from 'node:perf_hooks';
import type { SlackEmulator } from '../src/emulator/driver.ts';
import type { BurstEdge, CpuSnapshot } from './protocol.ts';
import { waitForAll, type AskedQuestion, type QuestionProbe, type QuestionTrace } from './question-probe.ts';
import { summarize } from './stats.ts';
import { meanOverlapBySlice, peakOverlap, type Interval } from './timeline.ts';

export interface BenchContext {
  emulator: SlackEmulator;
  probe: QuestionProbe;
  /** Changes how long the fake LLM waits before answering (the known LLM time). */
  setLlmDelay(ms: number): void;
  /** Tells the app process the burst starts or ended; resolves with its CPU time at that moment. */
  markBurst(edge: BurstEdge): Promise<CpuSnapshot>;
}

/** One question must finish within this, or the bench reports it as failed rather than hanging. */
const QUESTION_TIMEOUT_MS = 10_000;
/** Questions answered before the latency series starts (JIT, connection pools, user cache). */
const WARMUP_QUESTIONS = 10;
/** Askers in the latency series, in turn. */
const LATENCY_USERS = 4;
/**
 * Pause before each latency question, so it meets an idle app rather than the tail of the
 * previous answer (the last HTTP response, the reaction events Slack sends back).
 */
const SETTLE_MS = 20;

/** Upper bounds on each scenario's run time, for the orchestrator's request timeouts. */
export const scenarioBoundsMs = {
  calls: 2 * QUESTION_TIMEOUT_MS,
  latency: (samples: number) => (WARMUP_QUESTIONS + samples) * (QUESTION_TIMEOUT_MS + SETTLE_MS),
  /** The burst's own bound, then the bounded drain after a timed-out burst. */
  throughput: (plan: ThroughputPlan) => plan.timeoutMs + 3 * QUESTION_TIMEOUT_MS,
};

let userCounter = 0;
function addBenchUser(emulator: SlackEmulator): string {
  userCounter += 1;
  return emulator.workspace.addUser({ name: `bench-user-${userCounter}`, realName: `Bench User ${userCounter}` }).id;
}

async function askAndWait(context: BenchContext, userId: string, text: string, threadTs?: string): Promise<QuestionTrace> {
  const asked = context.probe.ask(userId, text, threadTs);
  if (!(await waitForAll([asked], QUESTION_TIMEOUT_MS))) {
    throw new Error(`${asked.trace.tag} was not finished (👀 never removed) within ${QUESTION_TIMEOUT_MS} ms`);
  }
  return asked.trace;
}

export interface CallsPerAnswer {
  /** First question from a person the app has never looked up. */
  cold: string[];
  /** The same person's next question. */
  warm: string[];
  /** Posts among those calls outside the question's thread (Pulse's one-time welcome): not part of the answer. */
  sidePosts?: { cold: number; warm: number };
}

export async function measureCallsPerAnswer(context: BenchContext): Promise<CallsPerAnswer> {
  const userId = addBenchUser(context.emulator);
  const cold = await askAndWait(context, userId, 'How many deploys went out this week?');
  const warm = await askAndWait(context, userId, 'And last week?');
  return {
    cold: cold.methods ?? [],
    warm: warm.methods ?? [],
    sidePosts: { cold: cold.sidePosts ?? 0, warm: warm.sidePosts ?? 0 },
  };
}

export interface LatencySamples {
  llmDelayMs: number;
  ackMs: number[];
  eyesMs: number[];
  llmRequestMs: number[];
  afterLlmMs: number[];
  overheadMs: number[];
  failed: number;
}

/** Closed loop: one question at a time, so each figure is the latency of an idle system. */
export async function measureLatency(context: BenchContext, samples: number, llmDelayMs: number): Promise<LatencySamples> {
  context.setLlmDelay(llmDelayMs);
  const users = Array.from({ length: LATENCY_USERS }, () => addBenchUser(context.emulator));
  const result: LatencySamples = { llmDelayMs, ackMs: [], eyesMs: [], llmRequestMs: [], afterLlmMs: [], overheadMs: [], failed: 0 };
  for (let index = 0; index < WARMUP_QUESTIONS + samples; index += 1) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const trace = await askAndWait(context, users[index % users.length] as string, `Latency question ${index}`);
    if (index < WARMUP_QUESTIONS) continue;
    const { sentAt, ackAt, eyesAt, llmAt, checkAt } = trace;
    if (checkAt === undefined || ackAt === undefined || eyesAt === undefined || llmAt === undefined) {
      result.failed += 1;
      continue;
    }
    result.ackMs.push(ackAt - sentAt);
    result.eyesMs.push(eyesAt - sentAt);
    result.llmRequestMs.push(llmAt - sentAt);
    result.afterLlmMs.push(checkAt - llmAt - llmDelayMs);
    result.overheadMs.push(checkAt - sentAt - llmDelayMs);
  }
  return result;
}

export interface ThroughputResult {
  questions: number;
  threads: number;
  concurrency: number;
  llmDelayMs: number;
  completed: number;
  failed: number;
  /** First question sent → last 👀 removed (or the bound). */
  elapsedMs: number;
  /**
   * Every slot busy with LLM time only: max(ceil(completed / concurrency), questions per thread) × LLM delay
   * (a thread's answers go out one after another, so a thread is never faster than its length × delay).
   */
  idealMs: number;
  fraction: number;
  timedOut: boolean;
  /** Envelopes Slack had to send again because the ack came too late. */
  redeliveries: number;
  /** Most answers between 👀 and ✅ at the same instant: how many really ran at once. */
  peakInFlight: number;
  /** Mean answers between 👀 and ✅ in each tenth of the burst (a tail of idle slots shows at the end). */
  inFlightByTenth: number[];
  /** Mean LLM requests being answered (the fake LLM's delay) in each tenth of the burst: slots doing useful waiting. */
  llmBusyByTenth: number[];
  /**
   * 👀 → ✅ minus the LLM delay during the burst (median, p99): an answer's own overhead under load,
   * and its median parts before the LLM request and after the LLM reply.
   */
  answerOverheadMs: { median: number; p99: number; beforeLlm: number; afterLlm: number };
  /** event → ack during the burst (median, max): how far behind the app's intake fell. */
  ackMs: { median: number; max: number };
  /** CPU time of the app process (Pulse or the floor, nothing else) per completed answer. */
  cpuMsPerAnswer: number;
  /** CPU time of the outside world's process (emulator, fake LLM, the bench's probe) per completed answer. */
  worldCpuMsPerAnswer: number;
  /** Web API calls during the burst per completed answer, and which methods. */
  callsPerAnswer: number;
  methodCounts: Record<string, number>;
}

export interface ThroughputPlan {
  questions: number;
  threads: number;
  concurrency: number;
  llmDelayMs: number;
  timeoutMs: number;
}

/**
 * A burst: every thread's root DM and its follow-ups (in that DM thread) are
 * sent at once, so the app always has more work queued than slots.
 */
export async function measureThroughput(context: BenchContext, plan: ThroughputPlan): Promise<ThroughputResult> {
  const { emulator, probe } = context;
  context.setLlmDelay(plan.llmDelayMs);
  const users = Array.from({ length: plan.threads }, () => addBenchUser(emulator));
  const perThread = Math.ceil(plan.questions / plan.threads);
  const historyBefore = emulator.socketMode.history.length;
  const callsBefore = emulator.calls.length;
  const asked: AskedQuestion[] = [];
  const appCpuBefore = await context.markBurst('start');
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  for (const [threadIndex, userId] of users.entries()) {
    const root = probe.ask(userId, `Thread ${threadIndex}: what changed this week?`);
    asked.push(root);
    for (let step = 1; step < perThread && asked.length < plan.questions; step += 1) {
      asked.push(probe.ask(userId, `Thread ${threadIndex}, follow-up ${step}`, root.trace.ts));
    }
    if (asked.length >= plan.questions) break;
  }
  const finishedInTime = await waitForAll(asked, plan.timeoutMs);
  const boundAt = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const appCpuAfter = await context.markBurst('end');
  const appCpuUs = appCpuAfter.userUs - appCpuBefore.userUs + appCpuAfter.systemUs - appCpuBefore.systemUs;
  const calls = emulator.calls.slice(callsBefore);
  const traces = asked.map((question) => question.trace);
  const done = traces.filter((trace) => trace.doneAt !== undefined);
  const elapsedMs = finishedInTime ? Math.max(...done.map((trace) => trace.doneAt as number)) - startedAt : boundAt - startedAt;
  const completed = done.filter((trace) => trace.checkAt !== undefined).length;
  if (!finishedInTime) {
    // Let the backlog drain quickly (an instant LLM) so shutdown is clean, still bounded.
    context.setLlmDelay(0);
    await waitForAll(asked, QUESTION_TIMEOUT_MS * 3);
  }
  const idealMs = Math.max(Math.ceil(completed / plan.concurrency), perThread) * plan.llmDelayMs;
  const answering: Interval[] = [];
  const llmBusy: Interval[] = [];
  for (const { eyesAt, checkAt, llmAt } of traces) {
    if (eyesAt !== undefined && checkAt !== undefined) answering.push([eyesAt, checkAt]);
    if (llmAt !== undefined) llmBusy.push([llmAt, llmAt + plan.llmDelayMs]);
  }
  const overhead = summarize(answering.map(([start, end]) => end - start - plan.llmDelayMs));
  const measured = traces.filter((trace) => trace.eyesAt !== undefined && trace.llmAt !== undefined && trace.checkAt !== undefined);
  const beforeLlm = summarize(measured.map((trace) => (trace.llmAt as number) - (trace.eyesAt as number)));
  const acks = summarize(traces.flatMap((trace) => (trace.ackAt === undefined ? [] : [trace.ackAt - trace.sentAt])));
  const afterLlm = summarize(measured.map((trace) => (trace.checkAt as number) - (trace.llmAt as number) - plan.llmDelayMs));
  return {
    questions: asked.length,
    threads: plan.threads,
    concurrency: plan.concurrency,
    llmDelayMs: plan.llmDelayMs,
    completed,
    failed: done.filter((trace) => trace.failedAt !== undefined).length,
    elapsedMs,
    idealMs,
    fraction: elapsedMs > 0 ? idealMs / elapsedMs : 0,
    timedOut: !finishedInTime,
    redeliveries: emulator.socketMode.history.slice(historyBefore).filter((envelope) => envelope.retryAttempt > 0).length,
    peakInFlight: peakOverlap(answering),
    inFlightByTenth: meanOverlapBySlice(answering, startedAt, startedAt + elapsedMs, 10),
    llmBusyByTenth: meanOverlapBySlice(llmBusy, startedAt, startedAt + elapsedMs, 10),
    answerOverheadMs: { median: overhead.median, p99: overhead.p99, beforeLlm: beforeLlm.median, afterLlm: afterLlm.median },
    ackMs: { median: acks.median, max: acks.max },
    cpuMsPerAnswer: completed > 0 ? appCpuUs / 1000 / completed : Number.NaN,
    worldCpuMsPerAnswer: completed > 0 ? (cpu.user + cpu.system) / 1000 / completed : Number.NaN,
    callsPerAnswer: completed > 0 ? calls.length / completed : Number.NaN,
    methodCounts: countMethods(calls.map((call) => call.method)),
  };
}

function countMethods(methods: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const method of methods) counts[method] = (counts[method] ?? 0) + 1;
  return counts;
}
