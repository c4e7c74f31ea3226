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
import { guardReconnects } from './socket-mode-reconnect.ts';

/** Slack's disconnect reason when someone turns Socket Mode off in the app's settings. */
const SOCKET_MODE_TURNED_OFF = 'link_disabled';

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
    // An envelope Bolt fails on before it is acked (a malformed event) is acked anyway: Slack would only
    // send the same broken envelope three more times. Real events reach Pulse's listeners, whose errors
    // app.error handles, and Pulse records each question before answering it.
    processEventErrorHandler: async ({ error, event }) => {
      logger.warn(`acked an envelope Pulse could not process (type ${String(event.body?.type)}):`, error);
      return true;
    },
  });
  guardSocketModeMessages(receiver, logger);
  guardReconnects(receiver.client, logger);
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
  warnWhenSocketModeTurnedOff(receiver, logger);
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

/**
 * @slack/socket-mode reads `payload.event.type` of an events_api envelope
 * before Bolt sees it, outside any try/catch: an envelope without an event
 * would reject unhandled and stop the process. Its own message handler is
 * re-registered with a catch, so such an envelope is logged and dropped.
 */
function guardSocketModeMessages(receiver: SocketModeReceiver, logger: Logger): void {
  const client = receiver.client;
  for (const handler of client.listeners('ws_message') as ((...args: unknown[]) => unknown)[]) {
    client.removeListener('ws_message', handler);
    client.on('ws_message', (...args: unknown[]) => {
      Promise.resolve(handler(...args)).catch((error: unknown) => logger.warn('ignored a Socket Mode message Pulse could not read:', error));
    });
  }
}

/**
 * The Socket Mode client treats every disconnect message alike: it closes the
 * link, waits and asks for a new one, saying why only at debug level. After
 * link_disabled nothing arrives until Socket Mode is turned back on, so the
 * operator is told at warn level; the client's retries are left as they are,
 * so Pulse resumes by itself once it is.
 */
function warnWhenSocketModeTurnedOff(receiver: SocketModeReceiver, logger: Logger): void {
  receiver.client.on('ws_message', (data: unknown) => {
    // Cheap filter first: every envelope passes through here.
    if (typeof data !== 'string' || !data.includes(SOCKET_MODE_TURNED_OFF)) return;
    let message: { type?: unknown; reason?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.type !== 'disconnect' || message.reason !== SOCKET_MODE_TURNED_OFF) return;
    logger.warn(
      `Slack closed the connection because Socket Mode was turned off for this app (disconnect reason ${SOCKET_MODE_TURNED_OFF}). ` +
        "Pulse receives no messages until it is turned back on under Socket Mode in the app's settings; it keeps trying to reconnect and resumes by itself.",
    );
  });
}
