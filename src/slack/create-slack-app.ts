/**
 * The Bolt app in Socket Mode. SLACK_API_URL is passed as slackApiUrl, which
 * Bolt hands to every WebClient it builds and to the Socket Mode client, so
 * apps.connections.open honours it too.
 */
import { App } from '@slack/bolt';
import type { Config } from '../config.ts';
import { createErrorReference } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createBoltLogger, toSlackLogLevel } from './bolt-logger.ts';
import { SLACK_CALL_RETRIES } from './limits.ts';
import type { SlackIdentity } from './verify-slack-identity.ts';

export function createSlackApp(config: Config, logger: Logger, identity: SlackIdentity): App {
  const app = new App({
    token: config.slack.botToken,
    // Identity comes from verifySlackIdentity: Bolt need not call auth.test again.
    botId: identity.botId,
    botUserId: identity.botUserId,
    tokenVerificationEnabled: false,
    appToken: config.slack.appToken,
    socketMode: true,
    logger: createBoltLogger(logger),
    logLevel: toSlackLogLevel(config.logLevel),
    ignoreSelf: true,
    // Socket Mode would otherwise set 100 retries on every client (see docs/slack-protocol.md).
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries: SLACK_CALL_RETRIES, factor: 2, minTimeout: 250, maxTimeout: 5_000 },
    },
  });
  app.error(async (error) => {
    logger.error(`unhandled error in a Slack listener (ref ${createErrorReference()}):`, error);
  });
  return app;
}
