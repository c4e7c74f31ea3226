/**
 * The outside world, as one bench child process: the Slack emulator and the
 * fake LLM on loopback, and the people asking questions. The orchestrator
 * forks it (bench/measure.ts) and drives it over IPC: `start` brings the
 * servers up and answers with their URLs and tokens for the app process,
 * each scenario request runs there and answers with its raw figures, and
 * `shutdown` closes everything and answers with this process's memory. Ack
 * and reaction timestamps are all taken here, on one clock.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startSlackEmulator, type SlackEmulator } from '../src/emulator/driver.ts';
import { startFakeLlm, type FakeLlm } from '../test/support/fake-llm.ts';
import { endWhenOrphaned, Peer, parentEndpoint } from './ipc.ts';
import { EXIT_GRACE_MS, type OrchestratorRequests, type ProcessMemory, type WorldInfo, type WorldRequests } from './protocol.ts';
import { QuestionProbe } from './question-probe.ts';
import { measureCallsPerAnswer, measureLatency, measureThroughput, type BenchContext } from './scenarios.ts';

const REPLY = 'Deploys went up **12%** this week; most of them on Tuesday.';
/** The app answers a burst edge by snapshotting its CPU time (and maybe stopping a profiler, which writes a file). */
const BURST_MARK_TIMEOUT_MS = 30_000;
const DISCONNECT_POLL_MS = 5;
/** The fake LLM's shutdown signal gets one abort listener per delayed answer; hundreds at once are expected. */
const EXPECTED_ABORT_LISTENERS = 1_000;

/**
 * The events Pulse's manifest subscribes to. Read here rather than through test/support/pulse-harness.ts,
 * which imports Pulse itself: the outside world must not load the app's modules.
 */
function manifestBotEvents(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
    settings: { event_subscriptions: { bot_events: string[] } };
  };
  return manifest.settings.event_subscriptions.bot_events;
}

interface World {
  emulator: SlackEmulator;
  llm: FakeLlm;
  context: BenchContext;
  baselineRssBytes: number;
}

setMaxListeners(EXPECTED_ABORT_LISTENERS);
let world: World | undefined;
let shuttingDown = false;

function requireWorld(): World {
  if (!world) throw new Error('the world was not started');
  return world;
}

async function start(): Promise<WorldInfo> {
  if (world) throw new Error('the world is already running');
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
    markBurst: (edge) => orchestrator.request('burst', edge, BURST_MARK_TIMEOUT_MS),
  };
  world = { emulator, llm, context, baselineRssBytes: process.memoryUsage().rss };
  return { botToken: emulator.botToken, appToken: emulator.appToken, apiUrl: emulator.apiUrl, llmUrl: llm.url };
}

async function waitDisconnected(timeoutMs: number): Promise<number> {
  const { emulator } = requireWorld();
  const deadline = performance.now() + timeoutMs;
  while (emulator.socketMode.openConnections > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, DISCONNECT_POLL_MS));
  }
  return emulator.socketMode.openConnections;
}

async function close(): Promise<void> {
  const current = world;
  world = undefined;
  if (!current) return;
  await current.llm.close();
  await current.emulator.stop();
}

async function shutdown(): Promise<ProcessMemory> {
  const baselineRssBytes = world?.baselineRssBytes ?? Number.NaN;
  shuttingDown = true;
  await close();
  return { peakRssBytes: process.resourceUsage().maxRSS * 1024, baselineRssBytes };
}

const orchestrator = new Peer<OrchestratorRequests, WorldRequests>('orchestrator', parentEndpoint(), {
  start: () => start(),
  calls: ({ llmDelayMs }) => {
    const { context } = requireWorld();
    context.setLlmDelay(llmDelayMs);
    return measureCallsPerAnswer(context);
  },
  latency: ({ samples, llmDelayMs }) => measureLatency(requireWorld().context, samples, llmDelayMs),
  throughput: (plan) => measureThroughput(requireWorld().context, plan),
  waitDisconnected: ({ timeoutMs }) => waitDisconnected(timeoutMs),
  shutdown: () => shutdown(),
});

endWhenOrphaned('world', orchestrator, { shuttingDown: () => shuttingDown, close }, EXIT_GRACE_MS);
