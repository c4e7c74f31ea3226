/**
 * What the three bench processes say to each other over fork IPC:
 * the orchestrator (bench/run.ts, bench/measure.ts), the outside world
 * (bench/world.ts: emulator + fake LLM, drives the questions) and the app
 * (bench/app.ts: Pulse or the floor).
 */
import type { CallsPerAnswer, LatencySamples, ThroughputPlan, ThroughputResult } from './scenarios.ts';
import type { SystemName, SystemSettings } from './start-system.ts';

/** Where the app finds the outside world, as Pulse's SLACK_API_URL / SLACK_*_TOKEN / OPENAI_BASE_URL would say. */
export interface WorldInfo {
  botToken: string;
  appToken: string;
  apiUrl: string;
  llmUrl: string;
}

/** process.cpuUsage() of the app process, in microseconds. */
export interface CpuSnapshot {
  userUs: number;
  systemUs: number;
}

export interface ProcessMemory {
  /** process.resourceUsage().maxRSS, in bytes. */
  peakRssBytes: number;
  /** RSS once the process was ready, before the system under test was loaded (app) or the scenarios ran (world). */
  baselineRssBytes: number;
}

/** One reading of the app process for the soak test: RSS after a full GC, and open file descriptors. */
export interface ProcessSample {
  rssBytes: number;
  heapUsedBytes: number;
  /** Entries in /proc/self/fd (or /dev/fd); NaN where neither exists. */
  openFds: number;
  /** False when the process was not started with --expose-gc: RSS then includes garbage not yet collected. */
  gcForced: boolean;
}

/** The edges of the throughput burst: the app snapshots its CPU time there (and starts/stops its profiler). */
export type BurstEdge = 'start' | 'end';

/** Orchestrator → world. */
export type WorldRequests = {
  start: { body: Record<string, never>; reply: WorldInfo };
  calls: { body: { llmDelayMs: number }; reply: CallsPerAnswer };
  latency: { body: { samples: number; llmDelayMs: number }; reply: LatencySamples };
  throughput: { body: ThroughputPlan; reply: ThroughputResult };
  /** Waits (bounded) until the app's Socket Mode links are closed; replies with how many are still open. */
  waitDisconnected: { body: { timeoutMs: number }; reply: number };
  /** Closes the emulator and fake LLM; once the orchestrator then disconnects, the world must end by itself. */
  shutdown: { body: Record<string, never>; reply: ProcessMemory };
};

/** World → orchestrator (relayed to the app). */
export type OrchestratorRequests = {
  burst: { body: BurstEdge; reply: CpuSnapshot };
};

/** Orchestrator → app. */
export type AppRequests = {
  start: { body: { system: SystemName; world: WorldInfo; settings: SystemSettings }; reply: { startMs: number } };
  burst: { body: BurstEdge; reply: CpuSnapshot };
  /** Stops the running system; replies with the warnings it logged. */
  stop: { body: Record<string, never>; reply: { warnings: number } };
  /** Collects garbage (when it can) and reads RSS and open file descriptors. */
  sample: { body: Record<string, never>; reply: ProcessSample };
  /** Replies with this process's memory; once the orchestrator then disconnects, the app must end by itself. */
  shutdown: { body: Record<string, never>; reply: ProcessMemory };
};

export type NoRequests = Record<string, never>;

/** How long a child may take to end by itself once disconnected before it says what holds it open and exits. */
export const EXIT_GRACE_MS = 5_000;
