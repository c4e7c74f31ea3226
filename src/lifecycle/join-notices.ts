/**
 * One transparency notice per channel Pulse joins, whether it was invited
 * (member_joined_channel) or joined on its own (the analytics auto-join).
 * Both paths may fire for one join; the record is inserted before posting, and
 * only the caller whose insert landed posts, so a channel never gets two, not
 * even across restarts. A notice Slack refuses is forgotten, so a later join
 * can post it. Admins turn notices off in App Home.
 */
import type { AnalyticsSettings } from '../analytics/analytics-settings.ts';
import type { WorkspaceSettingsStore } from '../db/workspace-settings-store.ts';
import type { Logger } from '../logger.ts';
import { describeJoinNotice } from './join-notice-text.ts';
import type { JoinNoticeReason, LifecycleStore } from '../db/workspace-lifecycle-store.ts';

/** workspace_settings key: 'false' turns notices off (on by default). */
export const JOIN_NOTICE_SETTING = 'join_notice_enabled';

/** Channel types of DMs and group DMs (event channel_type values and id prefixes): never given a notice. */
const PRIVATE_CONVERSATION_TYPES = new Set(['im', 'mpim']);

export interface JoinNoticeChannel {
  id: string;
  /** As the event gives it: 'C' / 'G' (member_joined_channel) or 'channel' / 'group' / 'im' / 'mpim'. */
  type?: string;
}

export interface JoinNoticeDependencies {
  store: Pick<LifecycleStore, 'claimJoinNotice' | 'recordJoinNoticePosted' | 'releaseJoinNotice'>;
  settings: Pick<WorkspaceSettingsStore, 'getSetting' | 'setSetting'>;
  analyticsSettings: (teamId: string) => AnalyticsSettings;
  /** Posts the notice in the channel; resolves with the message's ts. */
  post: (teamId: string, channelId: string, text: string) => Promise<string | undefined>;
  /** False once the workspace is disconnected: nothing more is posted or recorded. */
  isConnected: (teamId: string) => boolean;
  logger: Logger;
}

export class JoinNotices {
  /** Announcements in flight in this process: a second path for the same join waits for the first one's post. */
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: JoinNoticeDependencies) {}

  enabled(teamId: string): boolean {
    return this.deps.settings.getSetting(teamId, JOIN_NOTICE_SETTING) !== 'false';
  }

  setEnabled(teamId: string, enabled: boolean, userId: string): void {
    this.deps.settings.setSetting(teamId, JOIN_NOTICE_SETTING, String(enabled), userId);
    this.deps.logger.info(`workspace ${teamId}: channel join notices turned ${enabled ? 'on' : 'off'} by ${userId}`);
  }

  /** The notice as it would read now (App Home shows it before an admin turns notices off). */
  preview(teamId: string, reason: JoinNoticeReason = 'invited'): string {
    return describeJoinNotice(this.deps.analyticsSettings(teamId), reason);
  }

  /**
   * Posts the channel's notice unless it has one, notices are off, or it is a
   * DM; true for the caller that posted it. Resolves once the notice is in the
   * channel (a caller that lost the race waits for the winner's post, so the
   * sync reads the channel's history with the notice in it). Never throws.
   */
  announce(teamId: string, channel: JoinNoticeChannel, reason: JoinNoticeReason): Promise<boolean> {
    const key = `${teamId}\u0000${channel.id}`;
    const running = this.inFlight.get(key);
    if (running) return running.then(() => false);
    const run = this.post(teamId, channel, reason).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  private async post(teamId: string, channel: JoinNoticeChannel, reason: JoinNoticeReason): Promise<boolean> {
    if (!this.deps.isConnected(teamId) || !this.enabled(teamId)) return false;
    if (channel.id.startsWith('D') || (channel.type !== undefined && PRIVATE_CONVERSATION_TYPES.has(channel.type))) return false;
    try {
      if (!this.deps.store.claimJoinNotice(teamId, channel.id, reason)) return false;
    } catch (error) {
      this.deps.logger.error(`could not record the join notice for ${channel.id}:`, error);
      return false;
    }
    try {
      const ts = await this.deps.post(teamId, channel.id, this.preview(teamId, reason));
      this.deps.store.recordJoinNoticePosted(teamId, channel.id, ts);
      return true;
    } catch (error) {
      this.deps.logger.warn(`could not post the join notice in ${channel.id}; a later join will try again:`, error);
      try {
        this.deps.store.releaseJoinNotice(teamId, channel.id);
      } catch (releaseError) {
        this.deps.logger.error(`could not forget the failed join notice for ${channel.id}:`, releaseError);
      }
      return false;
    }
  }
}
