/**
 * The analytics bench's result and how it is reported: one Markdown table of
 * the headline figures against the issue's targets, and notes that say what
 * the data looked like and where the time went.
 */
import { cpus } from 'node:os';
import { CHANNEL_COUNT, PAGE_SIZE, PEOPLE_COUNT, YEAR_DAYS } from './generate.ts';
import { formatCount, formatMb, formatMs, verdict } from './format-figures.ts';
import type { IngestResult } from './ingest.ts';
import type { BenchOptions } from './options.ts';
import type { QueryResult } from './queries.ts';
import type { SizeResult } from './stored-size.ts';
import type { SyncResult } from './sync.ts';

/** The issue's ingest target on the project's machine (the query targets live with their questions in queries.ts). */
export const TARGET_RECORDS_PER_SECOND = 50_000;

export interface BenchResult {
  options: BenchOptions;
  ingest: IngestResult;
  sync?: SyncResult;
  size: SizeResult;
  queries: QueryResult[];
  shape: Record<string, number>;
  loadBefore: number;
  wallSeconds: number;
  databasePath?: string;
}

export function renderAnalyticsBenchTable(result: BenchResult): string {
  const { ingest: ingested, sync, size, shape } = result;
  const stored = shape.messages ?? 0;
  const stopped = ingested.stoppedByBudget
    ? ` — stopped by the ${result.options.ingestBudgetSeconds} s budget at ${formatCount(ingested.messages)} of ${formatCount(result.options.messages)}`
    : '';
  const rows = [
    ['metric', 'median', 'p99', 'target'],
    ['---', '---:', '---:', '---'],
    [
      `ingest, records/s over ${formatCount(ingested.messages)} messages (extract → toStoredMessage → writeMessages, pages of ${PAGE_SIZE}${stopped})`,
      `${formatCount(ingested.recordsPerSecond)}/s`,
      '—',
      `≥ ${formatCount(TARGET_RECORDS_PER_SECOND)}/s ${verdict(ingested.recordsPerSecond >= TARGET_RECORDS_PER_SECOND && !ingested.stoppedByBudget)}`,
    ],
    [`  ↳ per page of ${PAGE_SIZE}`, formatMs(ingested.pageMs.median), formatMs(ingested.pageMs.p99), '—'],
    ...(ingested.curve.length > 1
      ? [[
          `  ↳ records/s in the first vs last tenth of the pages (${formatCount(ingested.curve.at(-1)?.storedBefore ?? 0)} stored before the last)`,
          `${formatCount(ingested.curve[0]?.recordsPerSecond ?? 0)}/s → ${formatCount(ingested.curve.at(-1)?.recordsPerSecond ?? 0)}/s`,
          '—',
          '—',
        ]]
      : []),
    ...(sync
      ? [[
          `first sync through syncChannel (history pages, then conversations.replies per thread), messages stored/s` +
            (sync.stoppedByBudget ? ` — stopped by the ${result.options.syncBudgetSeconds} s budget at ${formatCount(sync.stored)} of ${formatCount(sync.asked)}` : ` over ${formatCount(sync.stored)}`),
          `${formatCount(sync.messagesPerSecond)}/s`,
          '—',
          '—',
        ]]
      : []),
    ...result.queries.map((query) => [
      `${query.name} (${formatCount(stored)} messages)`,
      formatMs(query.summary.median),
      formatMs(query.summary.p99),
      query.targetMs === undefined ? '—' : `≤ ${query.targetMs} ms median ${verdict(query.summary.median <= query.targetMs)}`,
    ]),
    ['database size per 1,000,000 messages (file + WAL after checkpoint)', formatMb(size.bytesPerMillion), '—', '—'],
  ];
  return rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
}

