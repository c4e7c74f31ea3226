/**
 * The Bolt app in Socket Mode. SLACK_API_URL is passed as slackApiUrl to the
 * app's WebClients and to the Socket Mode client, so apps.connections.open
 * honours it too. The receiver is Pulse's own so stop() can wait for the
 * WebSocket to close (Bolt's App.stop() does not, which can hold a process
 * open for 30 s on a ping timer).
 */
import { App, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config.ts';
import { createErrorReference } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createBoltLogger, toSlackLogLevel } from './bolt-logger.ts';
import { SLACK_CALL_RETRIES, SLACK_CALL_TIMEOUT_MS, SLACK_RETRY_MAX_WAIT_MS } from './limits.ts';
import type { SlackIdentity } from './verify-slack-identity.ts';

export interface SlackApp {
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(config: Config, logger: Logger, identity: SlackIdentity): SlackApp {
  const boltLogger = createBoltLogger(logger);
  const logLevel = toSlackLogLevel(config.logLevel);
  // Socket Mode would otherwise set 100 retries on every client (see docs/slack-protocol.md).
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    timeout: SLACK_CALL_TIMEOUT_MS,
    retryConfig: { retries: SLACK_CALL_RETRIES, factor: 2, minTimeout: 250, maxTimeout: SLACK_RETRY_MAX_WAIT_MS },
  };
  const receiver = new SocketModeReceiver({
    appToken: config.slack.appToken,
    logger: boltLogger,
    logLevel,
    installerOptions: { clientOptions },
  });
  const app = new App({
    token: config.slack.botToken,
    // Identity comes from verifySlackIdentity: Bolt need not call auth.test again.
    botId: identity.botId,
    botUserId: identity.botUserId,
    tokenVerificationEnabled: false,
    receiver,
    logger: boltLogger,
    logLevel,
    ignoreSelf: true,
    clientOptions,
  });
  app.error(async (error) => {
    logger.error(`unhandled error in a Slack listener (ref ${createErrorReference()}):`, error);
  });
  return {
    app,
    start: async () => {
      await app.start();
    },
    stop: () => receiver.client.disconnect(),
  };
}
