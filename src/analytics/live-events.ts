/**
 * Keeps analytics current between syncs from Slack's events: new messages and
 * replies, edits, deletions and reactions in channels Pulse syncs; Pulse
 * being added to a channel starts that channel's backfill. DMs and group DMs
 * are ignored here as everywhere in analytics.
 */
import type { AnalyticsChannelStore } from '../db/analytics-channel-store.ts';
import type { AnalyticsStore } from '../db/analytics-store.ts';
import type { Logger } from '../logger.ts';
import type { AnalyticsSettings } from './analytics-settings.ts';
import type { AnalyticsSync } from './analytics-sync.ts';
import { toStored } from './channel-sync.ts';
import type { SlackMessageLike } from './message-metadata.ts';
import type { Pseudonymize } from './pseudonym.ts';

export interface ChannelMessageEvent extends SlackMessageLike {
  channel: string;
  channel_type?: string;
  message?: SlackMessageLike;
  deleted_ts?: string;
}

export interface ReactionEvent {
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
}

/** Slack's legacy notice that a thread got a reply: not a message of its own (edits and deletions are handled first). */
const REPLY_NOTICE_SUBTYPE = 'message_replied';

export interface LiveEventDependencies {
  store: AnalyticsStore;
  channels: AnalyticsChannelStore;
  settings: (teamId: string) => AnalyticsSettings;
  pseudonymizer: (teamId: string) => Pseudonymize | undefined;
  sync: Pick<AnalyticsSync, 'sync'>;
  logger: Logger;
}

export class AnalyticsLiveEvents {
  constructor(private readonly deps: LiveEventDependencies) {}

  /** A message event in a public or private channel. */
  onMessage(teamId: string, event: ChannelMessageEvent): void {
    if (event.channel_type !== 'channel' && event.channel_type !== 'group') return;
    const run = this.runFor(teamId, event.channel);
    if (!run) return;
    if (event.subtype === 'message_deleted') {
      if (event.deleted_ts) this.deps.store.deleteMessage(teamId, event.channel, event.deleted_ts);
      return;
    }
    if (event.subtype === 'message_changed') {
      if (event.message?.ts) this.deps.store.writeMessages(teamId, [toStored(run, event.message)], { keepReactions: true });
      return;
    }
    if (event.subtype === REPLY_NOTICE_SUBTYPE) return;
    this.deps.store.writeMessages(teamId, [toStored(run, event)]);
  }

  onReaction(teamId: string, event: ReactionEvent, added: boolean): void {
    const { channel, ts } = event.item;
    if (event.item.type !== 'message' || !channel || !ts) return;
    const run = this.runFor(teamId, channel);
    if (!run) return;
    this.deps.store.applyReaction({
      teamId,
      channelId: channel,
      ts,
      name: event.reaction,
      userId: run.pseudonymize ? run.pseudonymize(event.user) : event.user,
      added,
    });
  }

  /** Pulse was added to a channel: record it and read its history (other members joining changes nothing). */
  onMemberJoined(teamId: string, event: { user: string; channel: string; channel_type?: string }, botUserId: string): void {
    if (event.user !== botUserId || !this.deps.settings(teamId).enabled) return;
    const known = this.deps.channels.get(teamId, event.channel);
    // A channel the sync itself just joined (auto-join pattern) is read by that same sync.
    if (known?.isMember) return;
    if (known) this.deps.channels.setMembership(teamId, event.channel, true);
    // An unknown channel is listed (name, privacy) by the sync itself.
    void this.deps.sync.sync(teamId, 'joined').catch((error: unknown) => {
      this.deps.logger.error(`analytics sync after joining ${event.channel} failed:`, error);
    });
  }

  onChannelArchived(teamId: string, channelId: string, archived: boolean): void {
    const known = this.deps.channels.get(teamId, channelId);
    if (known) this.deps.channels.saveSeen(teamId, { ...known, isArchived: archived });
  }

  onChannelRenamed(teamId: string, channelId: string, name: string): void {
    const known = this.deps.channels.get(teamId, channelId);
    if (known) this.deps.channels.saveSeen(teamId, { ...known, name });
  }

  /** The sync settings for a channel Pulse syncs, or undefined to ignore its events. */
  private runFor(teamId: string, channelId: string) {
    const settings = this.deps.settings(teamId);
    if (!settings.enabled) return undefined;
    const channel = this.deps.channels.get(teamId, channelId);
    if (!channel?.isMember) return undefined;
    return {
      teamId,
      channel: { channelId },
      storeText: settings.storeText,
      pseudonymize: settings.pseudonymize ? this.deps.pseudonymizer(teamId) : undefined,
    };
  }
}
