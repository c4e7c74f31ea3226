/**
 * One round of one system, run from the orchestrator: forks the outside
 * world (bench/world.ts: emulator + fake LLM, which asks the questions and
 * takes every timestamp) and the app (bench/app.ts: Pulse or the floor) as
 * two processes talking over loopback, as Slack, the LLM and the app do in
 * production; has the world run every scenario against the app and
 * collects the figures. Bounded throughout: every request has a timeout,
 * the round has one, and a child that does not end by itself is killed.
 */
import type { AnswerDelivery } from '../src/config.ts';
import { APP_SCRIPT, finish, forkChild, WORLD_SCRIPT } from './child-process.ts';
import {
  type AppRequests,
  type NoRequests,
  type OrchestratorRequests,
  type ProcessMemory,
  type WorldInfo,
  type WorldRequests,
} from './protocol.ts';
import { scenarioBoundsMs, type CallsPerAnswer, type LatencySamples, type ThroughputResult } from './scenarios.ts';
import type { SystemName } from './start-system.ts';

export interface MeasureOptions {
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
  /** The app process (Pulse or the floor alone); its baseline is before the system was imported. */
  app: ProcessMemory;
  /** The outside world's process (emulator + fake LLM); its baseline is with both up, before any scenario. */
  world: ProcessMemory;
  /** How long the system took to start (connected and ready), each time it was started. */
  startMs: number[];
  warnings: number;
  /** The app's CPU profile of the throughput burst, when one was asked for. */
  profileFile?: string;
}

/** The whole round (two processes, four starts of the system, every scenario) is killed after this, plus the scenarios' own time. */
const ROUND_BASE_TIMEOUT_MS = 120_000;
/** Loading tsx and the system, migrating Pulse's database, connecting Socket Mode. */
const START_TIMEOUT_MS = 30_000;
/** Pulse's stop() waits up to 10 s for answers in progress. */
const STOP_TIMEOUT_MS = 20_000;
const DISCONNECT_TIMEOUT_MS = 2_000;
/** A burst edge in the app: a CPU snapshot, maybe a profile written to disk. */
const BURST_TIMEOUT_MS = 20_000;
/** On top of a scenario's own bound: IPC, and the burst edges. */
const REQUEST_SLACK_MS = 2 * BURST_TIMEOUT_MS + 5_000;
const DELIVERIES: readonly AnswerDelivery[] = ['post', 'update', 'stream'];

export async function measureSystem(system: SystemName, options: MeasureOptions, profileFile?: string): Promise<SystemResult> {
  const app = forkChild<AppRequests, NoRequests>('app', APP_SCRIPT, profileFile ? ['--cpu-prof-file', profileFile] : [], {});
  // The world asks for the app's CPU time at the burst's edges; the orchestrator relays.
  const world = forkChild<WorldRequests, OrchestratorRequests>('world', WORLD_SCRIPT, [], {
    burst: (edge) => app.peer.request('burst', edge, BURST_TIMEOUT_MS),
  });
  const plan = {
    questions: options.questions,
    threads: options.threads,
    concurrency: options.concurrency,
    llmDelayMs: options.throughputDelayMs,
    // Bounded: three times the ideal, at least 20 s.
    timeoutMs: Math.max(20_000, 3 * Math.ceil(options.questions / options.concurrency) * options.throughputDelayMs),
  };
  const roundTimeoutMs = ROUND_BASE_TIMEOUT_MS + plan.timeoutMs + options.samples * (options.latencyDelayMs + 200);
  const roundTimer = setTimeout(() => {
    process.stderr.write(`bench: the ${system} round passed ${roundTimeoutMs / 1000} s; killing its processes.\n`);
    app.process.kill('SIGKILL');
    world.process.kill('SIGKILL');
  }, roundTimeoutMs);
  let shuttingDown = false;
  // One process ending early fails the round at once rather than at the other's next timeout.
  for (const [gone, other] of [
    [app, world],
    [world, app],
  ] as const) {
    void gone.exited.then((how) => {
      if (shuttingDown) return;
      process.stderr.write(`bench: the ${gone.name} process ended early (${how}); stopping the ${other.name}.\n`);
      other.process.kill('SIGKILL');
    });
  }
  try {
    const info: WorldInfo = await world.peer.request('start', {}, START_TIMEOUT_MS);
    const startMs: number[] = [];
    let warnings = 0;
    /** Starts the system in the app process, runs `work`, stops it and checks its Socket Mode link closed. */
    const withSystem = async <T>(delivery: AnswerDelivery, work: () => Promise<T>): Promise<T> => {
      const settings = { delivery, maxConcurrent: options.concurrency };
      startMs.push((await app.peer.request('start', { system, world: info, settings }, START_TIMEOUT_MS)).startMs);
      const result = await work();
      warnings += (await app.peer.request('stop', {}, STOP_TIMEOUT_MS)).warnings;
      const open = await world.peer.request('waitDisconnected', { timeoutMs: DISCONNECT_TIMEOUT_MS }, DISCONNECT_TIMEOUT_MS + 5_000);
      if (open > 0) process.stderr.write(`bench: ${open} Socket Mode link(s) still open after the ${system} app stopped.\n`);
      return result;
    };
    const calls: SystemResult['calls'] = {};
    for (const delivery of system === 'pulse' ? DELIVERIES : (['post'] as const)) {
      calls[delivery] = await withSystem(delivery, () =>
        world.peer.request('calls', { llmDelayMs: options.latencyDelayMs }, scenarioBoundsMs.calls + REQUEST_SLACK_MS),
      );
    }
    const { latency, throughput } = await withSystem('post', async () => {
      const latencyBound = scenarioBoundsMs.latency(options.samples) + REQUEST_SLACK_MS;
      const latencyResult = await world.peer.request('latency', { samples: options.samples, llmDelayMs: options.latencyDelayMs }, latencyBound);
      const throughputResult = await world.peer.request('throughput', plan, scenarioBoundsMs.throughput(plan) + REQUEST_SLACK_MS);
      return { latency: latencyResult, throughput: throughputResult };
    });
    shuttingDown = true;
    const appMemory = await app.peer.request('shutdown', {}, STOP_TIMEOUT_MS);
    const worldMemory = await world.peer.request('shutdown', {}, STOP_TIMEOUT_MS);
    return {
      system,
      options,
      calls,
      latency,
      throughput,
      app: appMemory,
      world: worldMemory,
      startMs,
      warnings,
      ...(profileFile ? { profileFile } : {}),
    };
  } finally {
    shuttingDown = true;
    clearTimeout(roundTimer);
    await Promise.all([finish(app), finish(world)]);
  }
}
