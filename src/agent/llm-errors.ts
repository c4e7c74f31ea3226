/**
 * Turns provider failures into UserFacingErrors with a plain next step.
 * LangChain wraps the openai SDK's errors, so this looks at the HTTP status
 * and error names rather than at classes.
 */
import { UserFacingError } from '../errors.ts';

export const LLM_MESSAGES = {
  keyMissing:
    "I can't answer yet: no LLM API key is set. An admin must set the API key in Pulse's App Home (or set OPENAI_API_KEY on the server).",
  keyRejected:
    "The LLM provider rejected Pulse's API key. An admin must set a valid API key in Pulse's App Home.",
  rateLimited: 'The LLM provider is rate-limiting Pulse right now. Please try again in a minute.',
  unreachable: "I couldn't reach the LLM provider. Please try again shortly; if it persists, ask whoever runs Pulse to check OPENAI_BASE_URL.",
  timeout: 'The LLM provider took too long to answer. Please try again; a shorter question may help.',
  modelMissing:
    "The LLM provider doesn't offer the model Pulse is set to use. An admin can pick another model in Pulse's App Home (or set OPENAI_MODEL).",
  badResponse: 'The LLM provider sent back a response I could not read. Please try again.',
  interrupted: "The LLM provider's answer broke off before it was complete. Please try again.",
} as const;

interface ErrorLike {
  status?: unknown;
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  lc_error_code?: unknown;
}

/** How far down a `cause` chain to look; chains can loop back on themselves. */
const MAX_CAUSE_DEPTH = 4;

function statusOf(error: ErrorLike, depth = 0): number | undefined {
  if (typeof error.status === 'number') return error.status;
  const cause = error.cause as ErrorLike | undefined;
  return depth < MAX_CAUSE_DEPTH && cause && typeof cause === 'object' ? statusOf(cause, depth + 1) : undefined;
}

function namesOf(error: ErrorLike, depth = 0): string[] {
  // The openai SDK's classes leave `name` as "Error"; the class name (APIConnectionError,
  // APIConnectionTimeoutError) is the only sign of what happened.
  const className = typeof error.constructor === 'function' ? error.constructor.name : '';
  const names = [String(error.name ?? ''), className, String(error.code ?? ''), String(error.lc_error_code ?? '')];
  const cause = error.cause as ErrorLike | undefined;
  if (depth < MAX_CAUSE_DEPTH && cause && typeof cause === 'object') names.push(...namesOf(cause, depth + 1));
  return names;
}

export function toUserFacingLlmError(error: unknown): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const status = statusOf(record);
  const names = namesOf(record).join(' ');
  if (status === 401 || status === 403) return new UserFacingError('llm_key_rejected', LLM_MESSAGES.keyRejected, { cause: error });
  if (status === 429) return new UserFacingError('llm_rate_limited', LLM_MESSAGES.rateLimited, { cause: error });
  if (status === 404) return new UserFacingError('llm_bad_response', LLM_MESSAGES.modelMissing, { cause: error });
  if (/Timeout|ETIMEDOUT|AbortError/i.test(names)) return new UserFacingError('llm_timeout', LLM_MESSAGES.timeout, { cause: error });
  // The connection closed while the answer was arriving (undici's "terminated", its socket error underneath): the
  // provider was reached, so not "unreachable"; before any answer the openai SDK retries it as a connection error.
  if (/UND_ERR_SOCKET/.test(names) && /terminated/i.test(String(record.message ?? ''))) {
    return new UserFacingError('llm_interrupted', LLM_MESSAGES.interrupted, { cause: error });
  }
  if (/APIConnectionError|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN/i.test(names)) {
    return new UserFacingError('llm_unreachable', LLM_MESSAGES.unreachable, { cause: error });
  }
  if (status !== undefined && status >= 500) return new UserFacingError('llm_unreachable', LLM_MESSAGES.unreachable, { cause: error });
  if (error instanceof SyntaxError || /SyntaxError/.test(names)) {
    return new UserFacingError('llm_bad_response', LLM_MESSAGES.badResponse, { cause: error });
  }
  return new UserFacingError('internal', LLM_MESSAGES.badResponse, { cause: error });
}
