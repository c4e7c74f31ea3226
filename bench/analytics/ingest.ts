/**
 * The ingest phase: every channel's pages through the production path
 * (extractMessageMetadata → toStoredMessage → writeMessages) into a file
 * database, timed per page, within --ingest-budget-seconds of timed work so
 * the run stays bounded even when writes slow down as the tables grow. Every
 * --profile-every'th page and rebuild runs through a store whose statements
 * time themselves, so the notes can say which statement dominates.
 */
import { performance } from 'node:perf_hooks';
import { PAGES_PER_REBUILD } from '../../src/analytics/channel-sync.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsStore, type AnalyticsStore } from '../../src/db/analytics-store.ts';
import type { PulseDatabase } from '../../src/db/open-database.ts';
import type { Random } from '../../src/emulator/seeded-random.ts';
import { summarize, type Summary } from '../stats.ts';
import { generateChannel, splitByChannel, TEAM_ID, toPages, type Workspace } from './generate.ts';
import type { BenchOptions } from './options.ts';
import { formatCount } from './format-figures.ts';
import { createProfiledStore, rankStatements, timeInsideTransactions, type RankedStatement, type StatementTiming } from './statement-profile.ts';

export interface IngestResult {
  /** Messages written (the timed production path); fewer than asked when the budget ran out. */
  messages: number;
  pages: number;
  seconds: number;
  recordsPerSecond: number;
  pageMs: Summary;
  /** True when the time budget stopped the paged ingest before all messages. */
  stoppedByBudget: boolean;
  /** Records/s per tenth of the paged ingest, with the messages stored when that tenth began: the slope shows per-page cost growing with the table. */
  curve: { storedBefore: number; recordsPerSecond: number }[];
  /** Time in extract → toStoredMessage vs writeMessages, summed over the paged ingest. */
  convertSeconds: number;
  writeSeconds: number;
  generateSeconds: number;
  profiledPages: number;
  statements: RankedStatement[];
  /** Time in the rebuilds of derived rows (every PAGES_PER_REBUILD pages and once at the end), included in writeSeconds. */
  rebuildSeconds: number;
  /** Every --profile-every'th rebuild timed per statement: which derived rows cost the most. */
  rebuildStatements: RankedStatement[];
}

type ConvertOptions = Parameters<typeof extractMessageMetadata>[1];
type PageTiming = { storedBefore: number; ms: number; messages: number };

/** What the sync's toStored does: metadata, then the stored rows with the root's latest_reply. */
const toStored = (page: readonly SlackMessageLike[], options: ConvertOptions) =>
  page.map((message) => toStoredMessage(extractMessageMetadata(message, options), message.latest_reply ?? null));

/**
 * Every channel's pages as JSON bodies, read back in step (page 1 of each channel, then page 2…), so a run the budget stops
 * still covers every channel — the newest weeks of the workspace. Bodies are parsed just before their page is timed: holding
 * a million parsed messages would make every garbage collection during the timed work walk them.
 */
