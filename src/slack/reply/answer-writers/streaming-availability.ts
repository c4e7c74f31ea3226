/**
 * Slack's streaming API is new and not everywhere: older workspaces, some
 * plans, app configurations and conversation types refuse it. A refusal is
 * remembered for the life of the process, so later answers go straight to
 * message updates instead of paying for a failing call each time.
 */
import type { Logger } from '../../../logger.ts';
import { slackErrorCode } from '../../slack-errors.ts';

/** chat.startStream errors that mean "streaming is not available here", not "this answer failed". */
const STREAMING_REFUSALS = new Set([
  'unknown_method',
  'not_allowed',
  'not_allowed_token_type',
  'method_not_supported_for_channel_type',
  'feature_not_enabled',
  'missing_scope',
  'invalid_arguments',
]);
/** Refused for one kind of conversation only (D… DMs, C… channels, G… private groups). */
const PER_CONVERSATION_KIND = 'method_not_supported_for_channel_type';
const EVERYWHERE = '*';

export function isStreamingRefusal(error: unknown): boolean {
  return STREAMING_REFUSALS.has(slackErrorCode(error) ?? '');
}

export class StreamingAvailability {
  /** Scope (conversation kind, or everywhere) → the error Slack gave. */
  private readonly refusals = new Map<string, string>();

  isRefused(channelId: string): boolean {
    return this.refusals.has(EVERYWHERE) || this.refusals.has(conversationKind(channelId));
  }

  /** Records a refusal; logs once per scope, since every later answer would say the same. */
  refuse(channelId: string, error: unknown, logger: Logger): void {
    const code = slackErrorCode(error) ?? 'unknown';
    const scope = code === PER_CONVERSATION_KIND ? conversationKind(channelId) : EVERYWHERE;
    if (this.refusals.has(scope)) return;
    this.refusals.set(scope, code);
    const where = scope === EVERYWHERE ? '' : ` in ${scope}… conversations`;
    logger.info(`Slack refused chat.startStream (${code})${where}; answers there use message updates instead`);
  }
}

function conversationKind(channelId: string): string {
  return channelId.slice(0, 1);
}

/** The process-wide memory the app uses; tests pass their own. */
export const processStreamingAvailability = new StreamingAvailability();
