/**
 * Turns the raw figures of every round into the bench table: Pulse's median
 * and p99 (samples pooled over rounds), the target next to each, the
 * floor's figures and the ratio measured in the same run (never an absolute
 * assertion).
 */
import type { AnswerDelivery } from '../src/config.ts';
import type { SystemResult } from './measure.ts';
import type { LatencySamples } from './scenarios.ts';
import { summarize, type Summary } from './stats.ts';

export interface TableRow {
  metric: string;
  median: string;
  p99: string;
  target: string;
  floor: string;
  ratio: string;
  /** Whether the target was met; absent when the figure has none. */
  met?: boolean;
  /** One of the figures `npm run bench`'s combined table shows (bench/summary.ts); the rest are detail. */
  headline?: boolean;
}

type Rounds = readonly SystemResult[];
type LatencyField = Exclude<keyof LatencySamples, 'llmDelayMs' | 'failed'>;

const NONE = '—';
const MEGABYTE = 1024 * 1024;
const MAX_CALLS_PER_SIMPLE_ANSWER = 6;
const MIN_THROUGHPUT_FRACTION = 0.9;

const formatMs = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const formatMb = (bytes: number) => `${(bytes / MEGABYTE).toFixed(0)} MB`;
const formatRatio = (pulse: number, floor: number) =>
  Number.isFinite(pulse) && Number.isFinite(floor) && floor > 0 ? `${(pulse / floor).toFixed(2)}×` : NONE;
const verdict = (met: boolean) => (met ? '✅' : '❌');
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const pooled = (rounds: Rounds, field: LatencyField) => rounds.flatMap((round) => round.latency[field]);
const first = (rounds: Rounds): SystemResult => {
  const result = rounds[0];
  if (!result) throw new Error('no rounds were measured');
  return result;
};

function timingRow(
  metric: string,
  field: LatencyField,
  pulse: Rounds,
  floor: Rounds,
  target?: { text: string; met: (s: Summary) => boolean },
): TableRow {
  const p = summarize(pooled(pulse, field));
  const f = summarize(pooled(floor, field));
  const met = target?.met(p);
  return {
    metric,
    median: formatMs(p.median),
    p99: formatMs(p.p99),
    target: target ? `${target.text} ${verdict(met === true)}` : NONE,
    floor: `${formatMs(f.median)} / ${formatMs(f.p99)}`,
    ratio: formatRatio(p.median, f.median),
    ...(met === undefined ? {} : { met, headline: true }),
  };
}

/**
 * Calls of one answer, without posts outside the question's thread (Pulse's one-time welcome to a
 * person's first DM, which no later answer repeats). Counts are deterministic; a round that disagrees
 * is shown rather than hidden.
 */
function callCount(rounds: Rounds, delivery: AnswerDelivery, kind: 'warm' | 'cold'): { count: number; text: string } {
  const sidePosts = (round: SystemResult) => round.calls[delivery]?.sidePosts?.[kind] ?? 0;
  const answerCalls = (round: SystemResult) => (round.calls[delivery]?.[kind].length ?? Number.NaN) - sidePosts(round);
  const counts = [...new Set(rounds.map(answerCalls))];
  const welcome = Math.max(...rounds.map(sidePosts));
  return { count: Math.max(...counts), text: `${counts.join(' · ')}${welcome > 0 ? ` (+${welcome} one-time welcome post)` : ''}` };
}

function callRows(pulse: Rounds, floor: Rounds): TableRow[] {
  return (Object.keys(first(pulse).calls) as AnswerDelivery[]).map((delivery) => {
    const warm = callCount(pulse, delivery, 'warm');
    const cold = callCount(pulse, delivery, 'cold');
    const metric = `Slack API calls per answer, ${delivery}: a follow-up (user cached) / a person’s first question`;
    if (delivery !== 'post') return { metric, median: `${warm.text} / ${cold.text}`, p99: NONE, target: NONE, floor: NONE, ratio: NONE };
    // The floor answers one way only, with one post: it compares with Pulse's simplest delivery.
    const floorWarm = callCount(floor, 'post', 'warm');
    const floorCold = callCount(floor, 'post', 'cold');
    const met = Math.max(warm.count, cold.count) <= MAX_CALLS_PER_SIMPLE_ANSWER;
    return {
      metric,
      median: `${warm.text} / ${cold.text}`,
      p99: NONE,
      target: `≤ ${MAX_CALLS_PER_SIMPLE_ANSWER} ${verdict(met)}`,
      floor: `${floorWarm.text} / ${floorCold.text}`,
      ratio: `${formatRatio(warm.count, floorWarm.count)} / ${formatRatio(cold.count, floorCold.count)}`,
      met,
      headline: true,
    };
  });
}

