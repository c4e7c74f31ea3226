/**
 * Reads one channel's history into the analytics tables: a history pass over
 * a time range (newest first, page by page, the cursor saved after every
 * stored page so a crash resumes there), then every thread whose replies are
 * unread or have grown. Writes are idempotent upserts, so a page read twice
 * after a crash changes nothing.
 */
import type { AnalyticsChannelStore, AnalyticsChannel } from '../db/analytics-channel-store.ts';
import type { AnalyticsStore } from '../db/analytics-store.ts';
import { extractMessageMetadata, type SlackMessageLike } from './message-metadata.ts';
import type { Pseudonymize } from './pseudonym.ts';
import { toStoredMessage, type StoredMessage } from './stored-message.ts';

export interface ChannelListing {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isMember: boolean;
}

export interface MessagePage {
  messages: (SlackMessageLike & { latest_reply?: string })[];
  nextCursor: string | undefined;
}

/** The Slack calls the sync makes (src/slack implements it, paced and waiting out rate limits). */
export interface AnalyticsSlackSource {
  listChannels(signal?: AbortSignal): Promise<ChannelListing[]>;
  joinChannel(channelId: string): Promise<void>;
  history(channelId: string, range: { oldest: string; latest: string; cursor?: string }, signal?: AbortSignal): Promise<MessagePage>;
  replies(channelId: string, threadTs: string, cursor: string | undefined, signal?: AbortSignal): Promise<MessagePage>;
}

/** Messages re-read on every sync, so recent reactions, edits and new replies are picked up. */
export const REFRESH_WINDOW_MS = 7 * 86_400_000;
/** Pages written between two rebuilds of the derived rows (25 history pages = 5,000 messages). */
export const PAGES_PER_REBUILD = 25;
/** Threads read per batch of the pending-thread loop. */
const THREADS_PER_BATCH = 50;

export interface ChannelSyncRun {
  teamId: string;
  channel: AnalyticsChannel;
  storeText: boolean;
  pseudonymize: Pseudonymize | undefined;
  /** Oldest time the workspace's lookback covers. */
  lookbackStartMs: number;
  nowMs: number;
  signal?: AbortSignal;
  /** Called with messages stored so far in this channel, after each write. */
  onProgress?: (messages: number) => void;
}

export interface ChannelSyncDependencies {
  slack: AnalyticsSlackSource;
  store: AnalyticsStore;
  channels: AnalyticsChannelStore;
}

export function msToTs(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String((ms - seconds * 1000) * 1000).padStart(6, '0')}`;
}

function tsToMsNumber(ts: string): number {
  return Math.floor(Number(ts) * 1000);
}

/** Reads what is missing of one channel; returns how many distinct messages it read. */
export async function syncChannel(deps: ChannelSyncDependencies, run: ChannelSyncRun): Promise<number> {
  const { teamId, channel } = run;
  const channelId = channel.channelId;
  // A thread's root comes back on every replies page, and broadcast replies in history too: count each message once.
  const seen = new Set<string>();
  // Derived rows (threads, daily sums) are rebuilt every few pages rather than per page: a day's sums are
  // then rebuilt once for many pages. The marks are stored with the messages, so a crash loses none.
  let pagesSinceRebuild = 0;
  const rebuild = () => {
    deps.store.rebuildPending(teamId);
    pagesSinceRebuild = 0;
  };
  const write = (messages: MessagePage['messages']) => {
    const stored = messages.map((message) => toStored(run, message));
    deps.store.writeMessages(teamId, stored, { deferRebuild: true });
    for (const message of stored) seen.add(message.ts);
    pagesSinceRebuild += 1;
    if (pagesSinceRebuild >= PAGES_PER_REBUILD) rebuild();
    run.onProgress?.(seen.size);
  };

  let pass = channel.passOldestTs && channel.passLatestTs
    ? { oldest: channel.passOldestTs, latest: channel.passLatestTs, cursor: channel.passCursor ?? undefined }
    : undefined;
  if (!pass) {
    const lookbackStart = run.lookbackStartMs;
    const coveredFrom = channel.coveredFromTs ? tsToMsNumber(channel.coveredFromTs) : undefined;
    const coveredTo = channel.coveredToTs ? tsToMsNumber(channel.coveredToTs) : undefined;
    // One pass covers a longer lookback and anything new; otherwise only the refresh window is re-read.
    const fromMs =
      coveredFrom === undefined || coveredTo === undefined || lookbackStart < coveredFrom
        ? lookbackStart
        : Math.max(coveredTo - REFRESH_WINDOW_MS, lookbackStart);
    pass = { oldest: msToTs(fromMs), latest: msToTs(run.nowMs), cursor: undefined };
    deps.channels.startPass(teamId, channelId, pass.oldest, pass.latest);
  }
  for (;;) {
    run.signal?.throwIfAborted();
    const page = await deps.slack.history(channelId, pass, run.signal);
    write(page.messages);
    if (!page.nextCursor) break;
    pass.cursor = page.nextCursor;
    deps.channels.savePassCursor(teamId, channelId, page.nextCursor);
  }
  rebuild();
  const previousFrom = channel.coveredFromTs;
  const coveredFrom = previousFrom && Number(previousFrom) < Number(pass.oldest) ? previousFrom : pass.oldest;
  deps.channels.finishPass(teamId, channelId, coveredFrom, pass.latest);

  // Each thread is read at most once per run, so replies arriving meanwhile cannot keep the loop going.
  const done = new Set<string>();
  for (;;) {
    const pending = deps.store.pendingThreads(teamId, channelId, THREADS_PER_BATCH + done.size).filter((thread) => !done.has(thread.ts));
    if (pending.length === 0) break;
    for (const thread of pending) {
      run.signal?.throwIfAborted();
      done.add(thread.ts);
      let latestReply = thread.latestReply;
      let cursor: string | undefined;
      do {
        const page = await deps.slack.replies(channelId, thread.ts, cursor, run.signal);
        const root = page.messages.find((message) => message.ts === thread.ts);
        if (root?.latest_reply && Number(root.latest_reply) > Number(latestReply)) latestReply = root.latest_reply;
        write(page.messages);
        cursor = page.nextCursor;
      } while (cursor);
      deps.store.markRepliesSynced(teamId, channelId, thread.ts, latestReply);
    }
  }
  rebuild();
  return seen.size;
}

export function toStored(
  run: Pick<ChannelSyncRun, 'teamId' | 'storeText' | 'pseudonymize'> & { channel: { channelId: string } },
  message: SlackMessageLike & { latest_reply?: string },
): StoredMessage {
  const metadata = extractMessageMetadata(message, {
    teamId: run.teamId,
    channelId: run.channel.channelId,
    storeText: run.storeText,
    ...(run.pseudonymize ? { pseudonymize: run.pseudonymize } : {}),
  });
  return toStoredMessage(metadata, message.latest_reply ?? null);
}

/** A Slack call the sync made failed with Slack's error code (the source maps platform errors to it). */
export class SlackCallError extends Error {
  constructor(
    readonly slackError: string,
    options?: { cause?: unknown },
  ) {
    super(`Slack answered ${slackError}`, options);
    this.name = 'SlackCallError';
  }
}
