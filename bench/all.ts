/**
 * `npm run bench`: the three benches in order, each in a process of its own
 * (peak RSS and RSS drift are whole-process figures), then one combined
 * Markdown table of their headline figures (bench/summary.ts), written to
 * bench-results/summary.json beside each bench's own JSON. About 5 minutes on
 * two CPUs, most of it the analytics ingest of 1,000,000 messages.
 *
 * Each bench also runs alone, with the same flags:
 *   npm run bench:conversations   bench/run.ts       → bench-results/latest.json
 *   npm run bench:charts          bench/charts.ts    → bench-results/charts.json
 *   npm run bench:analytics       bench/analytics.ts → bench-results/analytics.json
 *
 * Flags after `npm run bench --` go to the bench that owns them; one that two
 * benches share (--warmup) names its bench, and any flag may:
 *   --only conversations,charts     run only these benches (the table shows only their figures)
 * conversations (defaults in brackets):
 *   --rounds [2] --samples [60] --latency-delay-ms [100] --throughput-delay-ms [500]
 *   --questions [500] --threads [100] --concurrency [32] --cpu-prof <dir>
 * charts:
 *   --renders [500] --charts.warmup [50] --memory-renders [1000]
 * analytics:
 *   --messages [1000000] --ingest-budget-seconds [90] --sync-messages [100000]
 *   --sync-budget-seconds [20] --runs [30] --analytics.warmup [3] --seed [20250101]
 *   --profile-every [10] --keep-db
 * e.g. `npm run bench -- --rounds 1 --messages 100000 --charts.warmup 10`.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BENCHES, routeFlags, type BenchName } from './bench-flags.ts';
import { publishSummary, readBenchFiles } from './summary.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs one bench as `node --import tsx <script> <args>`, its output straight to ours; resolves with its exit code. */
function runBench(bench: BenchName, args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', BENCHES[bench].script, ...args], { cwd: REPO_ROOT, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once('error', () => resolve(1));
  });
}

async function main(): Promise<void> {
  const { benches, args } = routeFlags(process.argv.slice(2));
  const startedAt = new Date();
  const seconds: Partial<Record<BenchName, number>> = {};
  const failed: BenchName[] = [];
  for (const bench of benches) {
    process.stderr.write(`\nbench: ${bench} (${BENCHES[bench].script}${args[bench].length > 0 ? ` ${args[bench].join(' ')}` : ''})…\n`);
    const benchStartedAt = performance.now();
    const code = await runBench(bench, args[bench]);
    seconds[bench] = Math.round((performance.now() - benchStartedAt) / 1000);
    if (code !== 0) {
      failed.push(bench);
      process.stderr.write(`bench: ${bench} failed (exit code ${code}); its figures are left out of the table.\n`);
    }
  }
  // Only files this run wrote: a failed bench's older results must not pass for today's.
  const files = readBenchFiles(benches, startedAt);
  process.stdout.write('\n## npm run bench: every bench in one table\n');
  publishSummary(files, { args: Object.fromEntries(benches.map((bench) => [bench, args[bench]])), seconds });
  const flags = process.argv.slice(2);
  process.stdout.write(`Reproduce: npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}  (figures in bench-results/summary.json)\n`);
  if (failed.length > 0) {
    process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