export function ingest(db: PulseDatabase, workspace: Workspace, random: Random, options: BenchOptions): IngestResult {
  const generatedAt = performance.now();
  const counts = splitByChannel(workspace, options.messages);
  const bodies = workspace.channels.map((_, index) =>
    toPages(generateChannel(random, workspace, counts[index] as number)).map((page) => JSON.stringify(page)),
  );
  const generateSeconds = (performance.now() - generatedAt) / 1000;
  const store = createAnalyticsStore(db);
  const timings: StatementTiming[] = [];
  const profiled = createProfiledStore(db, timings);
  const rebuilder = createRebuilder(db, store, options.profileEvery);
  const pages: PageTiming[] = [];
  let convertMs = 0;
  let writeMs = 0;
  let profiledWriteMs = 0;
  let insideTransactionMs = 0;
  let messages = 0;
  let stoppedByBudget = false;
  const rounds = Math.max(...bodies.map((channelBodies) => channelBodies.length));
  for (let round = 0; round < rounds && !stoppedByBudget; round += 1) {
    for (const [index, channel] of workspace.channels.entries()) {
      const body = bodies[index]?.[round];
      if (body === undefined) continue;
      const page = JSON.parse(body) as SlackMessageLike[];
      const profile = options.profileEvery > 0 && pages.length % options.profileEvery === 0;
      const startedAt = performance.now();
      const stored = toStored(page, { teamId: TEAM_ID, channelId: channel.id, storeText: false });
      const convertedAt = performance.now();
      // As the sync does: derived rows rebuilt every PAGES_PER_REBUILD pages, not per page (the rebuild time counts).
      if (profile) insideTransactionMs += timeInsideTransactions(db, () => profiled.writeMessages(TEAM_ID, stored, { deferRebuild: true }));
      else store.writeMessages(TEAM_ID, stored, { deferRebuild: true });
      if ((pages.length + 1) % PAGES_PER_REBUILD === 0) rebuilder.rebuild();
      const writtenAt = performance.now();
      convertMs += convertedAt - startedAt;
      writeMs += writtenAt - convertedAt;
      if (profile) profiledWriteMs += writtenAt - convertedAt;
      pages.push({ storedBefore: messages, ms: writtenAt - startedAt, messages: page.length });
      messages += page.length;
      if ((convertMs + writeMs) / 1000 > options.ingestBudgetSeconds) {
        stoppedByBudget = messages < options.messages;
        break;
      }
    }
    // A progress line rewritten in place: only on a terminal, where \r returns to the line's start (a log would keep every one).
    if (process.stderr.isTTY) process.stderr.write(`  ${formatCount(messages)} messages in ${((convertMs + writeMs) / 1000).toFixed(1)} s\r`);
  }
  const finalRebuildAt = performance.now();
  rebuilder.rebuild();
  writeMs += performance.now() - finalRebuildAt;
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (convertMs + writeMs) / 1000;
  return {
    messages,
    pages: pages.length,
    seconds,
    recordsPerSecond: messages / seconds,
    pageMs: summarize(pages.map((page) => page.ms)),
    stoppedByBudget,
    curve: tenths(pages),
    convertSeconds: convertMs / 1000,
    writeSeconds: writeMs / 1000,
    generateSeconds,
    profiledPages: options.profileEvery > 0 ? Math.ceil(pages.length / options.profileEvery) : 0,
    statements: rankStatements(db, timings, profiledWriteMs, insideTransactionMs),
    rebuildSeconds: rebuilder.ms() / 1000,
    rebuildStatements: rebuilder.statements(),
  };
}

/** Rebuilds the derived rows, every profileEvery'th time through the store whose statements time themselves. */
function createRebuilder(db: PulseDatabase, store: AnalyticsStore, profileEvery: number) {
  const timings: StatementTiming[] = [];
  const profiled = createProfiledStore(db, timings);
  let rebuildMs = 0;
  let profiledMs = 0;
  let insideMs = 0;
  let rebuilds = 0;
  return {
    rebuild: () => {
      const profile = profileEvery > 0 && rebuilds % profileEvery === 0;
      const startedAt = performance.now();
      if (profile) insideMs += timeInsideTransactions(db, () => profiled.rebuildPending(TEAM_ID));
      else store.rebuildPending(TEAM_ID);
      const ms = performance.now() - startedAt;
      rebuildMs += ms;
      if (profile) profiledMs += ms;
      rebuilds += 1;
    },
    ms: () => rebuildMs,
    statements: () => rankStatements(db, timings.filter((timing) => timing.calls > 0), profiledMs, insideMs),
  };
}

function tenths(pages: readonly PageTiming[]): IngestResult['curve'] {
  const size = Math.max(1, Math.ceil(pages.length / 10));
  const curve: IngestResult['curve'] = [];
  for (let start = 0; start < pages.length; start += size) {
    const slice = pages.slice(start, start + size);
    const ms = slice.reduce((sum, page) => sum + page.ms, 0);
    curve.push({ storedBefore: slice[0]?.storedBefore ?? 0, recordsPerSecond: (slice.reduce((sum, page) => sum + page.messages, 0) / ms) * 1000 });
  }
  return curve;
}
