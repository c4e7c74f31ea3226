/**
 * The app, as one bench child process: Pulse or the floor, and nothing of
 * the outside world, which it reaches over loopback only (Web API over
 * HTTP, Socket Mode over WebSocket, the LLM over HTTP), as in production.
 * The orchestrator (bench/measure.ts) starts and stops the system here over
 * IPC, asks for this process's CPU time at the edges of the throughput
 * burst and for its memory at the end. With `--cpu-prof-file <file>` the
 * burst is profiled (V8's sampling profiler, in this process) into <file>.
 * The soak test (test/e2e/soak.test.ts) runs Pulse here too, and reads its
 * RSS and open file descriptors with `sample`.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { findSourceMap, type SourceMap } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { endWhenOrphaned, Peer, parentEndpoint } from './ipc.ts';
import {
  EXIT_GRACE_MS,
  type AppRequests,
  type BurstEdge,
  type CpuSnapshot,
  type NoRequests,
  type ProcessMemory,
  type ProcessSample,
} from './protocol.ts';
import { startSystem, type RunningSystem } from './start-system.ts';

/** V8's sampling interval while profiling the burst (its default is 1000 µs). */
const PROFILE_INTERVAL_US = 250;

const { values: flags } = parseArgs({ options: { 'cpu-prof-file': { type: 'string' } } });
const profileFile = flags['cpu-prof-file'];
const baselineRssBytes = process.memoryUsage().rss;
let running: RunningSystem | undefined;
let profiler: Session | undefined;
let shuttingDown = false;

function snapshot(): CpuSnapshot {
  const { user, system } = process.cpuUsage();
  return { userUs: user, systemUs: system };
}

async function startProfiler(): Promise<void> {
  if (profileFile === undefined || profiler) return;
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
  await profiler.post('Profiler.start');
}

/**
 * tsx serves the repository's TypeScript minified onto one line; its source maps turn each
 * profiled function's position back into a line of the .ts file, so the summary can name it.
 */
function mapToSource(profile: Profiler.Profile): void {
  const maps = new Map<string, SourceMap | undefined>();
  for (const { callFrame } of profile.nodes) {
    const { url } = callFrame;
    if (!url.startsWith('file://') || url.includes('/node_modules/') || callFrame.lineNumber < 0) continue;
    if (!maps.has(url)) maps.set(url, findSourceMap(url));
    const entry = maps.get(url)?.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    if (entry && 'originalLine' in entry) {
      callFrame.lineNumber = entry.originalLine;
      callFrame.columnNumber = entry.originalColumn;
    }
  }
}

async function stopProfiler(): Promise<void> {
  const session = profiler;
  profiler = undefined;
  if (!session || profileFile === undefined) return;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mapToSource(profile);
  writeFileSync(profileFile, JSON.stringify(profile));
}

async function burst(edge: BurstEdge): Promise<CpuSnapshot> {
  if (edge === 'start') {
    // Profiler first, so its start-up is not counted as the burst's CPU time.
    await startProfiler();
    return snapshot();
  }
  // CPU time first, so writing the profile is not counted either.
  const cpu = snapshot();
  await stopProfiler();
  return cpu;
}

/** Where the open file descriptors are listed: Linux, then macOS. Listing opens one more, the same in every reading. */
const FD_DIRECTORIES = ['/proc/self/fd', '/dev/fd'];

function countOpenFds(): number {
  for (const directory of FD_DIRECTORIES) {
    try {
      return readdirSync(directory).length;
    } catch {
      // Not on this platform; try the next.
    }
  }
  return Number.NaN;
}

/**
 * RSS after a full GC when the process runs with --expose-gc (the soak test starts it so): garbage not yet
 * collected is noise, not growth. Twice, with a turn of the event loop between, so objects freed by the
 * first collection's finalizers (sockets, native buffers) are gone by the second.
 */
async function sample(): Promise<ProcessSample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed, openFds: countOpenFds(), gcForced: gc !== undefined };
}

async function stop(): Promise<{ warnings: number }> {
  const system = running;
  running = undefined;
  if (!system) return { warnings: 0 };
  await system.stop();
  return { warnings: system.warnings };
}

async function close(): Promise<void> {
  await stopProfiler().catch(() => undefined);
  await stop();
}

const orchestrator = new Peer<NoRequests, AppRequests>('orchestrator', parentEndpoint(), {
  start: async ({ system, world, settings }) => {
    if (running) throw new Error('a system is already running in this app process');
    const startedAt = performance.now();
    running = await startSystem(system, world, settings);
    return { startMs: performance.now() - startedAt };
  },
  burst,
  stop: () => stop(),
  sample: () => sample(),
  shutdown: async (): Promise<ProcessMemory> => {
    shuttingDown = true;
    await close();
    return { peakRssBytes: process.resourceUsage().maxRSS * 1024, baselineRssBytes };
  },
});

endWhenOrphaned('app', orchestrator, { shuttingDown: () => shuttingDown, close }, EXIT_GRACE_MS);
