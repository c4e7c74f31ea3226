/**
 * The analytics timetable: a sync on ANALYTICS_SYNC_CRON (default three times
 * a day) and a daily retention prune, both in the workspace's time zone.
 * croner skips a run that would overlap the previous one (protect), and the
 * sync itself is single-flight per workspace.
 */
import { Cron } from 'croner';
import type { Logger } from '../logger.ts';
import type { AnalyticsSettings } from './analytics-settings.ts';
import type { AnalyticsSync } from './analytics-sync.ts';
import { dayOfMs } from './stored-message.ts';

/** Retention runs once a day, at a quiet hour. */
export const RETENTION_CRON = '15 3 * * *';

export interface AnalyticsScheduleOptions {
  teamId: string;
  syncCron: string;
  timeZone: string;
  sync: Pick<AnalyticsSync, 'sync'>;
  settings: (teamId: string) => AnalyticsSettings;
  prune: (teamId: string, beforeDay: number) => number;
  logger: Logger;
  now?: () => number;
}

/** Deletes what is older than the workspace's retention; returns the messages removed. */
export function applyRetention(options: Pick<AnalyticsScheduleOptions, 'teamId' | 'settings' | 'prune' | 'logger' | 'now'>): number {
  const { retentionDays } = options.settings(options.teamId);
  const beforeDay = dayOfMs((options.now ?? Date.now)()) - retentionDays;
  const removed = options.prune(options.teamId, beforeDay);
  if (removed > 0) options.logger.info(`analytics retention: removed ${removed} messages older than ${retentionDays} days`);
  return removed;
}

export function scheduleAnalytics(options: AnalyticsScheduleOptions): { stop(): void; nextSync(): Date | null } {
  const sync = new Cron(options.syncCron, { timezone: options.timeZone, protect: true }, async () => {
    await options.sync.sync(options.teamId, 'schedule');
  });
  const retention = new Cron(RETENTION_CRON, { timezone: options.timeZone, protect: true }, () => {
    try {
      applyRetention(options);
    } catch (error) {
      options.logger.error('analytics retention failed:', error);
    }
  });
  return {
    stop: () => {
      sync.stop();
      retention.stop();
    },
    nextSync: () => sync.nextRun(),
  };
}
