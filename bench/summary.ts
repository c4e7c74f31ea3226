/**
 * The combined table of `npm run bench`: the headline figures of the three
 * benches (conversations: Pulse beside the floor; chart rendering; analytics
 * storage), each with median / p99, its target and verdict, and the floor's
 * figures and the Pulse/floor ratio where there is a floor. Built from the
 * per-bench JSON files, so `node --import tsx bench/summary.ts` re-renders it
 * from the last runs without measuring anything; bench/all.ts builds it
 * straight after a run. Writes bench-results/summary.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult as AnalyticsResult } from './analytics/report.ts';
import { BENCHES, BENCH_NAMES, type BenchName } from './bench-flags.ts';
import type { ChartBenchResult } from './charts.ts';
import type { MeasureOptions, SystemResult } from './measure.ts';
import { describeSource } from './publish-results.ts';
import { buildRows, type TableRow } from './report.ts';

export const RESULTS_DIR = fileURLToPath(new URL('../bench-results', import.meta.url));
const SUMMARY_FILE = 'summary.json';
const NONE = '—';
const MEGABYTE = 1024 * 1024;

/** What each bench writes (bench/run.ts, bench/publish-results.ts): only the parts the summary reads. */
interface ConversationFile {
  generatedAt: string;
  options: MeasureOptions;
  rounds: number;
  pulse: SystemResult[];
  floor: SystemResult[];
}
interface ChartFile {
  generatedAt: string;
  chart: { width: number; height: number; pixelRatio: number };
  targets: { medianMs: number; maxRssGrowthPercent: number };
  result: ChartBenchResult;
}
interface AnalyticsFile {
  generatedAt: string;
  targets: { recordsPerSecond: number };
  result: AnalyticsResult;
}

export interface BenchFiles {
  conversations?: ConversationFile;
  charts?: ChartFile;
  analytics?: AnalyticsFile;
}

export interface SummaryRow extends Omit<TableRow, 'headline'> {
  bench: BenchName;
}

const formatMs = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');
const formatMb = (bytes: number) => `${(bytes / MEGABYTE).toFixed(1)} MB`;
const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');
const verdict = (met: boolean) => (met ? '✅' : '❌');

/** Rows of a bench with no floor to compare with. */
function ownRow(bench: BenchName, row: Pick<TableRow, 'metric' | 'median' | 'p99' | 'target'> & { met?: boolean }): SummaryRow {
  return { bench, floor: NONE, ratio: NONE, ...row };
}

function conversationRows({ pulse, floor }: ConversationFile): SummaryRow[] {
  return buildRows(pulse, floor)
    .filter((row) => row.headline)
    .map(({ headline: _headline, ...row }) => ({ bench: 'conversations', ...row }));
}

function chartRows({ chart, targets, result }: ChartFile): SummaryRow[] {
  const growth = `${result.rssGrowthPercent >= 0 ? '+' : ''}${result.rssGrowthPercent.toFixed(1)}%`;
  const fast = result.medianMs <= targets.medianMs;
  const flat = result.rssGrowthPercent <= targets.maxRssGrowthPercent;
  return [
    ownRow('charts', {
      metric: `chart render (12 labels × 2 series bar → ${chart.width}×${chart.height} @${chart.pixelRatio}× PNG)`,
      median: formatMs(result.medianMs),
      p99: formatMs(result.p99Ms),
      target: `≤ ${targets.medianMs} ms median ${verdict(fast)}`,
      met: fast,
    }),
    ownRow('charts', {
      metric: `RSS drift over ${formatCount(result.options.memoryRenders)} chart renders (after a full GC each side)`,
      median: `${formatMb(result.rssBeforeBytes)} → ${formatMb(result.rssAfterBytes)} (${growth})`,
      p99: NONE,
      target: `≤ ${targets.maxRssGrowthPercent}% ${verdict(flat)}`,
      met: flat,
    }),
  ];
}

function analyticsRows({ targets, result }: AnalyticsFile): SummaryRow[] {
  const { ingest, queries, size, shape, options } = result;
  const stored = shape.messages ?? 0;
  const fastEnough = ingest.recordsPerSecond >= targets.recordsPerSecond && !ingest.stoppedByBudget;
  const stopped = ingest.stoppedByBudget ? `, stopped by the ${options.ingestBudgetSeconds} s budget` : '';
  return [
    ownRow('analytics', {
      metric: `analytics ingest, records/s over ${formatCount(ingest.messages)} messages (pages of 200, production path${stopped})`,
      median: `${formatCount(ingest.recordsPerSecond)}/s`,
      p99: NONE,
      target: `≥ ${formatCount(targets.recordsPerSecond)}/s ${verdict(fastEnough)}`,
      met: fastEnough,
    }),
    ...queries.map((query) => {
      const met = query.targetMs === undefined ? undefined : query.summary.median <= query.targetMs;
      return ownRow('analytics', {
        metric: `analytics query: ${query.name} (${formatCount(stored)} messages)`,
        median: formatMs(query.summary.median),
        p99: formatMs(query.summary.p99),
        target: met === undefined ? NONE : `≤ ${query.targetMs} ms median ${verdict(met)}`,
        ...(met === undefined ? {} : { met }),
      });
    }),
    ownRow('analytics', {
      metric: 'analytics DB size per 1,000,000 messages (file + WAL after a checkpoint)',
      median: `${(size.bytesPerMillion / MEGABYTE).toFixed(0)} MB`,
      p99: NONE,
      target: NONE,
    }),
  ];
}

