/**
 * When the Socket Mode link drops, @slack/socket-mode reconnects from a timer
 * (`delayReconnectAttempt(this.start)`) and never handles the promise: if
 * apps.connections.open then answers invalid_auth (the app was uninstalled,
 * or its app token revoked), the rejection is unhandled and stops the process.
 * After the first connection, Pulse's reconnects are wrapped so such a failure
 * is one clear log line; the first start still fails loudly, as startup must.
 * create-slack-app.ts guards its receiver's client with this.
 */
import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { slackErrorCode } from './slack-errors.ts';

/** The Socket Mode client's event once Slack's hello arrived. */
const CONNECTED = 'connected';

type SocketModeClient = SocketModeReceiver['client'];

export function describeReconnectFailure(error: unknown): string {
  const code = slackErrorCode(error);
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
    return (
      `Slack refused Pulse's app token (SLACK_APP_TOKEN: ${code}) when reconnecting, so Pulse receives no more messages or clicks. ` +
      'If the app was uninstalled or the token revoked, reinstall it, update SLACK_APP_TOKEN and restart Pulse.'
    );
  }
  return `Pulse could not reconnect to Slack (${code ?? (error instanceof Error ? error.message : String(error))}); it receives nothing until it is restarted.`;
}

export function guardReconnects(client: SocketModeClient, logger: Logger): void {
  let connectedOnce = false;
  client.once(CONNECTED, () => {
    connectedOnce = true;
  });
  const start = client.start.bind(client);
  client.start = async () => {
    if (!connectedOnce) return start();
    try {
      return await start();
    } catch (error) {
      logger.error(describeReconnectFailure(error));
      logger.debug('reconnect failure:', error);
      return { ok: false } as Awaited<ReturnType<SocketModeClient['start']>>;
    }
  };
}
