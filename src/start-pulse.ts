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
import { createSlackApp } from './slack/create-slack-app.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { SlackConversationGateway } from './slack/slack-conversation-gateway.ts';
import { UserDirectory } from './slack/user-directory.ts';

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
    const app = createSlackApp(config, logger);
    const identity = await app.client.auth.test();
    if (!identity.team_id || !identity.user_id) throw new Error('auth.test returned no team or bot user');
    const teamId = identity.team_id;
    const botUserId = identity.user_id;
    upsertWorkspace(database.db, {
      teamId,
      name: identity.team ?? null,
      domain: identity.url ? new URL(identity.url).hostname.split('.')[0] ?? null : null,
      botUserId,
      botId: identity.bot_id ?? null,
    });
    const questions = createQuestionStore(database.db);
    const directory = new UserDirectory(app.client, logger);
    const conversations = new ConversationService({
      slack: new SlackConversationGateway(app.client, directory, { userId: botUserId, botId: identity.bot_id ?? '' }),
      generator: createAnswerGenerator({
        baseUrl: config.llm.baseUrl,
        model: config.llm.model,
        resolveApiKey: () => config.llm.apiKey,
      }),
      questions,
      logger: logger.child('conversation'),
    });
    registerListeners(app, { conversations, teamId, botUserId });
    await app.start();
    logger.info(`Pulse is connected to ${identity.team ?? teamId} as @${identity.user ?? botUserId}.`);
    conversations.resumeUnfinished(teamId);
    return {
      teamId,
      botUserId,
      conversations,
      stop: async () => {
        await app.stop();
        await Promise.race([conversations.drain(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
        database.close();
      },
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
