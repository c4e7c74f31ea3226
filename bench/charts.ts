/**
 * Chart rendering benchmark: `node --import tsx bench/charts.ts`.
 * Renders one 12-label, 2-series bar chart the way the render_chart tool
 * does (arguments → chart.js spec → draw → PNG; no upload), in two phases:
 * - speed: --renders renders one after another after a warm-up; median and
 *   p99 against the ≤ 30 ms target;
 * - memory: a full GC, RSS, --memory-renders more renders, a full GC, RSS;
 *   memory must stay flat (one renderer reused, every chart destroyed).
 * The phases are separate because a forced GC shrinks V8's heap limits and
 * makes it collect on nearly every render afterwards, which the bot never
 * does. Prints one Markdown table and writes bench-results/charts.json. Run it
 * in its own process: RSS is the whole process's.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildChartConfiguration, type ChartArguments } from '../src/charts/chart-spec.ts';
import { CHART_HEIGHT, CHART_PIXEL_RATIO, CHART_WIDTH, renderChartPng } from '../src/charts/render-chart.ts';
import { chartFlags } from './bench-flags.ts';
import { publishBenchResults } from './publish-results.ts';

/** The target for the median render of this chart on the project's machine. */
const TARGET_MEDIAN_MS = 30;
/** RSS growth still counted as flat: allocator noise, not a leak (leaking one 13 MB surface per render would be +10,000%). */
const MAX_FLAT_RSS_GROWTH_PERCENT = 10;
const MEGABYTE = 1024 * 1024;

/** The benchmark chart: what a "messages per week by channel" question draws. */
export const BENCH_CHART: ChartArguments = {
  type: 'bar',
  title: 'Messages per week by channel, last 12 weeks',
  x_label: 'Week starting',
  y_label: 'Messages',
  labels: ['Mar 3', 'Mar 10', 'Mar 17', 'Mar 24', 'Mar 31', 'Apr 7', 'Apr 14', 'Apr 21', 'Apr 28', 'May 5', 'May 12', 'May 19'],
  series: [
    { name: '#engineering', values: [1243, 1318, 1190, 1422, 1587, 1502, 1395, 1648, 1710, 1536, 1689, 1824] },
    { name: '#customer-support', values: [862, 910, 1034, 978, 1120, 1205, 1188, 1093, 1267, 1342, 1298, 1415] },
  ],
};

export interface ChartBenchOptions {
  /** Timed renders. */
  renders: number;
  /** Untimed renders first: the first one loads the font and chart.js, and V8 has not optimised anything yet. */
  warmup: number;
  /** Renders between the two RSS readings. */
  memoryRenders: number;
}

export interface ChartBenchResult {
  options: ChartBenchOptions;
  medianMs: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  pngBytes: number;
  /** RSS and V8 heap in use after a full GC, before and after the memory phase. */
  rssBeforeBytes: number;
  rssAfterBytes: number;
  rssGrowthPercent: number;
  heapUsedBeforeBytes: number;
  heapUsedAfterBytes: number;
  /** Highest RSS sampled during the memory phase (garbage included). */
  rssPeakBytes: number;
  /** 1-minute load average when the run started: high means the times are inflated by other work. */
  loadBefore: number;
}

/** How often the memory phase samples RSS for its peak. */
const RSS_SAMPLE_EVERY = 50;

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

async function renderOnce(): Promise<{ ms: number; bytes: number }> {
  const startedAt = performance.now();
  const png = await renderChartPng(buildChartConfiguration(BENCH_CHART));
  return { ms: performance.now() - startedAt, bytes: png.length };
}

export async function measureChartRendering(options: ChartBenchOptions): Promise<ChartBenchResult> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  for (let index = 0; index < options.warmup; index += 1) await renderOnce();

  const samples: number[] = [];
  let pngBytes = 0;
  for (let index = 0; index < options.renders; index += 1) {
    const { ms, bytes } = await renderOnce();
    samples.push(ms);
    pngBytes = bytes;
  }

  collectGarbage();
  const before = process.memoryUsage();
  let rssPeakBytes = before.rss;
  for (let index = 1; index <= options.memoryRenders; index += 1) {
    await renderOnce();
    if (index % RSS_SAMPLE_EVERY === 0) rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage.rss());
  }
  collectGarbage();
  const after = process.memoryUsage();

  const sorted = [...samples].sort((a, b) => a - b);
  return {
    options,
    medianMs: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    pngBytes,
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    rssGrowthPercent: ((after.rss - before.rss) / before.rss) * 100,
    heapUsedBeforeBytes: before.heapUsed,
    heapUsedAfterBytes: after.heapUsed,
    rssPeakBytes,
    loadBefore,
  };
}

