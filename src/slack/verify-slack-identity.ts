/**
 * Checks the bot token with auth.test before anything else, so a wrong token
 * or an unreachable Slack stops Pulse with a sentence that says what to fix
 * (Bolt's own constructor-time check would surface as an unhandled rejection).
 */
import { WebClient } from '@slack/web-api';
import type { Config } from '../config.ts';
import { StartupError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createBoltLogger, toSlackLogLevel } from './bolt-logger.ts';
import { SLACK_CALL_TIMEOUT_MS } from './limits.ts';
import { slackErrorCode } from './slack-errors.ts';

export interface SlackIdentity {
  teamId: string;
  teamName: string | undefined;
  teamDomain: string | undefined;
  botUserId: string;
  botUserName: string | undefined;
  botId: string;
}

/** Platform errors that mean a token is wrong rather than Slack being unwell. */
const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

export function describeSlackStartupFailure(error: unknown, tokenName: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', config: Config): StartupError {
  const code = slackErrorCode(error);
  if (code && TOKEN_ERRORS.has(code)) {
    const fix =
      tokenName === 'SLACK_BOT_TOKEN'
        ? 'Copy the "Bot User OAuth Token" (xoxb-…) again from your Slack app\'s "OAuth & Permissions" page; reinstall the app to the workspace if it was removed.'
        : 'Create an app-level token with the connections:write scope under "Basic Information → App-Level Tokens" (xapp-…), and make sure Socket Mode is enabled.';
    return new StartupError(`Slack rejected ${tokenName} (${code}). ${fix}`, { cause: error });
  }
  if (code) {
    return new StartupError(`Slack answered "${code}" while Pulse was starting (checking ${tokenName}).`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StartupError(
    `Could not reach Slack at SLACK_API_URL (${config.slack.apiUrl}): ${detail}. Check the URL and this machine's network.`,
    { cause: error },
  );
}

export async function verifySlackIdentity(config: Config, logger: Logger): Promise<SlackIdentity> {
  const client = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: createBoltLogger(logger),
    logLevel: toSlackLogLevel(config.logLevel),
    timeout: SLACK_CALL_TIMEOUT_MS,
    // Start-up fails fast on a wrong URL: a few quick retries, not the answering budget.
    retryConfig: { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
  });
  let response;
  try {
    response = await client.auth.test();
  } catch (error) {
    throw describeSlackStartupFailure(error, 'SLACK_BOT_TOKEN', config);
  }
  if (!response.team_id || !response.user_id || !response.bot_id) {
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token: auth.test returned no bot. Use the xoxb- Bot User OAuth Token.');
  }
  return {
    teamId: response.team_id,
    teamName: response.team,
    teamDomain: response.url ? new URL(response.url).hostname.split('.')[0] : undefined,
    botUserId: response.user_id,
    botUserName: response.user,
    botId: response.bot_id,
  };
}
