/**
 * The LLM behind answers: Chat Completions through @langchain/openai, on any
 * OpenAI-compatible endpoint. ChatOpenAICompletions pins the Chat
 * Completions API (ChatOpenAI switches to the Responses API for some models
 * and options, which most compatible servers do not implement).
 */
import { AIMessage, HumanMessage, SystemMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatOpenAICompletions } from '@langchain/openai';
import { UserFacingError } from '../errors.ts';
import type { AnswerGenerator, AnswerRequest, ContextMessage, GeneratedAnswer } from '../conversation/ports.ts';
import { LLM_MESSAGES, toUserFacingLlmError } from './llm-errors.ts';
import { buildSystemPrompt } from './system-prompt.ts';

/** Default upper bound for one answer's model call, retries included (LLM_TIMEOUT_SECONDS). */
export const LLM_TIMEOUT_MS = 120_000;
/** Retries for transient provider errors (429/5xx/connection), with the SDK's backoff. */
export const LLM_MAX_RETRIES = 2;

export interface LlmSettings {
  baseUrl: string;
  /** The model a workspace uses (its admin's choice in App Home, else OPENAI_MODEL). */
  resolveModel: (teamId: string) => string;
  /** Resolves the key to use for a workspace (App Home key, else OPENAI_API_KEY). */
  resolveApiKey: (teamId: string) => string | undefined;
  timeZone?: string;
  now?: () => Date;
  timeoutMs?: number;
  maxRetries?: number;
}

function describeFiles(message: ContextMessage): string {
  if (message.files.length === 0) return '';
  return `\n[attached: ${message.files.map((file) => `${file.name} (${file.mimetype})`).join(', ')}]`;
}

/** A person's turn: their name and text, plus any images as image parts the model can see. */
function toHumanMessage(message: ContextMessage): HumanMessage {
  const text = `${message.authorName}: ${message.text}${describeFiles(message)}`;
  const images = message.images ?? [];
  if (images.length === 0) return new HumanMessage(text);
  return new HumanMessage({
    content: [
      { type: 'text', text },
      ...images.map((image) => ({
        type: 'image_url' as const,
        image_url: { url: `data:${image.mimetype};base64,${image.base64}` },
      })),
    ],
  });
}

export function toModelMessages(context: ContextMessage[]): BaseMessage[] {
  return context.map((message) =>
    message.fromPulse ? new AIMessage(message.text + describeFiles(message)) : toHumanMessage(message),
  );
}

/** Streams the reply, reporting the text so far; returns the whole message with its usage. */
async function streamReply(
  model: ChatOpenAICompletions,
  messages: BaseMessage[],
  onProgress: (markdownSoFar: string) => void,
  signal: AbortSignal,
): Promise<AIMessageChunk> {
  let whole: AIMessageChunk | undefined;
  for await (const chunk of await model.stream(messages, { signal })) {
    whole = whole ? whole.concat(chunk) : chunk;
    if (chunk.text !== '') onProgress(whole.text);
  }
  if (!whole) throw new UserFacingError('llm_bad_response', LLM_MESSAGES.badResponse);
  return whole;
}

/** Clients kept for reuse (one per key and model): building one per answer costs CPU on every question. */
const MAX_CACHED_MODELS = 16;

export function createAnswerGenerator(settings: LlmSettings): AnswerGenerator {
  const models = new Map<string, ChatOpenAICompletions>();
  const modelFor = (modelName: string, apiKey: string): ChatOpenAICompletions => {
    const cacheKey = `${modelName}\u0000${apiKey}`;
    let model = models.get(cacheKey);
    if (!model) {
      model = new ChatOpenAICompletions({
        model: modelName,
        apiKey,
        configuration: { baseURL: settings.baseUrl },
        timeout: settings.timeoutMs ?? LLM_TIMEOUT_MS,
        maxRetries: settings.maxRetries ?? LLM_MAX_RETRIES,
        streamUsage: true,
      });
      // A replaced key's client is dropped once the cache is full; later answers never reuse it.
      if (models.size >= MAX_CACHED_MODELS) models.delete(models.keys().next().value as string);
      models.set(cacheKey, model);
    }
    return model;
  };
  return {
    async generateAnswer(request: AnswerRequest, onProgress?: (markdownSoFar: string) => void): Promise<GeneratedAnswer> {
      const apiKey = settings.resolveApiKey(request.teamId);
      if (!apiKey) throw new UserFacingError('llm_key_missing', LLM_MESSAGES.keyMissing);
      const modelName = settings.resolveModel(request.teamId);
      const model = modelFor(modelName, apiKey);
      const asker = request.context.findLast((message) => message.authorId === request.askerId);
      const system = buildSystemPrompt({
        now: (settings.now ?? (() => new Date()))(),
        timeZone: request.askerTimeZone ?? settings.timeZone ?? 'UTC',
        askerName: asker?.authorName ?? 'a teammate',
      });
      try {
        const messages = [new SystemMessage(system), ...toModelMessages(request.context)];
        // The timeout bounds the whole answer, retries included, not each attempt.
        const signal = AbortSignal.timeout(settings.timeoutMs ?? LLM_TIMEOUT_MS);
        const reply = onProgress
          ? await streamReply(model, messages, onProgress, signal)
          : await model.invoke(messages, { signal });
        const text = reply.text;
        if (text.trim() === '') throw new UserFacingError('llm_bad_response', LLM_MESSAGES.badResponse);
        return {
          markdown: text,
          model: modelName,
          usage: {
            promptTokens: reply.usage_metadata?.input_tokens ?? 0,
            completionTokens: reply.usage_metadata?.output_tokens ?? 0,
          },
        };
      } catch (error) {
        throw toUserFacingLlmError(error);
      }
    },
  };
}
