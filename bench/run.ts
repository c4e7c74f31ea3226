/**
 * `npm run bench:conversations` (also the first part of `npm run bench`,
 * bench/all.ts): measures the floor app, then Pulse, alternating for
 * --rounds rounds (default 2) so a burst of noise on the machine lands on
 * both. Each round of each system runs two fresh processes (bench/measure.ts):
 * the outside world (emulator + fake LLM) and the app, on loopback. Prints
 * one Markdown table and writes bench-results/latest.json. Flags, e.g.
 * `npm run bench:conversations -- --rounds 1 --samples 100 --throughput-delay-ms 1000`;
 * `--cpu-prof <dir>` also profiles each app process during the burst and
 * summarises the profiles under the table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeSource } from './publish-results.ts';
import { measureSystem, type MeasureOptions, type SystemResult } from './measure.ts';
import { describeProfile, summarizeProfile } from './profile-summary.ts';
import { conversationFlags } from './bench-flags.ts';
import { buildRows, describeBursts, describeMethods, describeRounds, renderMarkdownTable } from './report.ts';
import type { SystemName } from './start-system.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');
const MAX_ROUNDS = 5;

interface RoundRun {
  result: SystemResult;
  wallMs: number;
  /** 1-minute load average when the round started: high means the figures are noisy. */
  loadBefore: number;
}

async function runRound(system: SystemName, round: number, options: MeasureOptions, profileDir?: string): Promise<RoundRun> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const startedAt = performance.now();
  const profileFile = profileDir ? join(profileDir, `${system}-round${round}.cpuprofile`) : undefined;
  const result = await measureSystem(system, options, profileFile);
  return { result, wallMs: performance.now() - startedAt, loadBefore };
}


function positive(name: string, text: string | undefined, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be an integer 1..${max}`);
  return value;
}

function readFlags(): { rounds: number; options: MeasureOptions; profileDir?: string } {
  const { values } = parseArgs({ options: conversationFlags });
  const profileDir = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  return {
    rounds: positive('rounds', values.rounds, MAX_ROUNDS),
    options: {
      samples: positive('samples', values.samples),
      latencyDelayMs: positive('latency-delay-ms', values['latency-delay-ms']),
      throughputDelayMs: positive('throughput-delay-ms', values['throughput-delay-ms']),
      questions: positive('questions', values.questions),
      threads: positive('threads', values.threads),
      concurrency: positive('concurrency', values.concurrency),
    },
    ...(profileDir ? { profileDir } : {}),
  };
}

/** Note lines for each profiled round (the first of each system is enough to read). */
function describeProfiles(runs: readonly RoundRun[]): string[] {
  const profiled = runs.find((run) => run.result.profileFile !== undefined)?.result;
  if (!profiled?.profileFile) return [];
  const file = profiled.profileFile;
  const label = `${profiled.system} (${file.startsWith(REPO_ROOT) ? file.slice(REPO_ROOT.length) : file})`;
  return describeProfile(label, summarizeProfile(profiled.profileFile), profiled.throughput.completed);
}

async function main(): Promise<void> {
  const { rounds, options, profileDir } = readFlags();
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  process.stderr.write(`bench: ${rounds} round(s) of the floor app then Pulse (about ${rounds * 40} s)…\n`);
  const floorRuns: RoundRun[] = [];
  const pulseRuns: RoundRun[] = [];
  // Sequential, never side by side: the two systems must not compete for the CPU.
  for (let round = 1; round <= rounds; round += 1) {
    floorRuns.push(await runRound('floor', round, options, profileDir));
    pulseRuns.push(await runRound('pulse', round, options, profileDir));
  }
  const pulse = pulseRuns.map((run) => run.result);
  const floor = floorRuns.map((run) => run.result);
  const rows = buildRows(pulse, floor);
  const table = renderMarkdownTable(rows);
  const describeRuns = (runs: readonly RoundRun[]) =>
    runs.map((run) => `${(run.wallMs / 1000).toFixed(1)} s at load ${run.loadBefore.toFixed(2)}`).join(', ');
  const startTimes = (runs: readonly SystemResult[]) =>
    runs.flatMap((run) => run.startMs.map((ms) => ms.toFixed(0))).join(' · ');
  const notes = [
    `LLM: fake, fixed delay ${options.latencyDelayMs} ms for latency (${options.samples} sequential questions after warm-up, per round), ` +
      `${options.throughputDelayMs} ms for throughput; ANSWER_DELIVERY=post, MAX_CONCURRENT_ANSWERS=${options.concurrency}, LOG_LEVEL=warn.`,
    'Two processes per round, as in production: the outside world (Slack emulator + fake LLM, which also asks the questions and takes every ' +
      'timestamp) and the app (Pulse or the floor alone), talking over loopback (Web API over HTTP, Socket Mode over WebSocket, LLM over HTTP).',
    'event → ack is when the emulator reads the ack frame; the app’s work after acking runs in its own process and no longer delays that reading.',
    'CPU per answer and peak RSS are the app process’s own (process.cpuUsage() at the burst’s edges, process.resourceUsage().maxRSS), ' +
      'reported over IPC; the outside world’s are shown separately.',
    `Rounds: floor ${describeRuns(floorRuns)}; Pulse ${describeRuns(pulseRuns)} (${cpus().length} CPUs).`,
    `Start-up to connected (ms, each start): floor ${startTimes(floor)}; Pulse ${startTimes(pulse)}.`,
    describeRounds('pulse', pulse),
    describeRounds('floor', floor),
    ...describeBursts('pulse', pulse),
    ...describeBursts('floor', floor),
    `Pulse warnings/errors logged: ${pulse.reduce((sum, result) => sum + result.warnings, 0)}.`,
    ...describeMethods(pulse[0] as SystemResult),
    ...describeMethods(floor[0] as SystemResult),
    ...(profileDir ? ['Profiled run: V8’s sampling profiler ran in each app process during the burst, so this run’s CPU and throughput figures include its overhead.'] : []),
    ...describeProfiles(pulseRuns),
    ...describeProfiles(floorRuns),
  ];
  process.stdout.write(`\n${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, 'latest.json'),
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        source: describeSource(),
        machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model },
        options,
        rounds,
        table: rows,
        markdown: table,
        notes,
        floor,
        pulse,
      },
      null,
      2,
    )}\n`,
  );
  const flags = process.argv.slice(2);
  process.stdout.write(`Reproduce: npm run bench:conversations${flags.length ? ` -- ${flags.join(' ')}` : ''}  (figures in bench-results/latest.json)\n`);
}

await main();
