/**
 * Syncs a workspace's channels: lists them, joins public channels matching
 * the admin's auto-join pattern (never leaving any), then reads each channel
 * Pulse is a member of. One sync per workspace at a time; asking while one
 * runs returns the running one (and runs once more after it when asked for a
 * channel that was just joined). DMs and group DMs are never listed or read.
 */
import type { AnalyticsChannelStore } from '../db/analytics-channel-store.ts';
import type { AnalyticsStore } from '../db/analytics-store.ts';
import { createErrorReference } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { compileChannelPattern, type AnalyticsSettings } from './analytics-settings.ts';
import { syncChannel, type AnalyticsSlackSource } from './channel-sync.ts';
import type { Pseudonymize } from './pseudonym.ts';

export type SyncTrigger = 'startup' | 'schedule' | 'manual' | 'joined';

export interface SyncProgress {
  trigger: SyncTrigger;
  startedAt: Date;
  channelsTotal: number;
  channelsDone: number;
  currentChannel: string | undefined;
  messages: number;
}

export interface SyncSummary {
  trigger: SyncTrigger;
  startedAt: Date;
  finishedAt: Date;
  channels: number;
  joined: string[];
  messages: number;
  failed: { name: string; error: string }[];
  /** Set when the sync did not run at all (analytics turned off). */
  skipped?: string;
}

export interface AnalyticsSyncDependencies {
  slack: AnalyticsSlackSource;
  store: AnalyticsStore;
  channels: AnalyticsChannelStore;
  settings: (teamId: string) => AnalyticsSettings;
  pseudonymizer: (teamId: string) => Pseudonymize | undefined;
  logger: Logger;
  now?: () => number;
  /** Told after every stored page and when a sync ends (App Home re-renders from it). */
  onProgress?: (teamId: string, progress: SyncProgress | undefined) => void;
  /** Told after Pulse joined a channel by the auto-join pattern (it posts the channel's join notice). */
  onAutoJoined?: (teamId: string, channelId: string) => Promise<unknown>;
}

/** Slack errors that mean Pulse can no longer read the channel. */
const LOST_ACCESS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'missing_scope']);

export class AnalyticsSync {
  private readonly running = new Map<string, Promise<SyncSummary>>();
  private readonly again = new Set<string>();
  private readonly progress = new Map<string, SyncProgress>();
  private readonly lastSummary = new Map<string, SyncSummary>();
  private readonly abort = new AbortController();
  private readonly runs = new Map<string, AbortController>();
  private readonly now: () => number;

