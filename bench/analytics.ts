/**
 * Analytics storage benchmark: `node --import tsx bench/analytics.ts`.
 * A seeded, made-up workspace (40 channels, 200 people, one year; Zipf-ish
 * activity, 40% replies, a third of thread roots asking questions) as Slack's
 * API returns it (bench/analytics/generate.ts), in four phases:
 * - ingest (analytics/ingest.ts): --messages messages (default 1,000,000) in
 *   pages of 200, newest first, through the production path per page
 *   (extractMessageMetadata → toStoredMessage → writeMessages) into a file
 *   database opened with openDatabase; records/s against the ≥ 50,000 target.
 *   Pages are generated before anything is timed. The ingest stops after
 *   --ingest-budget-seconds of timed work and says so in the table (the run
 *   must stay bounded even when writes slow down as the tables grow); the
 *   queries then run over what was stored, and their rows name that count.
 * - size (analytics/stored-size.ts): file + WAL after a checkpoint, per
 *   million messages, per table.
 * - queries (analytics/queries.ts): --runs timed runs after --warmup of each
 *   question over the ingested database; median and p99 against the targets,
 *   query plans.
 * - sync (analytics/sync.ts): a separate, smaller database filled by
 *   syncChannel itself (history pages of top-level messages, then one
 *   conversations.replies read per thread), served from memory, within
 *   --sync-budget-seconds: what a first sync costs, no target.
 * Every 10th page (--profile-every) is written by a store whose statements
 * time themselves, and every 10th rebuild of the derived rows runs through
 * one, so the notes say which statement dominates the ingest and the rebuild.
 * Prints one Markdown table (analytics/report.ts) and writes
 * bench-results/analytics.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/open-database.ts';
import { createRandom } from '../src/emulator/seeded-random.ts';
import { formatCount } from './analytics/format-figures.ts';
import { createWorkspace } from './analytics/generate.ts';
import { ingest } from './analytics/ingest.ts';
import { parseBenchOptions, type BenchOptions } from './analytics/options.ts';
import { measureQueries, TARGET_TOP_HELPERS_MS, TARGET_WEEKLY_MS } from './analytics/queries.ts';
import { describeAnalyticsBench, renderAnalyticsBenchTable, TARGET_RECORDS_PER_SECOND, type BenchResult } from './analytics/report.ts';
import { dataShape, measureSize } from './analytics/stored-size.ts';
import { measureSync, type SyncResult } from './analytics/sync.ts';
import { describeSource, publishBenchResults } from './publish-results.ts';

/**
 * The four phases over one temp directory. Each phase draws from its own
 * seeded stream (seed, seed + 1, seed + 2), so the sync's data does not depend
 * on how much the ingest generated.
 */
export async function measureAnalytics(options: BenchOptions, directory: string): Promise<BenchResult> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const startedAt = performance.now();
  const path = join(directory, 'analytics.db');
  const { db, close } = openDatabase(path);
  try {
    const workspace = createWorkspace(createRandom(options.seed));
    process.stderr.write(`bench:analytics: ingesting ${formatCount(options.messages)} messages…\n`);
    const ingested = ingest(db, workspace, createRandom(options.seed + 1), options);
    const shape = dataShape(db);
    const size = measureSize(db, path, shape.messages ?? 0);
    process.stderr.write(`bench:analytics: ${options.runs + options.warmup} runs of each query…\n`);
    const queries = measureQueries(db, workspace.channels.map((channel) => channel.id), options.runs, options.warmup);
    let sync: SyncResult | undefined;
    if (options.syncMessages > 0) {
      process.stderr.write(`bench:analytics: first sync of ${formatCount(options.syncMessages)} messages through syncChannel…\n`);
      sync = await measureSync(directory, workspace, createRandom(options.seed + 2), options);
    }
    const wallSeconds = (performance.now() - startedAt) / 1000;
    return {
      options, ingest: ingested, ...(sync ? { sync } : {}), size, queries, shape, loadBefore, wallSeconds, ...(options.keepDb ? { databasePath: path } : {}),
    };
  } finally {
    close();
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions();
  const directory = mkdtempSync(join(tmpdir(), 'pulse-bench-analytics-'));
  let result: BenchResult;
  try {
    result = await measureAnalytics(options, directory);
  } finally {
    if (!options.keepDb) rmSync(directory, { recursive: true, force: true });
  }
  const table = renderAnalyticsBenchTable(result);
  const notes = describeAnalyticsBench(result);
  publishBenchResults('analytics', {
    table,
    notes,
    details: {
      source: describeSource(),
      targets: { recordsPerSecond: TARGET_RECORDS_PER_SECOND, topHelpersMedianMs: TARGET_TOP_HELPERS_MS, weeklyMedianMs: TARGET_WEEKLY_MS },
      result,
    },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
