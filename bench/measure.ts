/**
 * One bench child: starts the emulator, the fake LLM and one system under
 * test (Pulse or the floor) in this process, runs every scenario, writes
 * the raw figures as JSON to --out and exits by itself (everything closed).
 * bench/run.ts starts one child per system so peak RSS is per system.
 */
import { setMaxListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AnswerDelivery } from '../src/config.ts';
import { startSlackEmulator } from '../src/emulator/driver.ts';
import { startFakeLlm } from '../test/support/fake-llm.ts';
import { manifestBotEvents } from '../test/support/pulse-harness.ts';
import { QuestionProbe } from './question-probe.ts';
import {
  measureCallsPerAnswer,
  measureLatency,
  measureThroughput,
  type BenchContext,
  type CallsPerAnswer,
  type LatencySamples,
  type ThroughputResult,
} from './scenarios.ts';
import { startSystem, type SystemName } from './start-system.ts';

export interface MeasureOptions {
  system: SystemName;
  samples: number;
  latencyDelayMs: number;
  throughputDelayMs: number;
  questions: number;
  threads: number;
  concurrency: number;
}

export interface SystemResult {
  system: SystemName;
  options: MeasureOptions;
  /** Calls for one cold and one warm answer, per ANSWER_DELIVERY (the floor has one way: 'post'). */
  calls: Partial<Record<AnswerDelivery, CallsPerAnswer>>;
  latency: LatencySamples;
  throughput: ThroughputResult;
  /** process.resourceUsage().maxRSS of this child, in bytes. */
  peakRssBytes: number;
  /** RSS with the emulator and fake LLM up, before the system under test was imported. */
  baselineRssBytes: number;
  warnings: number;
}

const REPLY = 'Deploys went up **12%** this week; most of them on Tuesday.';
const DELIVERIES: readonly AnswerDelivery[] = ['post', 'update', 'stream'];

async function measure(options: MeasureOptions): Promise<SystemResult> {
  const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
  const llm = await startFakeLlm();
  const probe = new QuestionProbe(emulator);
  let llmDelayMs = 0;
  llm.setDefault({
    respond: (request) => {
      probe.noteLlmRequest(request.body);
      return { reply: REPLY, delayMs: llmDelayMs };
    },
  });
  const context: BenchContext = {
    emulator,
    probe,
    setLlmDelay: (ms) => {
      llmDelayMs = ms;
    },
  };
  const baselineRssBytes = process.memoryUsage().rss;
  let warnings = 0;
  try {
    context.setLlmDelay(options.latencyDelayMs);
    const calls: SystemResult['calls'] = {};
    for (const delivery of options.system === 'pulse' ? DELIVERIES : (['post'] as const)) {
      const system = await startSystem(options.system, emulator, llm, { delivery, maxConcurrent: options.concurrency });
      try {
        calls[delivery] = await measureCallsPerAnswer(context);
      } finally {
        warnings += system.warnings;
        await system.stop();
      }
    }
    const system = await startSystem(options.system, emulator, llm, { delivery: 'post', maxConcurrent: options.concurrency });
    try {
      const latency = await measureLatency(context, options.samples, options.latencyDelayMs);
      const throughput = await measureThroughput(context, {
        questions: options.questions,
        threads: options.threads,
        concurrency: options.concurrency,
        llmDelayMs: options.throughputDelayMs,
        // Bounded: three times the ideal, at least 20 s.
        timeoutMs: Math.max(20_000, 3 * Math.ceil(options.questions / options.concurrency) * options.throughputDelayMs),
      });
      return {
        system: options.system,
        options,
        calls,
        latency,
        throughput,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        baselineRssBytes,
        warnings: warnings + system.warnings,
      };
    } finally {
      await system.stop();
    }
  } finally {
    await llm.close();
    await emulator.stop();
  }
}

function readOptions(): { options: MeasureOptions; out: string } {
  const { values } = parseArgs({
    options: {
      system: { type: 'string' },
      out: { type: 'string' },
      samples: { type: 'string', default: '60' },
      'latency-delay-ms': { type: 'string', default: '100' },
      'throughput-delay-ms': { type: 'string', default: '500' },
      questions: { type: 'string', default: '500' },
      threads: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '32' },
    },
  });
  if (values.system !== 'pulse' && values.system !== 'floor') throw new Error('--system must be pulse or floor');
  if (!values.out) throw new Error('--out <file> is required');
  return {
    out: values.out,
    options: {
      system: values.system,
      samples: Number(values.samples),
      latencyDelayMs: Number(values['latency-delay-ms']),
      throughputDelayMs: Number(values['throughput-delay-ms']),
      questions: Number(values.questions),
      threads: Number(values.threads),
      concurrency: Number(values.concurrency),
    },
  };
}

/** After teardown the process must end by itself; if it has not after this, say what holds it open. */
const EXIT_GRACE_MS = 5_000;
/** The fake LLM's shutdown signal gets one abort listener per delayed answer; hundreds at once are expected. */
const EXPECTED_ABORT_LISTENERS = 1_000;

setMaxListeners(EXPECTED_ABORT_LISTENERS);
const { options, out } = readOptions();
writeFileSync(out, JSON.stringify(await measure(options)));
setTimeout(() => {
  process.stderr.write(`bench: the ${options.system} run was still open ${EXIT_GRACE_MS} ms after teardown, held by: ${process.getActiveResourcesInfo().join(', ')}\n`);
  process.exit(0);
}, EXIT_GRACE_MS).unref();