function throughputRows(pulse: Rounds, floor: Rounds): TableRow[] {
  const plan = first(pulse).throughput;
  const fraction = (rounds: Rounds) => mean(rounds.map((round) => round.throughput.fraction));
  const describe = (rounds: Rounds) => {
    const each = rounds.map((round) => `${round.throughput.fraction.toFixed(2)}${round.throughput.timedOut ? ' TIMED OUT' : ''}`);
    return `${fraction(rounds).toFixed(2)} (${each.join(' · ')})`;
  };
  const timedOut = pulse.some((round) => round.throughput.timedOut);
  const met = fraction(pulse) >= MIN_THROUGHPUT_FRACTION && !timedOut;
  const sanity = (rounds: Rounds) =>
    [
      Math.max(...rounds.map((round) => round.throughput.peakInFlight)),
      rounds.reduce((sum, round) => sum + round.throughput.failed, 0),
      rounds.reduce((sum, round) => sum + round.throughput.redeliveries, 0),
    ].join(' · ');
  const perAnswer = (rounds: Rounds, pick: (round: SystemResult) => number) => mean(rounds.map(pick));
  const cpu = (round: SystemResult) => round.throughput.cpuMsPerAnswer;
  const worldCpu = (round: SystemResult) => round.throughput.worldCpuMsPerAnswer;
  const calls = (round: SystemResult) => round.throughput.callsPerAnswer;
  return [
    {
      metric:
        `throughput, ${plan.questions} questions / ${plan.threads} threads @ ${plan.concurrency}, LLM ${plan.llmDelayMs} ms: ` +
        `achieved/ideal (ideal ${(plan.idealMs / 1000).toFixed(1)} s; mean of rounds)`,
      median: describe(pulse),
      p99: NONE,
      target: `≥ ${MIN_THROUGHPUT_FRACTION} ${verdict(met)}`,
      floor: describe(floor),
      ratio: formatRatio(fraction(pulse), fraction(floor)),
      met,
      headline: true,
    },
    {
      metric: '  ↳ answers running at once (peak) · failed · redelivered',
      median: sanity(pulse),
      p99: NONE,
      target: `${plan.concurrency} · 0 · 0`,
      floor: sanity(floor),
      ratio: NONE,
    },
    {
      metric: '  ↳ CPU per answer during the burst (app process)',
      median: formatMs(perAnswer(pulse, cpu)),
      p99: NONE,
      target: NONE,
      floor: formatMs(perAnswer(floor, cpu)),
      ratio: formatRatio(perAnswer(pulse, cpu), perAnswer(floor, cpu)),
      headline: true,
    },
    {
      metric: '  ↳ CPU per answer during the burst (outside world: emulator + fake LLM)',
      median: formatMs(perAnswer(pulse, worldCpu)),
      p99: NONE,
      target: NONE,
      floor: formatMs(perAnswer(floor, worldCpu)),
      ratio: formatRatio(perAnswer(pulse, worldCpu), perAnswer(floor, worldCpu)),
    },
    {
      metric: '  ↳ Slack API calls per answer during the burst',
      median: perAnswer(pulse, calls).toFixed(2),
      p99: NONE,
      target: NONE,
      floor: perAnswer(floor, calls).toFixed(2),
      ratio: formatRatio(perAnswer(pulse, calls), perAnswer(floor, calls)),
    },
  ];
}

function memoryRow(metric: string, pulse: Rounds, floor: Rounds, pick: (round: SystemResult) => number): TableRow {
  const peak = (rounds: Rounds) => Math.max(...rounds.map(pick));
  return {
    metric,
    median: formatMb(peak(pulse)),
    p99: NONE,
    target: NONE,
    floor: formatMb(peak(floor)),
    ratio: formatRatio(peak(pulse), peak(floor)),
  };
}

