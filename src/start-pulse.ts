/**
 * Composition root: config → secrets → database (migrated) → services →
 * Slack app → start. main.ts calls it; end-to-end tests call it too, with
 * the emulator and the fake LLM as the outside world.
 */
import type { Config } from './config.ts';
import { createAnswerGenerator } from './agent/answer-generator.ts';
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
import { createSlackApp } from './slack/create-slack-app.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { SlackConversationGateway } from './slack/slack-conversation-gateway.ts';
import { UserDirectory } from './slack/user-directory.ts';
import { describeSlackStartupFailure, verifySlackIdentity } from './slack/verify-slack-identity.ts';

/** How long shutdown waits for answers in progress before closing the database. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningPulse {
  teamId: string;
  botUserId: string;
  conversations: ConversationService;
  stop(): Promise<void>;
}

export async function startPulse(config: Config, options: { logger?: Logger } = {}): Promise<RunningPulse> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
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
    const settings = new WorkspaceSettingsService({
      store: settingsStore,
      usage: createUsageStore(database.db),
      box: new SecretBox(encryptionKey),
      serverApiKey: config.llm.apiKey,
      defaultModel: config.llm.model,
      checkKey,
      logger: logger.child('settings'),
    });
    const appHome = new AppHome({
      client: app.client,
      settings,
      admins: new AdminDirectory(app.client, directory, config.adminUserIds, logger.child('admins')),
      checkKey,
      logger: logger.child('app-home'),
    });
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
        generator: createAnswerGenerator({
          baseUrl: config.llm.baseUrl,
          resolveModel: (team) => settings.model(team),
          resolveApiKey: (team) => settings.resolveApiKey(team),
          timeoutMs: config.llm.timeoutMs,
          workspaceTimeZone: config.workspaceTimeZone,
        }),
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
    });
    // Interrupted questions are queued before new events can arrive, so a thread keeps its order.
    await conversations.resumeUnfinished(teamId);
    try {
      await slackApp.start();
    } catch (error) {
      throw describeSlackStartupFailure(error, 'SLACK_APP_TOKEN', config);
    }
    logger.info(`Pulse is connected to ${identity.teamName ?? teamId} as @${identity.botUserName ?? botUserId}.`);
    return {
      teamId,
      botUserId,
      conversations,
      stop: async () => {
        await slackApp.stop();
        await Promise.race([conversations.drain(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
        database.close();
      },
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
