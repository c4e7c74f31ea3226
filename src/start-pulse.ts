/**
 * Composition root: config → secrets → database (migrated) → services →
 * Slack app → start. main.ts calls it; end-to-end tests call it too, with
 * the emulator and the fake LLM as the outside world.
 */
import type { Config } from './config.ts';
import { createAnswerGenerator } from './agent/answer-generator.ts';
import { AnalyticsSync } from './analytics/analytics-sync.ts';
import { AnalyticsLiveEvents } from './analytics/live-events.ts';
import { applyRetention, scheduleAnalytics } from './analytics/sync-schedule.ts';
import { WorkspaceMetrics } from './analytics/workspace-metrics.ts';
import { MetricsExporter } from './analytics/metrics-exporter.ts';
import { PeopleSummaries } from './analytics/people-summaries.ts';
import type { AnalyticsTools } from './agent/tools/pulse-tool.ts';
import { createAnalyticsChannelStore } from './db/analytics-channel-store.ts';
import { createAnalyticsQueries } from './db/analytics-queries.ts';
import { createAnalyticsStore } from './db/analytics-store.ts';
import { AnalyticsSettingsService } from './settings/analytics-settings-service.ts';
import { createAnalyticsAccess, createMetricsExportSlack } from './slack/analytics-access.ts';
import { createEvidenceQueries } from './db/evidence-queries.ts';
import { createPeopleSummaryOptOuts } from './db/opt-out-store.ts';
import { createAnalyticsSlackSource } from './slack/analytics-slack-source.ts';
import { ConversationService } from './conversation/conversation-service.ts';
import { createQuestionStore } from './db/question-store.ts';
import { openDatabase } from './db/open-database.ts';
import { upsertWorkspace } from './db/workspace-store.ts';
import { createLogger, type Logger } from './logger.ts';
import { resolveEncryptionKey } from './secrets/encryption-key.ts';
import { checkProvider, KEY_VALIDATION_TIMEOUT_MS, PROVIDER_CHECK_TIMEOUT_MS } from './agent/provider-check.ts';
import { createUsageStore } from './db/usage-store.ts';
import { createWorkspaceSettingsStore } from './db/workspace-settings-store.ts';
import { SecretBox } from './secrets/secret-box.ts';
import { WorkspaceSettingsService, type KeyCheck } from './settings/workspace-settings-service.ts';
import { AdminDirectory } from './slack/admin-directory.ts';
import { AppHome } from './slack/app-home.ts';
import { AssistantThreads } from './slack/assistant-threads.ts';
import { welcomeIfNew } from './slack/welcome.ts';
import { createReportProposalStore } from './db/report-proposal-store.ts';
import { createReportStore } from './db/report-store.ts';
import { systemClock, type Clock } from './reports/clock.ts';
import { createReportExecutor } from './reports/report-executor.ts';
import { ReportScheduler } from './reports/report-scheduler.ts';
import { ReportService } from './reports/report-service.ts';
import { createReportSlack } from './slack/report-slack.ts';
import { createSlackApp } from './slack/create-slack-app.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { SlackConversationGateway } from './slack/slack-conversation-gateway.ts';
import { UserDirectory } from './slack/user-directory.ts';
import { describeSlackStartupFailure, verifySlackIdentity } from './slack/verify-slack-identity.ts';
import { JoinNotices } from './lifecycle/join-notices.ts';
import { createLifecycleStore } from './db/workspace-lifecycle-store.ts';
import { WorkspaceLifecycle } from './lifecycle/workspace-lifecycle.ts';

/** How long shutdown waits for answers in progress before closing the database. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningPulse {
  teamId: string;
  botUserId: string;
  conversations: ConversationService;
  analyticsSync: AnalyticsSync;
  reports: ReportService;
  reportScheduler: ReportScheduler;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** What time it is for scheduled reports: the system clock unless a caller (a test) brings its own. */
  clock?: Clock;
}

