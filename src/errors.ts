/**
 * User-safe errors. Only a UserFacingError's text may reach Slack; anything
 * else is logged with a reference id and the user sees a short generic line
 * carrying that id, so support can find the log entry.
 */
import { randomBytes } from 'node:crypto';

export type UserFacingErrorCode =
  | 'llm_key_missing'
  | 'llm_key_rejected'
  | 'llm_rate_limited'
  | 'llm_unreachable'
  | 'llm_timeout'
  | 'llm_bad_response'
  | 'llm_interrupted'
  | 'slack_not_in_channel'
  | 'slack_missing_scope'
  | 'slack_rate_limited'
  | 'budget_exceeded'
  | 'report_refused'
  | 'report_destination'
  | 'internal';

export class UserFacingError extends Error {
  readonly code: UserFacingErrorCode;

  constructor(code: UserFacingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserFacingError';
    this.code = code;
  }
}

/** A short id to correlate a user's error message with the log line. */
export function createErrorReference(): string {
  return randomBytes(4).toString('hex');
}

/** The sentence a Slack user sees for any failure. */
export function describeErrorForUser(error: unknown, reference: string): string {
  if (error instanceof UserFacingError) return error.message;
  return `Something went wrong on my side and I couldn't answer (ref \`${reference}\`). Please try again; if it keeps happening, share the ref with whoever runs Pulse.`;
}

/** A start-up failure with a message that says what to fix; printed without a stack trace. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
