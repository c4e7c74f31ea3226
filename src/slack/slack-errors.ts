/** Slack platform errors that users can fix themselves, as UserFacingErrors. */
import { UserFacingError } from '../errors.ts';

interface PlatformErrorLike {
  code?: unknown;
  data?: { error?: unknown; needed?: unknown };
}

export function slackErrorCode(error: unknown): string | undefined {
  const record = error as PlatformErrorLike | undefined;
  if (record?.code !== 'slack_webapi_platform_error') return undefined;
  return typeof record.data?.error === 'string' ? record.data.error : undefined;
}

export function toUserFacingSlackError(error: unknown): unknown {
  if ((error as { code?: unknown } | undefined)?.code === 'slack_webapi_rate_limited_error' || /rate limit was exceeded/i.test(String((error as Error | undefined)?.message))) {
    return new UserFacingError('slack_rate_limited', 'Slack is rate-limiting me right now. Please ask again in a minute.', { cause: error });
  }
  const code = slackErrorCode(error);
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return new UserFacingError(
      'slack_not_in_channel',
      "I'm not a member of that conversation, so I can't read it. Invite me with `/invite @Pulse` and ask again.",
      { cause: error },
    );
  }
  if (code === 'missing_scope') {
    const needed = (error as PlatformErrorLike).data?.needed;
    return new UserFacingError(
      'slack_missing_scope',
      `Pulse is missing the Slack permission ${typeof needed === 'string' ? `\`${needed}\`` : 'it needs'} for this. An admin should update the app from Pulse's manifest.json and reinstall it.`,
      { cause: error },
    );
  }
  return error;
}