export async function startPulse(config: Config, options: StartOptions = {}): Promise<RunningPulse> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  for (const secret of [config.slack.botToken, config.slack.appToken, config.llm.apiKey, config.encryptionKeyHex]) {
    logger.addSecret(secret);
  }
  const encryptionKey = resolveEncryptionKey({
    configuredHex: config.encryptionKeyHex,
    databasePath: config.databasePath,
    logger,
  });
  logger.addSecret(encryptionKey.toString('hex'));
  const database = openDatabase(config.databasePath);
  try {
    const identity = await verifySlackIdentity(config, logger);
    const { teamId, botUserId } = identity;
    upsertWorkspace(database.db, {
      teamId,
      name: identity.teamName ?? null,
      domain: identity.teamDomain ?? null,
      botUserId,
      botId: identity.botId,
    });
    const slackApp = createSlackApp(config, logger, identity);
    const { app } = slackApp;
    const questions = createQuestionStore(database.db);
    const settingsStore = createWorkspaceSettingsStore(database.db);
    const directory = new UserDirectory(app.client, logger);
    const assistantThreads = new AssistantThreads();
    const checkKey = async (apiKey: string, purpose: 'validate' | 'test'): Promise<KeyCheck> => {
      const timeoutMs = purpose === 'validate' ? KEY_VALIDATION_TIMEOUT_MS : PROVIDER_CHECK_TIMEOUT_MS;
      return checkProvider(config.llm.baseUrl, apiKey, timeoutMs);
    };
    const box = new SecretBox(encryptionKey);
    const settings = new WorkspaceSettingsService({
      store: settingsStore,
      usage: createUsageStore(database.db),
      box,
      serverApiKey: config.llm.apiKey,
      defaultModel: config.llm.model,
      checkKey,
      logger: logger.child('settings'),
    });
    const admins = new AdminDirectory(app.client, directory, config.adminUserIds, logger.child('admins'));
    const analyticsStore = createAnalyticsStore(database.db);
    const analyticsChannels = createAnalyticsChannelStore(database.db);
    const analyticsSettings = new AnalyticsSettingsService({
      store: settingsStore,
      box,
      data: {
        purge: (team) => analyticsStore.purge(team),
        eraseText: (team) => analyticsStore.eraseText(team),
        counts: (team) => {
          const rows = analyticsStore.rowCounts(team);
          return { messages: rows.analytics_messages ?? 0, channels: rows.analytics_channels ?? 0 };
        },
      },
      logger: logger.child('analytics'),
    });
    const readAnalyticsSettings = (team: string) => analyticsSettings.get(team);
    const pseudonymizer = (team: string) => analyticsSettings.pseudonymizer(team);
    const lifecycleStore = createLifecycleStore(database.db);
    // Disconnecting stops the analytics schedule, which starts last, and the sync and reports built below.
    const timetable: { schedule?: { stop(): void }; startSchedule?: () => { stop(): void } | undefined } = {};
    const lifecycle = new WorkspaceLifecycle({
      store: lifecycleStore,
      stopWork: async (team) => {
        if (team !== teamId) return;
        timetable.schedule?.stop();
        await reportScheduler.stop();
        await analyticsSync.cancel(team);
      },
      // Pulse serves one workspace: once it is disconnected, no answer is started again (queued ones find their rows gone).
      answersFinished: (team) => (team === teamId ? conversations.drain() : Promise.resolve()),
      resumeWork: (team) => {
        if (team !== teamId) return;
        conversations.resume();
        reportScheduler.start();
        timetable.schedule = timetable.startSchedule?.();
      },
      logger: logger.child('lifecycle'),
    });
    const joinNotices = new JoinNotices({
      store: lifecycleStore,
      settings: settingsStore,
      analyticsSettings: readAnalyticsSettings,
      post: async (_team, channel, text) => (await app.client.chat.postMessage({ channel, text, unfurl_links: false, unfurl_media: false })).ts,
      isConnected: (team) => lifecycle.isConnected(team),
      logger: logger.child('join-notices'),
    });
    // The sync reports progress to App Home, which is built after it (it shows the sync's state).
    const home: { current?: AppHome } = {};
    const analyticsSync = new AnalyticsSync({
      slack: createAnalyticsSlackSource({
        token: config.slack.botToken,
        slackApiUrl: config.slack.apiUrl,
        callsPerMinute: config.analytics.callsPerMinute,
        logger: logger.child('analytics-slack'),
      }),
      store: analyticsStore,
      channels: analyticsChannels,
      settings: readAnalyticsSettings,
      pseudonymizer,
      logger: logger.child('analytics'),
      onProgress: (team, progress) => home.current?.onSyncProgress(team, progress),
      onAutoJoined: (team, channelId) => joinNotices.announce(team, { id: channelId, type: 'channel' }, 'auto_joined'),
    });
    const analyticsAccess = createAnalyticsAccess({ client: app.client, admins, directory, domain: identity.teamDomain });
    const analyticsQueries = createAnalyticsQueries(database.db);
    const metrics = new WorkspaceMetrics({
      queries: analyticsQueries,
      channels: analyticsChannels,
      settings: readAnalyticsSettings,
      access: analyticsAccess,
      now: () => new Date(clock.now()),
    });
    // Metrics export and evidence-cited people summaries (issue 10), within the asker's metric scope.
    const analyticsDeps = { metrics, queries: analyticsQueries, settings: readAnalyticsSettings, access: analyticsAccess };
    const metricsExport = new MetricsExporter({ ...analyticsDeps, slack: createMetricsExportSlack({ client: app.client }), now: () => new Date(clock.now()) });
    const peopleSummaries = new PeopleSummaries({
      ...analyticsDeps,
      evidence: createEvidenceQueries(database.db),
      optOuts: createPeopleSummaryOptOuts(settingsStore),
      pseudonymizer,
    });
    const analyticsTools: AnalyticsTools = {
      metric: (asker, request) => metrics.metric(asker, request),
      threads: (asker, request) => metrics.threads(asker, request),
      listChannels: (asker, query) => metrics.listChannels(asker, query),
      findPerson: (asker, query) => metrics.findPerson(asker, query),
      exportToDm: (asker, request) => metricsExport.exportToDm(asker, request),
      collaborationEvidence: (asker, request) => peopleSummaries.collaborationEvidence(asker, request),
      setPeopleSummaryOptOut: (asker, optOut) => peopleSummaries.setPeopleSummaryOptOut(asker, optOut),
    };
    const reportSlack = createReportSlack({
      client: app.client,
      isAdmin: (userId) => admins.isAdmin(userId),
      memberChannelIds: (team, userId) => analyticsAccess.memberChannelIds(team, userId),
      botUserId,
      logger: logger.child('reports'),
    });
    const reportStore = createReportStore(database.db);
    // The generator answers reports' questions and proposes reports: built once, given the service when it exists.
    const reportsRef: { service?: ReportService } = {};
    const generator = createAnswerGenerator({
      baseUrl: config.llm.baseUrl,
      resolveModel: (team) => settings.model(team),
      resolveApiKey: (team) => settings.resolveApiKey(team),
      timeoutMs: config.llm.timeoutMs,
      workspaceTimeZone: config.workspaceTimeZone,
      analytics: analyticsTools,
      reports: () => reportsRef.service,
      now: () => new Date(clock.now()),
    });
    const reportScheduler = new ReportScheduler({
      teamId,
      store: reportStore,
      clock,
      executor: createReportExecutor({
        slack: reportSlack.port,
        delivery: reportSlack.delivery,
        content: {
          generator,
          metrics,
          ownerName: async (_team, userId) => (await directory.lookupMany([userId])).get(userId)?.name ?? 'the report owner',
          budgetProblem: (team, userId) => settings.budgetProblem(team, userId),
        },
      }),
      logger: logger.child('reports'),
    });
    const reports = new ReportService({
      store: reportStore,
      proposals: createReportProposalStore(database.db),
      scheduler: reportScheduler,
      slack: reportSlack.port,
      clock,
      timeZone: config.workspaceTimeZone,
    });
    reportsRef.service = reports;
    const appHome = new AppHome({
      client: app.client,
      settings,
      admins,
      checkKey,
      analytics: {
        settings: analyticsSettings,
        sync: analyticsSync,
        channels: analyticsChannels,
        syncCron: config.analytics.syncCron,
        timeZone: config.workspaceTimeZone,
      },
      reports: { service: reports, describeDestination: reportSlack.port.describeDestination, timeZone: config.workspaceTimeZone },
      joinNotices,
      logger: logger.child('app-home'),
    });
    home.current = appHome;
    const conversations = new ConversationService(
      {
        slack: new SlackConversationGateway({
          client: app.client,
          directory,
          bot: { userId: botUserId, botId: identity.botId },
          botToken: config.slack.botToken,
          writer: { client: app.client, delivery: config.answers.delivery, logger: logger.child('reply') },
          logger: logger.child('slack-gateway'),
          assistantThreads,
        }),
        generator,
        questions,
        logger: logger.child('conversation'),
        contextTokenBudget: config.answers.contextTokenBudget,
        budgetProblem: (team, user) => settings.budgetProblem(team, user),
      },
      { maxConcurrent: config.answers.maxConcurrent, maxQuestionAgeMs: config.answers.maxQuestionAgeMs },
    );
    registerListeners(app, {
      conversations,
      teamId,
      botUserId,
      logger: logger.child('listeners'),
      assistantThreads,
      appHome,
      settings,
      welcome: (team, user, dmChannelId) =>
        welcomeIfNew({ client: app.client, store: settingsStore, logger: logger.child('welcome') }, team, user, dmChannelId),
      llmBaseUrl: config.llm.baseUrl,
      analytics: new AnalyticsLiveEvents({
        store: analyticsStore,
        channels: analyticsChannels,
        settings: readAnalyticsSettings,
        pseudonymizer,
        sync: analyticsSync,
        logger: logger.child('analytics'),
      }),
      analyticsSync,
      analyticsSettings,
      reports: { service: reports, timeZone: config.workspaceTimeZone },
      // App Home's "Export metrics (CSV)" (issue 10).
      metricsExport,
      lifecycle,
      joinNotices,
    });
    // Interrupted questions are queued before new events can arrive, so a thread keeps its order.
    await conversations.resumeUnfinished(teamId);
    try {
      await slackApp.start();
    } catch (error) {
      throw describeSlackStartupFailure(error, 'SLACK_APP_TOKEN', config);
    }
    logger.info(`Pulse is connected to ${identity.teamName ?? teamId} as @${identity.botUserName ?? botUserId}.`);
    const retention = { teamId, settings: readAnalyticsSettings, prune: analyticsStore.pruneBefore, logger: logger.child('analytics') };
    applyRetention(retention);
    // Rows a crash left between a backfill page and its rebuild get their derived figures now.
    analyticsStore.rebuildPending(teamId);
    const syncCron = config.analytics.syncCron;
    timetable.startSchedule = () =>
      syncCron ? scheduleAnalytics({ ...retention, syncCron, timeZone: config.workspaceTimeZone, sync: analyticsSync }) : undefined;
    const schedule = timetable.startSchedule();
    timetable.schedule = schedule;
    // A backfill interrupted by a crash resumes now; otherwise this catches up with what happened while Pulse was down.
    if (schedule) void analyticsSync.sync(teamId, 'startup');
    // Due and missed reports run now (a missed one once), then each at its time.
    reportScheduler.start();
    return {
      teamId,
      botUserId,
      conversations,
      analyticsSync,
      reports,
      reportScheduler,
      stop: async () => {
        schedule?.stop();
        await reportScheduler.stop();
        await slackApp.stop();
        await analyticsSync.stop();
        await Promise.race([conversations.drain(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
        database.close();
      },
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
