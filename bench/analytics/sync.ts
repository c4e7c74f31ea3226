/**
 * The sync phase: a separate, smaller database filled by syncChannel itself
 * (history pages of top-level messages, then one conversations.replies read
 * per thread), served from memory, within --sync-budget-seconds: what a first
 * sync costs, no target.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { syncChannel, type AnalyticsSlackSource, type MessagePage } from '../../src/analytics/channel-sync.ts';
import type { SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { Random } from '../../src/emulator/seeded-random.ts';
import { generateChannel, PAGE_SIZE, splitByChannel, TEAM_ID, YEAR_END_MS, YEAR_START_MS, type ChannelHistory, type Workspace } from './generate.ts';
import type { BenchOptions } from './options.ts';

export interface SyncResult {
  /** Messages in the channels the sync was given, and how many it stored before finishing or running out of budget. */
  asked: number;
  stored: number;
  /** Messages written, roots counted again each time their thread is read. */
  records: number;
  threadsRead: number;
  seconds: number;
  messagesPerSecond: number;
  stoppedByBudget: boolean;
}

/** Slack's pages for one channel, from memory: history newest first, then each thread with its root. */
function createMemorySource(history: ChannelHistory, beforeCall: (threadRead: boolean) => void): AnalyticsSlackSource {
  const roots = new Map(history.topLevel.map((message) => [message.ts, message]));
  const page = (messages: SlackMessageLike[], cursor: string | undefined): MessagePage => {
    const start = Number(cursor ?? 0) * PAGE_SIZE;
    const next = start + PAGE_SIZE < messages.length ? String(Number(cursor ?? 0) + 1) : undefined;
    return { messages: messages.slice(start, start + PAGE_SIZE), nextCursor: next };
  };
  return {
    listChannels: async () => [],
    joinChannel: async () => undefined,
    history: async (_channelId, range) => (beforeCall(false), page(history.topLevel, range.cursor)),
    replies: async (_channelId, threadTs, cursor) => {
      beforeCall(cursor === undefined);
      const root = roots.get(threadTs);
      return page([...(root ? [root] : []), ...(history.replies.get(threadTs) ?? [])], cursor);
    },
  };
}

export async function measureSync(directory: string, workspace: Workspace, random: Random, options: BenchOptions): Promise<SyncResult> {
  const { db, close } = openDatabase(join(directory, 'sync.db'));
  try {
    const store = createAnalyticsStore(db);
    const channels = createAnalyticsChannelStore(db);
    const budget = new AbortController();
    let seconds = 0;
    let records = 0;
    let threadsRead = 0;
    const counts = splitByChannel(workspace, options.syncMessages);
    for (const [index, channel] of workspace.channels.entries()) {
      if (budget.signal.aborted) break;
      const history = generateChannel(random, workspace, counts[index] as number);
      let startedAt = performance.now();
      // Checked before each Slack call: syncChannel stops at its next abort check, as it would on shutdown.
      const source = createMemorySource(history, (threadRead) => {
        if (threadRead) threadsRead += 1;
        if (seconds + (performance.now() - startedAt) / 1000 > options.syncBudgetSeconds) budget.abort();
      });
      channels.saveSeen(TEAM_ID, { channelId: channel.id, name: channel.name, isPrivate: false, isArchived: false, isMember: true });
      const row = channels.get(TEAM_ID, channel.id);
      if (!row) throw new Error('channel row missing');
      let written = 0;
      startedAt = performance.now();
      try {
        await syncChannel(
          { slack: source, store, channels },
          {
            teamId: TEAM_ID, channel: row, storeText: false, pseudonymize: undefined, lookbackStartMs: YEAR_START_MS, nowMs: YEAR_END_MS,
            signal: budget.signal, onProgress: (messages) => (written = messages),
          },
        );
      } catch (error) {
        if (!budget.signal.aborted) throw error;
      }
      seconds += (performance.now() - startedAt) / 1000;
      records += written;
    }
    const stored = (db.$client.prepare('SELECT COUNT(*) AS n FROM analytics_messages').get() as { n: number }).n;
    return {
      asked: options.syncMessages, stored, records, threadsRead, seconds, messagesPerSecond: stored / seconds, stoppedByBudget: budget.signal.aborted,
    };
  } finally {
    close();
  }
}
