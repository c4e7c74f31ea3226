/**
 * Publishes the Home tab for a person (admin console or member view) and
 * runs the admin actions behind it. Admin rights are checked here, on the
 * server, for every action.
 */
import type { types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { SyncProgress, AnalyticsSync } from '../analytics/analytics-sync.ts';
import type { AnalyticsChannelStore } from '../db/analytics-channel-store.ts';
import type { AnalyticsSettingsService } from '../settings/analytics-settings-service.ts';
import type { KeyCheck, WorkspaceSettingsService } from '../settings/workspace-settings-service.ts';
import type { ReportService } from '../reports/report-service.ts';
import type { ReportDestination } from '../reports/report-types.ts';
import type { AdminDirectory } from './admin-directory.ts';
import { slackErrorCode } from './slack-errors.ts';
import { buildAnalyticsSection } from './views/analytics-home.ts';
import { buildAdminHome, buildMemberHome, type ConnectionResult } from './views/app-home.ts';
import { buildReportsHomeSection } from './views/report-home.ts';

/** The provider's model list is reused this long before it is asked again. */
const MODEL_LIST_TTL_MS = 10 * 60 * 1000;
/** Slack's limit on blocks in a Home tab view. */
export const HOME_VIEW_MAX_BLOCKS = 100;
/** While a sync runs, the Home tab of an admin watching it is re-published at most this often. */
export const SYNC_PROGRESS_REPUBLISH_MS = 2_000;

export interface AppHomeAnalytics {
  settings: AnalyticsSettingsService;
  sync: AnalyticsSync;
  channels: AnalyticsChannelStore;
  syncCron: string | undefined;
  timeZone: string;
}

export interface AppHomeDependencies {
  client: WebClient;
  settings: WorkspaceSettingsService;
  admins: AdminDirectory;
  checkKey: (apiKey: string, purpose: 'validate' | 'test') => Promise<KeyCheck>;
  analytics?: AppHomeAnalytics;
  reports?: { service: ReportService; describeDestination: (destination: ReportDestination) => string; timeZone: string };
  /** Whether Pulse posts its one-time notice in channels it joins (shown On/Off to admins). */
  joinNotices?: { enabled(teamId: string): boolean };
  logger: Logger;
  now?: () => number;
}

export class AppHome {
  private readonly models = new Map<string, { ids: string[]; at: number }>();
  private readonly connections = new Map<string, ConnectionResult>();
  /** Admins whose Home tab follows a sync they started, per workspace, and when it was last re-published. */
  private readonly watchers = new Map<string, Set<string>>();
  private readonly lastProgressPublish = new Map<string, number>();
  private readonly notices = new Map<string, string>();
  private readonly reportNotices = new Map<string, string>();
  /** Workspaces Pulse is being disconnected from, and the publishes under way per workspace. */
  private readonly closed = new Set<string>();
  private readonly inFlight = new Map<string, Set<Promise<void>>>();
  private readonly now: () => number;

  constructor(private readonly deps: AppHomeDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** Checks admin rights for an action; a refusal is logged and changes nothing. */
  async authorize(teamId: string, userId: string, action: string): Promise<boolean> {
    if (await this.deps.admins.isAdmin(userId)) return true;
    this.deps.logger.warn(`refused "${action}" from ${userId} in ${teamId}: not a Pulse admin`);
    return false;
  }

  /**
   * Publishes the person's Home tab, unless Pulse is being disconnected from
   * the workspace (then the farewell tab must stay the last one published).
   */
  async publish(teamId: string, userId: string): Promise<void> {
    if (this.closed.has(teamId)) return;
    const run = this.publishNow(teamId, userId);
    const inFlight = this.inFlight.get(teamId) ?? new Set<Promise<void>>();
    inFlight.add(run);
    this.inFlight.set(teamId, inFlight);
    try {
      await run;
    } finally {
      inFlight.delete(run);
    }
  }

  /**
   * No Home tab is published for the workspace from now on (sync progress,
   * a late model list, a click): resolves once those already on their way
   * to Slack have arrived, so a tab published after this is the last one.
   */
  async close(teamId: string): Promise<void> {
    this.closed.add(teamId);
    this.watchers.delete(teamId);
    await Promise.allSettled([...(this.inFlight.get(teamId) ?? [])]);
  }

  private async publishNow(teamId: string, userId: string): Promise<void> {
    const [isAdmin, adminIds] = await Promise.all([this.deps.admins.isAdmin(userId), this.deps.admins.listAdmins()]);
    const { settings } = this.deps;
    const view = isAdmin
      ? buildAdminHome({
          keyStatus: settings.keyStatus(teamId),
          model: settings.model(teamId),
          models: this.models.get(teamId)?.ids,
          budgets: settings.budgets(teamId),
          usage: settings.usageSummary(teamId),
          connection: this.connections.get(teamId),
          adminIds,
          ...(this.deps.analytics ? { analytics: this.analyticsBlocks(teamId, userId) } : {}),
          ...(this.deps.joinNotices ? { joinNotice: this.deps.joinNotices.enabled(teamId) } : {}),
        })
      : buildMemberHome({ ready: settings.resolveApiKey(teamId) !== undefined, adminIds });
    const reports = await this.reportBlocks(teamId, userId, isAdmin);
    if (reports.length > 0) {
      const blocks = (view as { blocks: unknown[] }).blocks;
      // The reports come last; the analytics section above is bounded, and the reports list caps its own length.
      (view as { blocks: unknown[] }).blocks = [...blocks, { type: 'divider' }, ...reports].slice(0, HOME_VIEW_MAX_BLOCKS);
    }
    // Closed while this tab was being built: it would land over the farewell tab.
    if (this.closed.has(teamId)) return;
    // The builders return plain Block Kit; their shape is checked by the view builder tests.
    await this.deps.client.views.publish({ user_id: userId, view: view as unknown as types.HomeView });
    if (isAdmin && !this.freshModels(teamId)) void this.loadModelsThenPublish(teamId, userId);
  }

  /** Shown once, above the person's scheduled reports on their next Home tab (a refused menu choice, say). */
  notifyAboutReports(teamId: string, userId: string, notice: string): void {
    this.reportNotices.set(`${teamId}\u0000${userId}`, notice);
  }

  /** Shown once, on the admin's next Home tab. */
  notify(teamId: string, userId: string, notice: string): void {
    this.notices.set(`${teamId}\u0000${userId}`, notice);
  }

  /** Re-publishes (throttled) the Home tab of admins following this workspace's sync; once more when it ends. */
  watchSync(teamId: string, userId: string): void {
    const watching = this.watchers.get(teamId) ?? new Set<string>();
    watching.add(userId);
    this.watchers.set(teamId, watching);
  }

  onSyncProgress(teamId: string, progress: SyncProgress | undefined): void {
    const watching = this.watchers.get(teamId);
    if (!watching || watching.size === 0) return;
    if (progress && this.now() - (this.lastProgressPublish.get(teamId) ?? 0) < SYNC_PROGRESS_REPUBLISH_MS) return;
    this.lastProgressPublish.set(teamId, this.now());
    if (!progress) this.watchers.delete(teamId);
    for (const userId of watching) {
      this.publish(teamId, userId).catch((error: unknown) => this.deps.logger.warn('could not show sync progress in the Home tab:', error));
    }
  }

  private async reportBlocks(teamId: string, userId: string, isAdmin: boolean): Promise<unknown[]> {
    const reports = this.deps.reports;
    if (!reports) return [];
    const { reports: list } = await reports.service.visibleTo(teamId, userId);
    const key = `${teamId}\u0000${userId}`;
    const notice = this.reportNotices.get(key);
    this.reportNotices.delete(key);
    const section = buildReportsHomeSection({
      reports: list,
      viewerId: userId,
      viewerIsAdmin: isAdmin,
      timeZone: reports.timeZone,
      now: this.now(),
      describeDestination: reports.describeDestination,
    });
    return notice ? [...section.slice(0, 1), { type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${notice}` }] }, ...section.slice(1)] : section;
  }

  private analyticsBlocks(teamId: string, userId: string): unknown[] {
    const analytics = this.deps.analytics as AppHomeAnalytics;
    const noticeKey = `${teamId}\u0000${userId}`;
    const notice = this.notices.get(noticeKey);
    this.notices.delete(noticeKey);
    return buildAnalyticsSection({
      settings: analytics.settings.get(teamId),
      channels: analytics.channels.list(teamId),
      progress: analytics.sync.progressOf(teamId),
      lastSync: analytics.sync.lastResult(teamId),
      schedule: analytics.syncCron ? { cron: analytics.syncCron, timeZone: analytics.timeZone } : undefined,
      notice,
    });
  }

  rememberModels(teamId: string, models: string[]): void {
    this.models.set(teamId, { ids: models, at: this.now() });
  }

  private freshModels(teamId: string): boolean {
    const cached = this.models.get(teamId);
    return cached !== undefined && this.now() - cached.at < MODEL_LIST_TTL_MS;
  }

  /** The Home tab opens at once; the provider's model list follows when it answers. */
  private async loadModelsThenPublish(teamId: string, userId: string): Promise<void> {
    const apiKey = this.deps.settings.resolveApiKey(teamId);
    if (!apiKey) return;
    const check = await this.deps.checkKey(apiKey, 'test');
    if (!check.ok) return;
    this.rememberModels(teamId, check.models);
    try {
      await this.publish(teamId, userId);
    } catch (error) {
      this.deps.logger.warn('could not republish the Home tab with the model list:', error);
    }
  }

  /** Checks Slack (auth.test) and the LLM provider, and keeps the result for the Home tab. */
  async testConnection(teamId: string): Promise<ConnectionResult> {
    const slack = await this.deps.client.auth.test().then(
      (response) => ({ ok: true, text: `Authenticated as ${response.url ? new URL(response.url).host : response.team}.` }),
      (error: unknown) => ({
        ok: false,
        text: `Slack refused Pulse's bot token (${slackErrorCode(error) ?? 'no answer'}). Reinstall the app and update SLACK_BOT_TOKEN.`,
      }),
    );
    const apiKey = this.deps.settings.resolveApiKey(teamId);
    let llm: ConnectionResult['llm'];
    if (!apiKey) {
      llm = { ok: false, text: 'No API key is set. Use “Set key” above.' };
    } else {
      const check = await this.deps.checkKey(apiKey, 'test');
      if (check.ok) this.rememberModels(teamId, check.models);
      llm = check.ok
        ? { ok: true, text: `The provider accepted the key; ${check.models.length} model(s) available.` }
        : { ok: false, text: check.message };
    }
    const result = { checkedAt: new Date(this.now()), slack, llm };
    this.connections.set(teamId, result);
    return result;
  }
}