const verdict = (met: boolean) => (met ? '✅' : '❌');
const formatMb = (bytes: number) => `${(bytes / MEGABYTE).toFixed(1)} MB`;
const formatCount = (count: number) => count.toLocaleString('en-US');

export function renderChartBenchTable(result: ChartBenchResult): string {
  const chart = `12 labels × 2 series bar, ${CHART_WIDTH}×${CHART_HEIGHT} @${CHART_PIXEL_RATIO}× PNG`;
  const memoryRenders = formatCount(result.options.memoryRenders);
  const growth = `${result.rssGrowthPercent >= 0 ? '+' : ''}${result.rssGrowthPercent.toFixed(1)}%`;
  const rows = [
    ['metric', 'value', 'target'],
    ['---', '---:', '---'],
    [`chart render, median (${chart})`, `${result.medianMs.toFixed(1)} ms`, `≤ ${TARGET_MEDIAN_MS} ms ${verdict(result.medianMs <= TARGET_MEDIAN_MS)}`],
    ['chart render, p99', `${result.p99Ms.toFixed(1)} ms`, '—'],
    [`RSS before ${memoryRenders} renders`, formatMb(result.rssBeforeBytes), '—'],
    [`RSS after ${memoryRenders} renders`, formatMb(result.rssAfterBytes), '—'],
    ['RSS growth', growth, `≤ ${MAX_FLAT_RSS_GROWTH_PERCENT}% (flat) ${verdict(result.rssGrowthPercent <= MAX_FLAT_RSS_GROWTH_PERCENT)}`],
  ];
  return rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
}

export function describeChartBench(result: ChartBenchResult): string[] {
  const { renders, warmup, memoryRenders } = result.options;
  return [
    `Each render is the render_chart tool's path but the upload: arguments → chart.js spec → draw → PNG (${(result.pngBytes / 1024).toFixed(0)} KB), ` +
      `one at a time, one renderer reused. ${formatCount(renders)} timed renders after ${formatCount(warmup)} warm-up; ` +
      `range ${result.minMs.toFixed(1)}–${result.maxMs.toFixed(1)} ms.`,
    `Memory: RSS after a full GC before and after ${formatCount(memoryRenders)} more renders; V8 heap in use ` +
      `${formatMb(result.heapUsedBeforeBytes)} → ${formatMb(result.heapUsedAfterBytes)}; RSS peak between GCs ${formatMb(result.rssPeakBytes)}.`,
    `1-minute load average at start ${result.loadBefore.toFixed(2)} on ${cpus().length} CPUs (load from other work inflates the times).`,
  ];
}

function positiveInteger(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: chartFlags });
  const options: ChartBenchOptions = {
    renders: positiveInteger('renders', values.renders),
    warmup: positiveInteger('warmup', values.warmup),
    memoryRenders: positiveInteger('memory-renders', values['memory-renders']),
  };
  const total = options.warmup + options.renders + options.memoryRenders;
  process.stderr.write(`bench:charts: ${formatCount(total)} renders of one bar chart (about ${Math.ceil((total * 30) / 1000)} s)…\n`);
  const result = await measureChartRendering(options);
  const table = renderChartBenchTable(result);
  const notes = describeChartBench(result);
  publishBenchResults('charts', {
    table,
    notes,
    details: {
      chart: { width: CHART_WIDTH, height: CHART_HEIGHT, pixelRatio: CHART_PIXEL_RATIO, arguments: BENCH_CHART },
      targets: { medianMs: TARGET_MEDIAN_MS, maxRssGrowthPercent: MAX_FLAT_RSS_GROWTH_PERCENT },
      result,
    },
  });
}

// Runs as a script; bench/run.ts can instead import measureChartRendering, but RSS is only meaningful in a process of its own.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