  constructor(private readonly deps: AnalyticsSyncDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** Starts (or joins) the workspace's sync. */
  sync(teamId: string, trigger: SyncTrigger): Promise<SyncSummary> {
    const running = this.running.get(teamId);
    if (running) {
      if (trigger === 'joined') this.again.add(teamId);
      return running;
    }
    const run = this.runSync(teamId, trigger).finally(() => {
      this.running.delete(teamId);
      if (this.again.delete(teamId) && !this.abort.signal.aborted) void this.sync(teamId, 'joined');
    });
    this.running.set(teamId, run);
    return run;
  }

  progressOf(teamId: string): SyncProgress | undefined {
    return this.progress.get(teamId);
  }

  lastResult(teamId: string): SyncSummary | undefined {
    return this.lastSummary.get(teamId);
  }

  isRunning(teamId: string): boolean {
    return this.running.has(teamId);
  }

  /** Stops every sync at its next page; the saved cursors let the next start resume. */
  async stop(): Promise<void> {
    this.abort.abort(new Error('Pulse is shutting down'));
    await Promise.allSettled([...this.running.values()]);
  }

  /** Stops the workspace's sync (before its data is deleted) and waits until it has. */
  async cancel(teamId: string): Promise<void> {
    this.again.delete(teamId);
    this.runs.get(teamId)?.abort(new Error('analytics sync cancelled'));
    await this.running.get(teamId)?.catch(() => undefined);
  }

  private async runSync(teamId: string, trigger: SyncTrigger): Promise<SyncSummary> {
    const startedAt = new Date(this.now());
    const settings = this.deps.settings(teamId);
    const summary: SyncSummary = { trigger, startedAt, finishedAt: startedAt, channels: 0, joined: [], messages: 0, failed: [] };
    if (!settings.enabled) {
      summary.skipped = 'Analytics is turned off in App Home.';
      return summary;
    }
    const progress: SyncProgress = { trigger, startedAt, channelsTotal: 0, channelsDone: 0, currentChannel: undefined, messages: 0 };
    this.progress.set(teamId, progress);
    const controller = new AbortController();
    this.runs.set(teamId, controller);
    const signal = AbortSignal.any([this.abort.signal, controller.signal]);
    try {
      await this.refreshChannels(teamId, settings, summary, signal);
      const members = this.deps.channels.list(teamId).filter((channel) => channel.isMember);
      progress.channelsTotal = members.length;
      this.deps.onProgress?.(teamId, progress);
      const nowMs = this.now();
      const pseudonymize = settings.pseudonymize ? this.deps.pseudonymizer(teamId) : undefined;
      for (const channel of members) {
        if (signal.aborted) break;
        progress.currentChannel = channel.name;
        this.deps.channels.startSync(teamId, channel.channelId);
        const before = progress.messages;
        let written = 0;
        try {
          written = await syncChannel(this.deps, {
            teamId,
            channel,
            storeText: settings.storeText,
            pseudonymize,
            lookbackStartMs: nowMs - settings.lookbackDays * 86_400_000,
            nowMs,
            signal,
            onProgress: (count) => {
              written = count;
              progress.messages = before + count;
              this.deps.onProgress?.(teamId, progress);
            },
          });
          this.deps.channels.finishSync(teamId, channel.channelId, written);
        } catch (error) {
          if (signal.aborted) {
            if (this.abort.signal.aborted) {
              this.deps.channels.failSync(teamId, channel.channelId, written, 'Interrupted by a restart; the next sync resumes here.');
            }
            break;
          }
          const message = this.describeFailure(teamId, channel.channelId, channel.name, error);
          this.deps.channels.failSync(teamId, channel.channelId, written, message);
          summary.failed.push({ name: channel.name, error: message });
        }
        summary.messages += written;
        summary.channels += 1;
        progress.channelsDone += 1;
        this.deps.onProgress?.(teamId, progress);
      }
    } catch (error) {
      if (!signal.aborted) {
        const reference = createErrorReference();
        this.deps.logger.error(`analytics sync of ${teamId} failed (ref ${reference}):`, error);
        summary.failed.push({ name: 'channel list', error: `Could not list channels (ref ${reference}).` });
      }
    } finally {
      // A channel that failed or was interrupted mid-way leaves derived rows to rebuild.
      try {
        this.deps.store.rebuildPending(teamId);
      } catch (error) {
        this.deps.logger.error('analytics rebuild after the sync failed:', error);
      }
      this.runs.delete(teamId);
      this.progress.delete(teamId);
      summary.finishedAt = new Date(this.now());
      this.lastSummary.set(teamId, summary);
      this.deps.onProgress?.(teamId, undefined);
    }
    this.deps.logger.info(
      `analytics sync (${trigger}) of ${teamId}: ${summary.channels} channels, ${summary.messages} messages, ` +
        `${summary.joined.length} joined, ${summary.failed.length} failed in ${summary.finishedAt.getTime() - startedAt.getTime()} ms`,
    );
    return summary;
  }

  /** Lists channels, records them, and joins the public ones matching the pattern. */
  private async refreshChannels(teamId: string, settings: AnalyticsSettings, summary: SyncSummary, signal: AbortSignal) {
    const pattern = compileChannelPattern(settings.autoJoinPattern);
    const listing = await this.deps.slack.listChannels(signal);
    for (const channel of listing) {
      this.deps.channels.saveSeen(teamId, {
        channelId: channel.id,
        name: channel.name,
        isPrivate: channel.isPrivate,
        isArchived: channel.isArchived,
        isMember: channel.isMember,
      });
      if (!pattern || channel.isMember || channel.isPrivate || channel.isArchived || !pattern.test(channel.name)) continue;
      try {
        await this.deps.slack.joinChannel(channel.id);
        this.deps.channels.markAutoJoined(teamId, channel.id);
        summary.joined.push(channel.name);
      } catch (error) {
        const message = this.describeFailure(teamId, channel.id, channel.name, error);
        summary.failed.push({ name: channel.name, error: `Could not join: ${message}` });
        continue;
      }
      await this.deps.onAutoJoined?.(teamId, channel.id).catch((error: unknown) => {
        this.deps.logger.warn(`could not announce joining #${channel.name}:`, error);
      });
    }
  }

  private describeFailure(teamId: string, channelId: string, name: string, error: unknown): string {
    const code = (error as { slackError?: string }).slackError;
    if (code && LOST_ACCESS.has(code)) {
      this.deps.channels.setMembership(teamId, channelId, false);
      return code === 'missing_scope'
        ? 'Pulse lacks a Slack permission to read this channel; update the app from manifest.json.'
        : 'Pulse can no longer read this channel (removed, archived or deleted).';
    }
    const reference = createErrorReference();
    this.deps.logger.error(`analytics sync of #${name} (${channelId}) failed (ref ${reference}):`, error);
    return `The sync failed (ref ${reference}); it will be retried on the next sync.`;
  }
}
