/**
 * Asks the LLM provider whether a key works (GET /models), for validating a
 * pasted key before it is saved and for App Home's "Test connection".
 * Returns plain-language problems; never the key, never a raw error.
 */
import OpenAI from 'openai';
import { toUserFacingLlmError } from './llm-errors.ts';

/** "Test connection" and the model list: a person is waiting, but no Slack deadline is. */
export const PROVIDER_CHECK_TIMEOUT_MS = 8_000;
/** Validating a pasted key happens before the modal's ack, which Slack needs within 3 s. */
export const KEY_VALIDATION_TIMEOUT_MS = 2_500;

export type ProviderCheck =
  | { ok: true; models: string[] }
  | { ok: false; problem: 'rejected' | 'unreachable' | 'timeout' | 'rate_limited' | 'other'; message: string };

const PROBLEM_BY_CODE = {
  llm_key_rejected: 'rejected',
  llm_unreachable: 'unreachable',
  llm_timeout: 'timeout',
  llm_rate_limited: 'rate_limited',
} as const;

export const PROVIDER_PROBLEM_MESSAGES: Record<Exclude<ProviderCheck, { ok: true }>['problem'], (baseUrl: string) => string> = {
  rejected: () => 'The provider rejected this key (401). Check that you copied the whole key and that it belongs to this provider.',
  unreachable: (baseUrl) => `Pulse could not reach the provider at ${baseUrl}. Check OPENAI_BASE_URL and the server's network.`,
  timeout: (baseUrl) => `The provider at ${baseUrl} did not answer in time. Try again in a moment.`,
  rate_limited: () => 'The provider is rate-limiting this key right now. Try again in a minute.',
  other: () => 'The provider gave an unexpected answer. Check OPENAI_BASE_URL points at an OpenAI-compatible API.',
};

export async function checkProvider(baseUrl: string, apiKey: string, timeoutMs = PROVIDER_CHECK_TIMEOUT_MS): Promise<ProviderCheck> {
  const client = new OpenAI({ apiKey, baseURL: baseUrl, timeout: timeoutMs, maxRetries: 0 });
  try {
    const models: string[] = [];
    for await (const model of client.models.list()) {
      models.push(model.id);
      if (models.length >= 500) break;
    }
    return { ok: true, models: models.sort() };
  } catch (error) {
    const code = toUserFacingLlmError(error).code;
    const problem = PROBLEM_BY_CODE[code as keyof typeof PROBLEM_BY_CODE] ?? 'other';
    return { ok: false, problem, message: PROVIDER_PROBLEM_MESSAGES[problem](baseUrl) };
  }
}
