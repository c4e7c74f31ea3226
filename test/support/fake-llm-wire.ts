// Wire shapes of OpenAI's Chat Completions API as the fake LLM sends them.
// Field names and nesting follow what the `openai` SDK and @langchain/openai parse
// (node_modules/openai/resources/chat/completions, @langchain/openai converters/completions).
import { randomBytes } from 'node:crypto';

export interface WireToolCall { id: string; name: string; arguments: string }
export interface AssistantTurn { content: string | null; toolCalls: WireToolCall[] }
export interface TokenCounts { prompt_tokens: number; completion_tokens: number }
export interface ErrorShape { message: string; type: string; code: string | null; param?: string | null }

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

/** OpenAI ids look like `chatcmpl-` + 29 characters and `call_` + 24 characters. */
export const newCompletionId = (): string => `chatcmpl-${randomToken(29)}`;
export const newToolCallId = (): string => `call_${randomToken(24)}`;
export const newRequestId = (): string => `req_${randomBytes(16).toString('hex')}`;

/** Roughly four characters per token, the rule of thumb OpenAI documents for English. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function estimateUsage(requestBody: unknown, turn: AssistantTurn): TokenCounts {
  const messages = (requestBody as { messages?: unknown } | null)?.messages ?? [];
  const completionText = (turn.content ?? '') + turn.toolCalls.map((call) => call.name + call.arguments).join('');
  return { prompt_tokens: estimateTokens(JSON.stringify(messages)), completion_tokens: estimateTokens(completionText) };
}

export function buildUsage(counts: TokenCounts) {
  return {
    prompt_tokens: counts.prompt_tokens,
    completion_tokens: counts.completion_tokens,
    total_tokens: counts.prompt_tokens + counts.completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

const finishReasonOf = (turn: AssistantTurn) => (turn.toolCalls.length > 0 ? 'tool_calls' : 'stop');

function wireToolCalls(turn: AssistantTurn) {
  return turn.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
}

export interface CompletionMeta { id: string; created: number; model: string }

export function buildCompletion(meta: CompletionMeta, turn: AssistantTurn, usage: TokenCounts) {
  const message: Record<string, unknown> = { role: 'assistant', content: turn.content, refusal: null, annotations: [] };
  if (turn.toolCalls.length > 0) message.tool_calls = wireToolCalls(turn);
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(turn) }],
    usage: buildUsage(usage),
    service_tier: 'default',
    system_fingerprint: 'fp_fake_llm',
  };
}

/** Splits text into a few deltas (at least two when possible) so clients must concatenate them. */
export function splitIntoDeltas(text: string, pieces = 4): string[] {
  if (text.length <= 1) return text.length === 0 ? [] : [text];
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

/**
 * The chunk sequence of a streamed completion: role first, content deltas, each tool call as
 * a head (id, name, empty arguments) then argument fragments, a finish chunk, and — when the
 * request asked for `stream_options.include_usage` — a usage chunk with empty choices.
 */
export function buildStreamChunks(meta: CompletionMeta, turn: AssistantTurn, usage: TokenCounts | undefined): object[] {
  const includeUsage = usage !== undefined;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake_llm',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks: object[] = [chunk({ role: 'assistant', content: turn.content === null ? null : '', refusal: null })];
  for (const piece of splitIntoDeltas(turn.content ?? '')) chunks.push(chunk({ content: piece }));
  turn.toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of splitIntoDeltas(call.arguments, 3)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({}, finishReasonOf(turn)));
  if (usage) {
    chunks.push({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake_llm',
      choices: [],
      usage: buildUsage(usage),
    });
  }
  return chunks;
}

export const sseEvent = (data: object | string): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

export function buildErrorBody(error: ErrorShape) {
  return { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } };
}

/** OpenAI's own wording for common statuses, used when a scripted error step gives none. */
export function defaultErrorFor(status: number, model: string): ErrorShape {
  switch (status) {
    case 400: return { message: 'Invalid request.', type: 'invalid_request_error', code: null };
    case 401: return { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' };
    case 403: return { message: 'You are not allowed to sample from this model', type: 'invalid_request_error', code: null };
    case 404: return { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' };
    case 429: return {
      message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`,
      type: 'requests',
      code: 'rate_limit_exceeded',
    };
    case 503: return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null };
    default: return { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null };
  }
}

/** Like OpenAI, shows only a prefix and the last four characters; short keys are fully masked. */
export function maskApiKey(key: string): string {
  if (key.length < 12) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export function invalidApiKeyError(key: string | undefined): ErrorShape {
  if (key === undefined || key === '') {
    return {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      type: 'invalid_request_error',
      code: null,
    };
  }
  return {
    message: `Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  };
}

export function buildModelList(models: string[], created: number) {
  return { object: 'list', data: models.map((id) => buildModel(id, created)) };
}

export function buildModel(id: string, created: number) {
  return { id, object: 'model', created, owned_by: 'system' };
}
