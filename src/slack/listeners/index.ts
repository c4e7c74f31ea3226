/** Registers every listener Pulse has. */
import type { App } from '@slack/bolt';
import type { AnalyticsSync } from '../../analytics/analytics-sync.ts';
import type { AnalyticsLiveEvents } from '../../analytics/live-events.ts';
import type { MetricsExporter } from '../../analytics/metrics-exporter.ts';
import type { ConversationService } from '../../conversation/conversation-service.ts';
import type { AnalyticsSettingsService } from '../../settings/analytics-settings-service.ts';
import type { Logger } from '../../logger.ts';
import type { WorkspaceSettingsService } from '../../settings/workspace-settings-service.ts';
import type { AppHome } from '../app-home.ts';
import type { AssistantThreads } from '../assistant-threads.ts';
import type { ReportService } from '../../reports/report-service.ts';
import type { JoinNotices } from '../../lifecycle/join-notices.ts';
import type { WorkspaceLifecycle } from '../../lifecycle/workspace-lifecycle.ts';
import * as analyticsActions from './actions/analytics-actions.ts';
import * as appHomeActions from './actions/app-home-actions.ts';
import * as reportActions from './actions/report-actions.ts';
import * as analyticsEvents from './events/analytics-events.ts';
import * as analyticsSubmitted from './views/analytics-submitted.ts';
import * as appHomeOpened from './events/app-home-opened.ts';
import * as settingsSubmitted from './views/settings-submitted.ts';
import * as appMention from './events/app-mention.ts';
import * as assistantThreadStarted from './events/assistant-thread-started.ts';
import * as message from './events/message.ts';
import * as askPulse from './shortcuts/ask-pulse.ts';
import * as askInstructionSubmitted from './views/ask-instruction-submitted.ts';
import * as reportSubmitted from './views/report-submitted.ts';
import * as workspaceLifecycle from './events/workspace-lifecycle.ts';

export interface ListenerDependencies {
  conversations: ConversationService;
  /**
   * The workspace Pulse is installed in, which every listener acts for: never the team a payload names (in a
   * Slack Connect channel that is the other organization's).
   */
  teamId: string;
  botUserId: string;
  logger: Logger;
  assistantThreads: AssistantThreads;
  appHome: AppHome;
  settings: WorkspaceSettingsService;
  /** Sends the one-time welcome; resolves true when it was sent now. */
  welcome: (teamId: string, userId: string, dmChannelId?: string) => Promise<boolean>;
  llmBaseUrl: string;
  analytics: AnalyticsLiveEvents;
  analyticsSync: AnalyticsSync;
  analyticsSettings: AnalyticsSettingsService;
  reports?: { service: ReportService; timeZone: string };
  /** Disconnecting (App Home, app_uninstalled, tokens_revoked); while disconnected, the team's events are dropped. */
  lifecycle: WorkspaceLifecycle;
  joinNotices: JoinNotices;
  /** App Home's "Export metrics (CSV)": the form's defaults and the export itself (admin re-checked inside). */
  metricsExport: Pick<MetricsExporter, 'exportDefaults' | 'exportToDm'>;
}

export function registerListeners(app: App, deps: ListenerDependencies): void {
  workspaceLifecycle.register(app, deps);
  message.register(app, deps);
  appMention.register(app, deps);
  assistantThreadStarted.register(app, deps);
  askPulse.register(app, deps);
  askInstructionSubmitted.register(app, deps);
  appHomeOpened.register(app, deps);
  appHomeActions.register(app, deps);
  settingsSubmitted.register(app, deps);
  analyticsEvents.register(app, deps);
  analyticsActions.register(app, deps);
  analyticsSubmitted.register(app, deps);
  reportActions.register(app, deps);
  reportSubmitted.register(app, deps);
}