const SECTIONS: Record<BenchName, string> = {
  conversations: 'Conversations: Pulse beside the floor (a minimal Bolt app making the same Slack calls)',
  charts: 'Chart rendering',
  analytics: 'Analytics storage',
};

export function buildSummaryRows(files: BenchFiles): SummaryRow[] {
  return [
    ...(files.conversations ? conversationRows(files.conversations) : []),
    ...(files.charts ? chartRows(files.charts) : []),
    ...(files.analytics ? analyticsRows(files.analytics) : []),
  ];
}

export function renderSummaryTable(rows: readonly SummaryRow[]): string {
  const cells = (row: Pick<SummaryRow, 'metric' | 'median' | 'p99' | 'target' | 'floor' | 'ratio'>) =>
    [row.metric, row.median, row.p99, row.target, row.floor, row.ratio];
  const lines = [
    `| ${cells({ metric: 'metric', median: 'median', p99: 'p99', target: 'target', floor: 'floor (median / p99)', ratio: 'Pulse/floor' }).join(' | ')} |`,
    '|---|---|---|---|---|---|',
  ];
  let section: BenchName | undefined;
  for (const row of rows) {
    if (row.bench !== section) {
      section = row.bench;
      lines.push(`| **${SECTIONS[section]}** | | | | | |`);
    }
    lines.push(`| ${cells(row).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** How each figure was taken, in a line per bench, and how many targets were met. */
export function describeSummary(files: BenchFiles, rows: readonly SummaryRow[]): string[] {
  const judged = rows.filter((row) => row.met !== undefined);
  const missed = judged.filter((row) => row.met === false).map((row) => row.metric.split(/ \(|:/)[0]);
  const notes = [`Targets met: ${judged.length - missed.length} of ${judged.length}${missed.length > 0 ? ` (missed: ${missed.join('; ')})` : ''}.`];
  const { conversations, charts, analytics } = files;
  if (conversations) {
    const { options, rounds } = conversations;
    notes.push(
      `Conversations (${conversations.generatedAt}): ${rounds} round(s) each of the floor and Pulse, alternating; the app in its own process, ` +
        `the Slack emulator and a fake LLM in another, over loopback. LLM delay ${options.latencyDelayMs} ms for latency ` +
        `(${options.samples} sequential questions per round, pooled), ${options.throughputDelayMs} ms for throughput ` +
        `(${options.questions} questions over ${options.threads} threads at ${options.concurrency} at once); ANSWER_DELIVERY=post. ` +
        'Overhead per answer is event → ✅ minus the LLM delay. Slack calls per answer leave out the one-time welcome post to a person’s first DM.',
    );
  }
  if (charts) {
    const { renders, warmup } = charts.result.options;
    notes.push(`Charts (${charts.generatedAt}): ${formatCount(renders)} timed renders after ${formatCount(warmup)} warm-up, one at a time, one renderer reused; no upload.`);
  }
  if (analytics) {
    const { options, sync } = analytics.result;
    notes.push(
      `Analytics (${analytics.generatedAt}): a seeded year of 40 channels and 200 people through extractMessageMetadata → toStoredMessage → writeMessages ` +
        `into a file database; ${options.runs} timed runs of each query after ${options.warmup} warm-up` +
        (sync ? `; a first sync through syncChannel stored ${formatCount(sync.messagesPerSecond)} messages/s (no target)` : '') +
        '.',
    );
  }
  notes.push(`Every figure in detail: ${BENCH_NAMES.filter((bench) => files[bench]).map((bench) => `bench-results/${BENCHES[bench].results}`).join(', ')}.`);
  return notes;
}

/** The per-bench JSON files in bench-results/ (those that exist; `since` leaves out files older than a run's start). */
export function readBenchFiles(benches: readonly BenchName[] = BENCH_NAMES, since?: Date): BenchFiles {
  const files: BenchFiles = {};
  for (const bench of benches) {
    const path = join(RESULTS_DIR, BENCHES[bench].results);
    if (!existsSync(path)) continue;
    const file = JSON.parse(readFileSync(path, 'utf8')) as { generatedAt: string };
    if (since && new Date(file.generatedAt) < since) continue;
    Object.assign(files, { [bench]: file });
  }
  return files;
}


/** Prints the combined table and its notes, and writes bench-results/summary.json. */
export function publishSummary(files: BenchFiles, run?: Record<string, unknown>): SummaryRow[] {
  const rows = buildSummaryRows(files);
  const markdown = renderSummaryTable(rows);
  const notes = describeSummary(files, rows);
  process.stdout.write(`\n${markdown}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const machine = { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model };
  const generatedAt = Object.fromEntries(BENCH_NAMES.flatMap((bench) => (files[bench] ? [[bench, files[bench].generatedAt]] : [])));
  writeFileSync(
    join(RESULTS_DIR, SUMMARY_FILE),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), source: describeSource(), machine, ...run, benches: generatedAt, rows, markdown, notes }, null, 2)}\n`,
  );
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = readBenchFiles();
  if (Object.keys(files).length === 0) throw new Error('no bench results in bench-results/: run npm run bench first');
  publishSummary(files);
}