export function describeAnalyticsBench(result: BenchResult): string[] {
  const { ingest: ingested, sync, size, shape, options } = result;
  const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
  const ranked = (statements: IngestResult['statements'], count: number, width: number) => {
    const profiledMs = statements.reduce((sum, statement) => sum + statement.ms, 0);
    return statements
      .slice(0, count)
      .map((statement) => `${percent(statement.ms, profiledMs)} ${statement.sql.slice(0, width)}…`)
      .join('; ');
  };
  const costliest = ingested.statements[0];
  return [
    `Data (seed ${options.seed}): ${formatCount(shape.messages ?? 0)} messages in ${CHANNEL_COUNT} channels by ${PEOPLE_COUNT} people over ${YEAR_DAYS} days; ` +
      `${percent(shape.replies ?? 0, shape.messages ?? 1)} replies, ${formatCount(shape.threads ?? 0)} person threads ` +
      `(${percent(shape.questionThreads ?? 0, shape.threads ?? 1)} ask a question), ${formatCount(shape.helpReplies ?? 0)} help replies, ` +
      `${percent(shape.botMessages ?? 0, shape.messages ?? 1)} bot messages; busiest person wrote ${formatCount(shape.topPersonMessages ?? 0)}, ` +
      `median person ${formatCount(shape.medianPersonMessages ?? 0)}. Pages hold every message of a channel, replies included, newest first; channels are read in step, a page of each in turn.`,
    `Rows: ${Object.entries(size.rows).map(([table, count]) => `${table.replace('analytics_', '')} ${formatCount(count)}`).join(', ')}.`,
    `Ingest: ${formatCount(ingested.pages)} pages in ${ingested.seconds.toFixed(1)} s — extract → toStoredMessage ${ingested.convertSeconds.toFixed(1)} s, ` +
      `writeMessages ${ingested.writeSeconds.toFixed(1)} s (page generation, untimed: ${ingested.generateSeconds.toFixed(1)} s). Records/s by tenth ` +
      `(messages stored before it): ${ingested.curve.map((point) => `${formatCount(point.recordsPerSecond)} (${formatCount(point.storedBefore)})`).join(', ')}.`,
    `Inside writeMessages (every ${options.profileEvery}th page timed per statement, ${ingested.profiledPages} pages, included in the ingest figure): ${ranked(ingested.statements, 6, 60)}`,
    `Rebuilds of derived rows: ${ingested.rebuildSeconds.toFixed(1)} s of writeMessages; every ${options.profileEvery}th timed per statement: ` +
      `${ranked(ingested.rebuildStatements, 8, 90)}`,
    ...(costliest && costliest.plan.length > 0 ? [`Plan of the costliest: ${costliest.plan.map((line) => line.trim()).join(' / ')}`] : []),
    ...(sync
      ? [`First sync: ${formatCount(sync.stored)} messages stored, ${formatCount(sync.threadsRead)} threads read with their root, ` +
          `${formatCount(sync.records)} records written in ${sync.seconds.toFixed(1)} s (${formatCount(sync.records / sync.seconds)} records/s).`]
      : []),
    `Size: ${formatMb(size.fileBytes)} file + ${formatMb(size.walBytes)} WAL for ${formatCount(shape.messages ?? 0)} messages, ` +
      `${formatMb(size.freeBytes)} of it free pages; ${size.tables.slice(0, 8).map((table) => `${table.name} ${formatMb(table.bytes)}`).join(', ')}.`,
    ...result.queries.map((query) => `${query.name}: ${query.rows} rows, range ${formatMs(query.summary.min)}–${formatMs(query.summary.max)}; ` +
      `plan: ${query.plans.map((plan) => plan.map((line) => line.trim()).join(' / ')).join(' || ')}`),
    `${options.runs} timed runs of each query after ${options.warmup} warm-ups; file database in the OS temp dir, opened with openDatabase (WAL, synchronous=NORMAL). ` +
      `Whole bench ${result.wallSeconds.toFixed(0)} s; 1-minute load average at start ${result.loadBefore.toFixed(2)} on ${cpus().length} CPUs (other work inflates the times).`,
  ];
}
