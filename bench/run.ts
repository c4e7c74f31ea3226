/**
 * `npm run bench`: measures the floor app, then Pulse, each in its own
 * child process (bench/measure.ts) against its own emulator and fake LLM on
 * loopback, alternating for --rounds rounds (default 2) so a burst of noise
 * on the machine lands on both; prints one Markdown table and writes
 * bench-results/latest.json. Other flags go to every child, e.g.
 * `npm run bench -- --rounds 1 --samples 100 --throughput-delay-ms 1000`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { SystemResult } from './measure.ts';
import { buildRows, describeMethods, describeRounds, renderMarkdownTable } from './report.ts';
import type { SystemName } from './start-system.ts';

/** One child may take this long before it is killed: the whole bench stays bounded. */
const CHILD_TIMEOUT_MS = 150_000;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const MEASURE_SCRIPT = fileURLToPath(new URL('./measure.ts', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');
const DEFAULT_ROUNDS = 2;
const MAX_ROUNDS = 5;

interface ChildRun {
  result: SystemResult;
  wallMs: number;
  /** 1-minute load average when the child started: high means the figures are noisy. */
  loadBefore: number;
}

function runChild(system: SystemName, round: number, outDir: string, extraArgs: readonly string[]): Promise<ChildRun> {
  const out = join(outDir, `${system}-${round}.json`);
  const startedAt = performance.now();
  const loadBefore = loadavg()[0] ?? Number.NaN;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MEASURE_SCRIPT, '--system', system, '--out', out, ...extraArgs], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      process.stderr.write(`bench: the ${system} run passed ${CHILD_TIMEOUT_MS / 1000} s; stopping it (pid ${child.pid}).\n`);
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`the ${system} run exited with ${signal ?? `code ${code}`}`));
        return;
      }
      resolve({ result: JSON.parse(readFileSync(out, 'utf8')) as SystemResult, wallMs: performance.now() - startedAt, loadBefore });
    });
  });
}

/** The commit measured, and whether the work tree had changes (figures from a dirty tree are not a release's). */
function describeSource(): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return undefined;
  }
}

/** `--rounds N` is the orchestrator's own flag; everything else is passed to the children. */
function splitArgs(argv: readonly string[]): { rounds: number; childArgs: string[] } {
  const childArgs = [...argv];
  const at = childArgs.indexOf('--rounds');
  if (at < 0) return { rounds: DEFAULT_ROUNDS, childArgs };
  const rounds = Number(childArgs[at + 1]);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw new Error(`--rounds must be 1..${MAX_ROUNDS}`);
  childArgs.splice(at, 2);
  return { rounds, childArgs };
}

async function main(): Promise<void> {
  const { rounds, childArgs: extraArgs } = splitArgs(process.argv.slice(2));
  const outDir = mkdtempSync(join(tmpdir(), 'pulse-bench-results-'));
  try {
    process.stderr.write(`bench: ${rounds} round(s) of the floor app then Pulse (about ${rounds * 40} s)…\n`);
    const floorRuns: ChildRun[] = [];
    const pulseRuns: ChildRun[] = [];
    // Sequential, never side by side: the two systems must not compete for the CPU.
    for (let round = 1; round <= rounds; round += 1) {
      floorRuns.push(await runChild('floor', round, outDir, extraArgs));
      pulseRuns.push(await runChild('pulse', round, outDir, extraArgs));
    }
    const pulse = pulseRuns.map((run) => run.result);
    const floor = floorRuns.map((run) => run.result);
    const rows = buildRows(pulse, floor);
    const table = renderMarkdownTable(rows);
    const { options } = pulse[0] as SystemResult;
    const describeRuns = (runs: readonly ChildRun[]) =>
      runs.map((run) => `${(run.wallMs / 1000).toFixed(1)} s at load ${run.loadBefore.toFixed(2)}`).join(', ');
    const notes = [
      `LLM: fake, fixed delay ${options.latencyDelayMs} ms for latency (${options.samples} sequential questions after warm-up, per round), ` +
        `${options.throughputDelayMs} ms for throughput; ANSWER_DELIVERY=post, MAX_CONCURRENT_ANSWERS=${options.concurrency}, LOG_LEVEL=warn.`,
      'Each system runs in its own process with its own emulator and fake LLM (one event loop for all three, the same for both systems).',
      'event → ack is when the emulator reads the ack; sharing one event loop, that includes what the app runs synchronously right after acking ' +
        '(for Pulse: recording the question in SQLite and starting the answer), so it is an upper bound on the wire ack.',
      `Rounds: floor ${describeRuns(floorRuns)}; Pulse ${describeRuns(pulseRuns)} (${cpus().length} CPUs).`,
      describeRounds('pulse', pulse),
      describeRounds('floor', floor),
      `Pulse warnings/errors logged: ${pulse.reduce((sum, result) => sum + result.warnings, 0)}.`,
      ...describeMethods(pulse[0] as SystemResult),
      ...describeMethods(floor[0] as SystemResult),
    ];
    process.stdout.write(`\n${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n\n`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    const resultsFile = join(RESULTS_DIR, 'latest.json');
    writeFileSync(
      resultsFile,
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
    process.stdout.write(`Reproduce: npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}  (figures in bench-results/latest.json)\n`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