function memoryRows(pulse: Rounds, floor: Rounds): TableRow[] {
  return [
    { ...memoryRow('peak RSS of the app process', pulse, floor, (round) => round.app.peakRssBytes), headline: true },
    memoryRow('  ↳ above the app process’s baseline before the system was loaded', pulse, floor, (round) => round.app.peakRssBytes - round.app.baselineRssBytes),
    memoryRow('peak RSS of the outside world’s process (emulator + fake LLM)', pulse, floor, (round) => round.world.peakRssBytes),
  ];
}

export function buildRows(pulse: Rounds, floor: Rounds): TableRow[] {
  const delayMs = first(pulse).latency.llmDelayMs;
  return [
    timingRow('event → ack', 'ackMs', pulse, floor, { text: '< 10 ms median', met: (s) => s.median < 10 }),
    timingRow('event → 👀', 'eyesMs', pulse, floor, { text: '< 50 ms median', met: (s) => s.median < 50 }),
    timingRow('  ↳ event → LLM request', 'llmRequestMs', pulse, floor),
    timingRow('  ↳ LLM reply → ✅ (minus LLM delay)', 'afterLlmMs', pulse, floor),
    timingRow(`overhead per answer, excl. LLM (event → ✅ − ${delayMs} ms)`, 'overheadMs', pulse, floor, {
      text: '< 50 ms median',
      met: (s) => s.median < 50,
    }),
    ...callRows(pulse, floor),
    ...throughputRows(pulse, floor),
    ...memoryRows(pulse, floor),
  ];
}

/** Per-round medians, so the spread between rounds (machine noise) is visible next to the pooled figures. */
export function describeRounds(system: string, rounds: Rounds): string {
  const medians = (field: LatencyField) => rounds.map((round) => summarize(round.latency[field]).median.toFixed(1)).join(' · ');
  return `${system} per-round medians (ms): ack ${medians('ackMs')}; 👀 ${medians('eyesMs')}; overhead ${medians('overheadMs')}`;
}

/** Which Web API methods each answer made, for the notes under the table. */
export function describeMethods(result: SystemResult): string[] {
  const burst = Object.entries(result.throughput.methodCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([method, count]) => `${method} ${count}`)
    .join(', ');
  return [
    ...Object.entries(result.calls).flatMap(([delivery, calls]) =>
      (['warm', 'cold'] as const).map((kind) => `${result.system} ${delivery} ${kind}: ${calls?.[kind].join(' → ') ?? NONE}`),
    ),
    `${result.system} calls during one burst: ${burst}`,
  ];
}

export function renderMarkdownTable(rows: readonly TableRow[]): string {
  const header: TableRow = { metric: 'metric', median: 'median', p99: 'p99', target: 'target', floor: 'floor (median / p99)', ratio: 'pulse/floor' };
  const cells = (row: TableRow) => [row.metric, row.median, row.p99, row.target, row.floor, row.ratio];
  const lines = [header, ...rows].map((row) => `| ${cells(row).join(' | ')} |`);
  lines.splice(1, 0, `|${cells(header).map(() => '---').join('|')}|`);
  return lines.join('\n');
}

/** How the burst used its slots, per round: a tail of idle slots or a slow answer under load shows here. */
export function describeBursts(system: string, rounds: Rounds): string[] {
  const tenths = (values: readonly number[]) => values.map((value) => value.toFixed(0)).join(' ');
  return rounds.map((round, index) => {
    const { answerOverheadMs, ackMs, inFlightByTenth, llmBusyByTenth, elapsedMs } = round.throughput;
    return (
      `${system} burst, round ${index + 1} (${(elapsedMs / 1000).toFixed(1)} s): ack ${formatMs(ackMs.median)} median / ${formatMs(ackMs.max)} max; ` +
      `👀 → ✅ minus LLM delay ` +
      `${formatMs(answerOverheadMs.median)} median / ${formatMs(answerOverheadMs.p99)} p99 ` +
      `(medians: 👀 → LLM request ${formatMs(answerOverheadMs.beforeLlm)}, LLM reply → ✅ ${formatMs(answerOverheadMs.afterLlm)}); ` +
      `answers in progress per tenth of the burst: ${tenths(inFlightByTenth)}; LLM requests being answered: ${tenths(llmBusyByTenth)}`
    );
  });
}
